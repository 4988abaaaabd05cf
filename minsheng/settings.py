"""Settings come from the environment alone (the operator's contract, see README "Configuration").

DEBUG unset or 0 is production: SECRET_KEY is then required, and HTTPS, HSTS and secure cookies are on.
Production variables: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CSRF_TRUSTED_ORIGINS, optional STATIC_ROOT.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production). For development set DEBUG=1 (make run does)."
        )
    SECRET_KEY = "development-only-insecure-key"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# e.g. "https://minsheng.example.gov.cn": the scheme and host the browser sees in front of the proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "axes",
    "projects",
    "assessment",
    "accounts",
    "notices",
    "ledger",
]

MIDDLEWARE = [
    # First, so that every log line of the request (errors of later middleware included) has its id.
    "minsheng.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads a parameter: a control character (NUL) anywhere in the request is a 400.
    "minsheng.input_guard.ControlCharacterGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Access is denied by default: every view needs a signed-in user unless marked otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout raised by its backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minsheng.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "minsheng.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username or address before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# Evidence of rectification (整改佐证材料): outside the web root, never served by URL, only by the ledger's
# download view to those allowed. Limits per file, per upload and per finding.
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT") or BASE_DIR / "var" / "evidence")
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES") or 10 * 1024 * 1024)
EVIDENCE_MAX_FILES_PER_UPLOAD = 5
EVIDENCE_MAX_FILES_PER_FINDING = 20
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes hashed names (cacheable for ever) and gzip variants; WhiteNoise serves them.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: a working day idle. Each request pushes the expiry 8 hours on, and the cookie itself dies
# with the browser, so a shared office computer does not stay signed in overnight.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login protection (django-axes): 5 failed passwords for one username, or from one address, lock that
# username / address out for 15 minutes, the right password included. The count is per username and
# separately per address ("username" and "ip_address" as two parameters, not their combination).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "minsheng.lockout.lockout_response"
# Behind nginx the client's address is the X-Forwarded-For that nginx sets; see minsheng/client_ip.py.
AXES_CLIENT_IP_CALLABLE = "minsheng.client_ip.client_ip"
# Addresses of the reverse proxies whose X-Forwarded-For is believed (nginx on the same host by default).
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS") or ["127.0.0.1", "::1"]

# Content-Security-Policy (django-csp): scripts and styles only from our own static files; no inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws a few icons (navbar toggler, select arrow) as data: SVGs in its CSS.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Behind the TLS proxy: nginx sets X-Forwarded-Proto, and only then does Django treat a request as HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = True
    # The health check is asked over plain HTTP on the loopback address by monitoring.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The debug page never shows DATABASE_URL's password (in the settings or in request.META).
DEFAULT_EXCEPTION_REPORTER_FILTER = "minsheng.error_reports.SecretsExceptionReporterFilter"

# Logs go to stdout (journald under systemd), each line with the request's id.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "minsheng.request_id.RequestIdFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default sends these to the console only under DEBUG and mails admins: use stdout instead.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "axes": {"level": "WARNING"},
    },
}

# The office's name as printed on the official tables; each year may override it.
OFFICE_NAME = os.environ.get("OFFICE_NAME", "市民生办")

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The official document look of the monthly notice (.docx): fonts and the grid (see
# assessment/exports/docx.py DocumentLook). Offices install different fonts; empty values keep the default.
NOTICE_DOCUMENT_LOOK = {
    name: value
    for name, value in {
        "title_font": os.environ.get("NOTICE_TITLE_FONT", ""),
        "title_fallback": os.environ.get("NOTICE_TITLE_FALLBACK_FONT", ""),
        "body_font": os.environ.get("NOTICE_BODY_FONT", ""),
        "label_font": os.environ.get("NOTICE_LABEL_FONT", ""),
    }.items()
    if value
}
# LibreOffice for the PDF of the notice (optional; Debian package libreoffice-writer).
SOFFICE_BINARY = os.environ.get("SOFFICE_BINARY", "soffice")

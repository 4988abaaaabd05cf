"""Settings for the test suite: the normal settings in development mode, a throwaway key, fast hashing.

Tests of the production settings run manage.py or gunicorn in a subprocess with their own environment.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault("DEBUG", "1")

from minsheng.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No collectstatic before the tests: plain storage and file lookup through the finders.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Evidence files of the ledger's tests go to a throwaway directory (tests that look at files set their own).
import tempfile  # noqa: E402

EVIDENCE_ROOT = Path(tempfile.mkdtemp(prefix="minsheng-evidence-"))  # noqa: F405

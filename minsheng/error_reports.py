"""What the error reports (the DEBUG page, error mails) may show.

Django already hides settings whose names look secret (DATABASES' PASSWORD, SECRET_KEY). It does not hide
DATABASE_URL in request.META (the development server copies the whole environment there), nor the
database password in a traceback's local variables (psycopg2's connection parameters). This filter hides
both: by name (DATABASE_URL, DSN, password-like keys of any dict) and by value (any text that contains
the database password or the secret key).
"""

import os
import re

import dj_database_url
from django.conf import settings
from django.views.debug import SafeExceptionReporterFilter

HIDDEN = "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|DSN"
# Local variable names are matched more narrowly: names like `key` are everyday words in our code.
HIDDEN_VARIABLES = re.compile("PASS|SECRET|DATABASE_URL|DSN", flags=re.I)


def secret_values() -> set[str]:
    values = {settings.SECRET_KEY}
    values |= {database.get("PASSWORD") or "" for database in settings.DATABASES.values()}
    if os.environ.get("DATABASE_URL"):
        values.add(dj_database_url.parse(os.environ["DATABASE_URL"]).get("PASSWORD") or "")
    return {value for value in values if value}


class SecretsExceptionReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(HIDDEN, flags=re.I)

    def cleanse_setting(self, key, value):
        cleansed = super().cleanse_setting(key, value)
        if isinstance(cleansed, str) and any(secret in cleansed for secret in secret_values()):
            return self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [
            (name, self.cleansed_substitute if HIDDEN_VARIABLES.search(name) else self.cleanse_setting("", value))
            for name, value in variables
        ]

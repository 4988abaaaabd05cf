"""The project's WSGI application with the benchmark's empty view (for `gunicorn` in `manage.py bench`)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")
application = get_wsgi_application()
settings.ROOT_URLCONF = "assessment.benchmarks.urls"

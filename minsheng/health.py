"""GET /health/ for monitoring: can this server reach its database and render its pages?"""

import logging

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Every page links this file: without it in the manifest (collectstatic not run) every page fails.
PROBE_STATIC = "css/minsheng.css"


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return False
    return True


def _static_collected() -> bool:
    try:
        staticfiles_storage.url(PROBE_STATIC)
    except ValueError:
        logger.error("health check: static files are not collected (run manage.py collectstatic)")
        return False
    return True


@login_not_required
@never_cache
@require_safe
def health(request):
    """200 {"status": "ok"} when a trivial query answers and the static files are there, else 503 with why."""
    if not _database_answers():
        return JsonResponse({"status": "error", "database": "unavailable", "message": "数据库无法连接。"}, status=503)
    if not _static_collected():
        message = "静态文件尚未收集，请运行 manage.py collectstatic。"
        return JsonResponse({"status": "error", "static": "missing", "message": message}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})

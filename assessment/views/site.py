"""What the browser asks of the site itself, signed in or not: the favicon, and the session's state.

The session: a form posted after the session expired would land on the login page and lose what was
typed, so static/js/forms.js asks here first and, when signed out, keeps the page and says so. After
signing in again (in another window) the CSRF token has changed: the answer carries the new one.
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def session_state(request):
    """Anyone: {"authenticated": bool, "csrf": token}; never cached."""
    return JsonResponse({"authenticated": request.user.is_authenticated, "csrf": get_token(request)})


@login_not_required
@require_GET
def favicon(request):
    """Anyone: browsers ask for /favicon.ico on every page; it lives with the static files."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("favicon.ico"))

"""A request id on every log line of a request, and on its response (X-Request-ID).

nginx passes its own `$request_id` as X-Request-ID (see deploy/nginx-minsheng.conf), so nginx's access
log, gunicorn's and the application's lines of one request share one id. Without the header (direct
access, tests) an id is generated here. An incoming id that is not a plain token is replaced, so a client
cannot write arbitrary text into the logs.
"""

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
NO_REQUEST = "-"
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")
_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    return _current.get()


def _incoming_or_new(request) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if _ACCEPTED.fullmatch(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_or_new(request)
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside a request).

    Django logs a 4xx/5xx response after the middleware has returned, with the request attached to the
    record: its id is taken from there.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or _current.get()
        return True

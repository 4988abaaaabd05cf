"""Refuse a request whose path, query parameters, form fields or upload names hold a control character.

PostgreSQL refuses NUL in text (a 500 wherever such a parameter reaches a query), and nobody ever
types a control character: the request is answered with a Chinese 400 page before any view runs.
Tab and line breaks stay allowed (text areas). The grid's JSON body is checked by its own parser
(`assessment.interchange.grid_changes`), an uploaded file's content by the import.
"""

import logging

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string

from assessment.rules import CONTROL_CHARACTER_REFUSED, CONTROL_CHARACTERS

logger = logging.getLogger("django.security.input")

MESSAGE = f"请求{CONTROL_CHARACTER_REFUSED}，已拒绝。请检查地址或填写的内容后重试。"


def _texts(request):
    yield request.path
    for key, values in request.GET.lists():
        yield key
        yield from values
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, values in request.POST.lists():
            yield key
            yield from values
        for key, files in request.FILES.lists():
            yield key
            yield from (upload.name or "" for upload in files)


def has_control_character(request) -> bool:
    return any(CONTROL_CHARACTERS.search(text) for text in _texts(request))


class ControlCharacterGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_character(request):
            logger.warning("Refused a request with a control character: %s", request.path.encode("unicode_escape"))
            # rendered without the request, like the 500 page: nothing here needs a session or a user
            return HttpResponseBadRequest(render_to_string("400.html", {"exception": MESSAGE}))
        return self.get_response(request)

"""Responses the views share."""

import io
from urllib.parse import quote

from django.http import FileResponse


def attachment_disposition(filename: str) -> str:
    """A download's header with the Chinese name as RFC 5987 filename*=UTF-8''…"""
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def download_response(download) -> FileResponse:
    """An export (assessment.exports.registry.Download) as a file download."""
    response = FileResponse(io.BytesIO(download.content), as_attachment=True, filename=download.filename)
    response["Content-Type"] = download.content_type
    return response

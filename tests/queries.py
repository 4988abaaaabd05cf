"""Counting the queries of a request, for tests that prove a page does not grow with the data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def query_count(client, url: str) -> int:
    """The queries of one GET, which must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)

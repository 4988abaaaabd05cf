from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

# name → rows of pre-formatted cell texts (or markup), filled by the benchmark before it measures
FLOORS: dict[str, list[list[str]]] = {}


@login_not_required
def empty(request):
    """Nothing but the middleware: the requests/s ceiling of the server."""
    return HttpResponse(b"")


def floor(request, name: str):
    """A page's B1 floor: its cells, already formatted, rendered in a table under base.html."""
    rows = FLOORS.get(name)
    if rows is None:
        raise Http404()
    return render(request, "bench_floor.html", {"rows": rows})

"""The department grid: rows = departments, columns = indicators, each with its reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import access, rules, services
from ..forms import department_grid_input
from ..selectors.grid import indicator_grid


@require_http_methods(["GET", "POST"])
def indicator_grid_page(request, year: int, month: int):
    """The office only; only changed cells are saved, with the version check of the region grid."""
    access.require_office(request.user)
    period, _ = access.period_for_user(request.user, year, month)
    grid = indicator_grid(period, request.user)
    errors, conflicts, posted = {}, [], {}
    if request.method == "POST":
        if not grid.editable:
            raise PermissionDenied("该月份已发布，不能修改。")
        parsed = department_grid_input(request.POST, grid)
        errors, posted = parsed.errors, parsed.posted
        if not errors and not parsed.items:
            messages.info(request, "没有修改。")
            return redirect("entry_indicators", year=year, month=month)
        if not errors:
            try:
                result = services.save_indicator_scores(user=request.user, period=period, items=parsed.items)
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            else:
                if not result.conflicts:
                    note = f"，清空 {result.cleared} 项" if result.cleared else ""
                    messages.success(request, f"已保存 {len(result.saved) - result.cleared} 项指标得分{note}。")
                    return redirect("entry_indicators", year=year, month=month)
                conflicts = result.conflicts
                grid = indicator_grid(period, request.user)
    context = {
        "period": period,
        "grid": grid,
        "errors": errors,
        "posted": posted,
        "conflicts": [(grid.cell(f"{c.key[0]}-{c.key[1]}"), c) for c in conflicts],
        "config": rules.client_config(),
    }
    return render(request, "entry/indicator_grid.html", context, status=400 if errors else 200)

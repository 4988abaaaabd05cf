"""The contract of the URL × role matrix (tests/test_access_matrix.py).

Each URL name maps to an `Access`: how to build its URL arguments from the `World`, and the status
every persona gets. A URL name missing from the merged table fails the matrix test.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = [
    "anonymous",
    "office_admin",
    "office_staff",
    "department_user",  # 市交通局
    "region_user",  # 义安区
    "viewer",
    "outsider",  # signed in, no role
    "inactive",  # a deactivated office admin: treated as anonymous
]


@dataclass
class World:
    """The objects URL arguments are built from (see the `world` fixture of the matrix test)."""

    year: object  # AssessmentYear 2020
    published_period: object  # 2020-08, published
    open_period: object  # 2020-09, open
    own_department: object  # 市交通局 (department_user's unit)
    other_department: object  # 市水利局
    own_region: object  # 义安区 (region_user's unit)
    other_region: object  # 铜官区
    own_project: object  # project 4, 市交通局 is responsible
    adjustment: object  # an Adjustment of the open period for 铜官区
    extra: dict = field(default_factory=dict)


def statuses(default: int, **overrides: int) -> dict[str, int]:
    """Expected status per persona: anonymous and inactive go to login (302) unless overridden."""
    table = dict.fromkeys(PERSONAS, default)
    table["anonymous"] = table["inactive"] = 302
    table.update(overrides)
    return table


@dataclass
class Access:
    kwargs: Callable[[World], dict]
    expected: dict[str, int]
    method: str = "get"
    data: Callable[[World], dict] | None = None  # POST body, when method == "post"
    query: str = ""  # appended to the URL, e.g. "?format=xlsx"

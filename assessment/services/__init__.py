"""Every write of an official number: checked, validated, audited and derived in one transaction.

One module per aggregate; callers use `from assessment import services` and the names below.
"""

from .adjustments import (
    EditConflict,
    NeedsConfirmation,
    add_adjustment,
    delete_adjustment,
    replace_adjustment_sets,
    replace_adjustments,
    update_adjustment,
)
from .base import as_command, ensure_writable, service
from .overrides import set_month_override, set_month_overrides
from .periods import allowed_transitions, change_period_status, get_or_create_period, set_notice_date
from .scores import (
    Conflict,
    IndicatorScoreInput,
    ProjectScoreInput,
    SavedCell,
    SaveResult,
    save_indicator_scores,
    save_project_scores,
)

__all__ = [
    "Conflict",
    "EditConflict",
    "IndicatorScoreInput",
    "NeedsConfirmation",
    "ProjectScoreInput",
    "SaveResult",
    "SavedCell",
    "add_adjustment",
    "as_command",
    "allowed_transitions",
    "change_period_status",
    "delete_adjustment",
    "ensure_writable",
    "get_or_create_period",
    "replace_adjustment_sets",
    "replace_adjustments",
    "save_indicator_scores",
    "save_project_scores",
    "service",
    "set_month_override",
    "set_month_overrides",
    "set_notice_date",
    "update_adjustment",
]

from .progress import (  # noqa: E402
    InformationInput,
    ProgressInput,
    TargetInput,
    save_information,
    save_information_rows,
    save_progress,
    save_progress_rows,
    save_target,
    save_targets,
)
from .proposals import accept_proposal, generate_proposals, reject_proposal  # noqa: E402

__all__ += [
    "InformationInput",
    "ProgressInput",
    "TargetInput",
    "accept_proposal",
    "generate_proposals",
    "reject_proposal",
    "save_information",
    "save_information_rows",
    "save_progress",
    "save_progress_rows",
    "save_target",
    "save_targets",
]

"""The assessment's models, one module per aggregate; import them from here."""

from .adjustments import Adjustment, AdjustmentCategory, AdjustmentRule, year_limits
from .audit import AuditAction, AuditEntry, AuditSubject
from .periods import Period, PeriodStatus
from .proposals import Proposal, ProposalRule, ProposalSource, ProposalStatus
from .results import ResultSummary, UnitResult
from .scores import IndicatorScore, MonthOverride, OverrideKind, ProjectScore
from .uploads import PendingUpload

__all__ = [
    "Adjustment",
    "AdjustmentCategory",
    "AdjustmentRule",
    "AuditAction",
    "AuditEntry",
    "AuditSubject",
    "IndicatorScore",
    "MonthOverride",
    "OverrideKind",
    "PendingUpload",
    "Period",
    "PeriodStatus",
    "ProjectScore",
    "Proposal",
    "ProposalRule",
    "ProposalSource",
    "ProposalStatus",
    "ResultSummary",
    "UnitResult",
    "year_limits",
]

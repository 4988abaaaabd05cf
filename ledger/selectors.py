"""Reads of the ledger, each in a fixed number of queries whatever the number of findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from assessment.models import Period
from projects.models import AssessmentYear, Unit, UnitKind

from . import access
from .models import Evidence, Finding, FindingSource, FindingStatus, RectificationReport, ReminderSlip
from .rules import OPEN_STATUSES, is_overdue

PAGE_SIZE = 100
OVERDUE_PANEL_SIZE = 10


def today() -> date:
    return timezone.localdate()


def with_related(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    return findings.select_related("period__year", "unit", "found_by", "project", "indicator", "slip__year")


def overdue_q(on: date) -> Q:
    return Q(deadline__lt=on) & ~Q(status=FindingStatus.CLOSED)


@dataclass
class LedgerFilters:
    year: int | None = None
    month: int | None = None
    unit_id: int | None = None
    status: str = ""
    overdue: bool = False
    repeated: bool = False

    @classmethod
    def from_query(cls, query) -> LedgerFilters:
        """From a page's GET parameters (unknown or malformed values are ignored)."""

        def number(name):
            value = (query.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) <= 9 else None

        status = query.get("status") or ""
        return cls(
            year=number("year"),
            month=number("month"),
            unit_id=number("unit"),
            status=status if status in FindingStatus.values or status == "open" else "",
            overdue=query.get("overdue") == "1",
            repeated=query.get("repeated") == "1",
        )

    def apply(self, findings: QuerySet[Finding], on: date) -> QuerySet[Finding]:
        if self.year:
            findings = findings.filter(period__year__year=self.year)
        if self.month:
            findings = findings.filter(period__month=self.month)
        if self.unit_id:
            findings = findings.filter(unit_id=self.unit_id)
        if self.status == "open":
            findings = findings.filter(status__in=OPEN_STATUSES)
        elif self.status:
            findings = findings.filter(status=self.status)
        if self.overdue:
            findings = findings.filter(overdue_q(on))
        if self.repeated:
            findings = findings.filter(repeated=True)
        return findings

    def query_string(self) -> str:
        parts = []
        for name, value in (
            ("year", self.year),
            ("month", self.month),
            ("unit", self.unit_id),
            ("status", self.status),
        ):
            if value:
                parts.append(f"{name}={value}")
        if self.overdue:
            parts.append("overdue=1")
        if self.repeated:
            parts.append("repeated=1")
        return "&".join(parts)


@dataclass
class Row:
    finding: Finding
    overdue: bool


def rows_of(findings, on: date) -> list[Row]:
    return [Row(finding, is_overdue(finding.status, finding.deadline, on)) for finding in findings]


@dataclass
class LedgerPage:
    rows: list[Row]
    page: object  # django Page
    total: int
    filters: LedgerFilters
    years: list[int] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.counts.get(value, 0)) for value, label in FindingStatus.choices]


def regions_first():
    """县区 before 市直责任单位, as the official tables list them."""
    return Case(When(unit__kind=UnitKind.REGION, then=Value(0)), default=Value(1), output_field=IntegerField())


def ordered(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    return findings.order_by("-period__year__year", "-period__month", regions_first(), "unit__display_order", "id")


def ledger(user, filters: LedgerFilters, *, page_number: int = 1, on: date | None = None) -> LedgerPage:
    """The ledger page: 100 findings a page, with the filters' choices and the counts per status."""
    on = on or today()
    visible = access.visible_findings(user)
    findings = filters.apply(visible, on)
    paginator = Paginator(with_related(ordered(findings)), PAGE_SIZE)
    page = paginator.get_page(page_number)
    rows = rows_of(page.object_list, on)
    counts = {status: 0 for status in FindingStatus.values}
    for status, count in _status_counts(findings):
        counts[status] = count
    unit_ids = visible.values("unit_id")
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("-kind", "display_order", "name"))
    years = sorted(
        AssessmentYear.objects.filter(periods__findings__in=visible).values_list("year", flat=True).distinct(),
        reverse=True,
    )
    return LedgerPage(rows, page, paginator.count, filters, years=years, units=units, counts=counts)


def _status_counts(findings):
    from django.db.models import Count

    return findings.order_by().values_list("status").annotate(count=Count("id"))


def export_rows(user, filters: LedgerFilters, *, on: date | None = None) -> list[Row]:
    """Every finding the filters select, for the Excel 台账 (one query)."""
    on = on or today()
    findings = filters.apply(access.visible_findings(user), on)
    return rows_of(with_related(ordered(findings)), on)


@dataclass
class FindingDetail:
    finding: Finding
    overdue: bool
    reports: list[tuple[RectificationReport, list[Evidence]]]
    history: list
    steps: list[str]


def finding_detail(user, finding: Finding, *, on: date | None = None) -> FindingDetail:
    from assessment.models import AuditEntry

    on = on or today()
    reports = list(finding.reports.select_related("created_by"))
    evidence: dict[int, list[Evidence]] = {}
    for item in finding.evidence.all():
        evidence.setdefault(item.report_id, []).append(item)
    history = list(
        AuditEntry.objects.filter(record_id=finding.pk, action__startswith="finding.").order_by("created_at", "id")
    )
    return FindingDetail(
        finding,
        is_overdue(finding.status, finding.deadline, on),
        [(report, evidence.get(report.pk, [])) for report in reports],
        history,
        access.allowed_steps(user, finding),
    )


def overdue_findings(user, *, unit_id: int | None = None, on: date | None = None, limit: int = OVERDUE_PANEL_SIZE):
    """The dashboard's and the unit page's panel: the overdue findings the user sees (at most `limit`),
    and how many there are in all. Two queries."""
    on = on or today()
    findings = access.visible_findings(user).filter(overdue_q(on))
    if unit_id is not None:
        findings = findings.filter(unit_id=unit_id)
    total = findings.count()
    rows = rows_of(
        with_related(findings.order_by("deadline", regions_first(), "unit__display_order", "id"))[:limit], on
    )
    return rows, total


@dataclass
class UnitLedger:
    unit: Unit
    rows: list[Row]
    counts: dict[str, int]
    overdue: int
    slips: list[ReminderSlip]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.counts.get(value, 0)) for value, label in FindingStatus.choices]


def unit_ledger(user, unit: Unit, *, on: date | None = None) -> UnitLedger:
    """A unit's findings (open ones first), its slips and its counts."""
    on = on or today()
    findings = access.visible_findings(user).filter(unit=unit)
    rows = rows_of(with_related(ordered(findings))[:500], on)
    counts = {status: 0 for status in FindingStatus.values}
    for status, count in _status_counts(findings):
        counts[status] = count
    overdue = findings.filter(overdue_q(on)).count()
    slips = (
        ReminderSlip.objects.filter(unit=unit, findings__in=findings).select_related("year", "period__year").distinct()
    )
    return UnitLedger(unit, rows, counts, overdue, list(slips.order_by("-period__year__year", "-period__month")))


@dataclass
class SlipData:
    slip: ReminderSlip
    rows: list[Row]
    office_name: str


def slip_data(slip: ReminderSlip, *, on: date | None = None) -> SlipData:
    on = on or today()
    by_source = Case(
        *(When(source=source, then=Value(index)) for index, source in enumerate(FindingSource.values)),
        output_field=IntegerField(),
    )
    findings = with_related(slip.findings.filter(withdrawn=False).order_by(by_source, "id"))
    return SlipData(slip, rows_of(findings, on), slip.period.year.office_name)


def slip_periods(limit: int = 24) -> list[Period]:
    """The published months that have findings, newest first (where the office issues slips)."""
    from assessment.models import PeriodStatus

    periods = Period.objects.filter(status=PeriodStatus.PUBLISHED, findings__isnull=False).distinct()
    return list(periods.select_related("year").order_by("-year__year", "-month")[:limit])


def month_slips(period: Period) -> list[ReminderSlip]:
    return list(ReminderSlip.objects.filter(period=period).select_related("unit", "year").order_by("number"))


def items_for_command(
    *, year: int, month: int | None = None, unit: Unit | None = None, on: date | None = None
) -> list[dict]:
    """The `rectifications --json` items (every finding that is not withdrawn, trusted: no user)."""
    on = on or today()
    findings = Finding.objects.filter(withdrawn=False, period__year__year=year)
    if month is not None:
        findings = findings.filter(period__month=month)
    if unit is not None:
        findings = findings.filter(unit=unit)
    findings = with_related(findings.order_by("period__month", regions_first(), "unit__display_order", "id"))
    from assessment.rules import points_text

    return [
        {
            "unit": finding.unit.name,
            "month": finding.period.month,
            "project": str(finding.project) if finding.project_id else None,
            "source": finding.get_source_display(),
            "points": points_text(finding.points),
            "reason": finding.reason,
            "status": finding.get_status_display(),
            "deadline": finding.deadline.isoformat() if finding.deadline else None,
            "overdue": is_overdue(finding.status, finding.deadline, on),
            "repeated": finding.repeated,
        }
        for finding in findings
    ]

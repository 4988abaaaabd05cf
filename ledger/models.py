"""The rectification ledger (整改台账): every deduction of a published month is a finding owed by a unit,
chased through a reminder slip (工作提示单) until the office closes it (销号).

Findings are created by `ledger.services.sync_findings`, which publishing a period calls in its own
transaction; their status changes only through the services, each change audited (`finding.*`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from assessment.models import Adjustment, Period
from projects.models import SCORE_FIELD, AssessmentYear, Indicator, Project, Unit

REASON_MAX_LENGTH = 500
TEXT_MAX_LENGTH = 2000


class FindingSource(models.TextChoices):
    PROJECT_SCORE = "project_score", "项目得分"
    INDICATOR_SCORE = "indicator_score", "指标得分"
    ADJUSTMENT = "adjustment", "加扣分"


class FindingStatus(models.TextChoices):
    PENDING = "pending", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    AWAITING_CLOSURE = "awaiting_closure", "待销号"
    CLOSED = "closed", "已销号"


class SlipSeries(models.Model):
    """A year's numbering of reminder slips: '铜民生提〔2020〕9号' is prefix 铜民生提, year 2020, number 9."""

    year = models.OneToOneField(AssessmentYear, models.CASCADE, related_name="slip_series", verbose_name="年度")
    prefix = models.CharField("编号前缀", max_length=20, default="民生提", help_text="例如 铜民生提")
    default_days = models.PositiveSmallIntegerField("默认整改期限（天）", default=15)

    class Meta:
        verbose_name = "工作提示单编号"
        verbose_name_plural = "工作提示单编号"

    def __str__(self):
        return f"{self.prefix}〔{self.year.year}〕N号"


class ReminderSlip(models.Model):
    """工作提示单: one per unit per month, listing the unit's findings of the month and a deadline."""

    year = models.ForeignKey(AssessmentYear, models.PROTECT, related_name="+", verbose_name="年度")
    period = models.ForeignKey(Period, models.CASCADE, related_name="reminder_slips", verbose_name="考评月份")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="reminder_slips", verbose_name="单位")
    prefix = models.CharField("编号前缀", max_length=20)
    number = models.PositiveIntegerField("编号")
    deadline = models.DateField("整改期限")
    note = models.TextField("整改要求", blank=True, max_length=TEXT_MAX_LENGTH)
    issued_at = models.DateTimeField("印发时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="印发人"
    )

    class Meta:
        ordering = ["period__year__year", "period__month", "number"]
        verbose_name = "工作提示单"
        verbose_name_plural = "工作提示单"
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="reminder_slip_one_per_unit_month"),
            models.UniqueConstraint(fields=["year", "number"], name="reminder_slip_number_unique_per_year"),
        ]

    def __str__(self):
        return self.code

    @property
    def code(self) -> str:
        """铜民生提〔2020〕9号"""
        return f"{self.prefix}〔{self.year.year}〕{self.number}号"


class Finding(models.Model):
    """A deduction of a published month, owed by `unit` (the region for a project score, the department
    for its indicators; the unit of a 加扣分 item), found by `found_by` (the project's responsible
    department; empty: the office)."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="findings", verbose_name="考评月份")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="findings", verbose_name="责任单位")
    found_by = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="发现单位", help_text="空：民生办"
    )
    source = models.CharField("来源", max_length=20, choices=FindingSource.choices)
    key = models.CharField("来源标识", max_length=80)
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="项目")
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="指标"
    )
    adjustment = models.ForeignKey(
        Adjustment, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="加扣分"
    )
    repeat_key = models.CharField("重复判断依据", max_length=200)
    points = models.DecimalField("扣分", **SCORE_FIELD)
    reason = models.CharField("问题", max_length=REASON_MAX_LENGTH)
    status = models.CharField("状态", max_length=20, choices=FindingStatus.choices, default=FindingStatus.PENDING)
    deadline = models.DateField("整改期限", null=True, blank=True)
    slip = models.ForeignKey(
        ReminderSlip, models.SET_NULL, null=True, blank=True, related_name="findings", verbose_name="工作提示单"
    )
    repeated = models.BooleanField("重复发现", default=False)
    withdrawn = models.BooleanField("已撤销", default=False, help_text="重新发布后该扣分已不存在")
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["period__year__year", "period__month", "unit__kind", "unit__display_order", "id"]
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        constraints = [
            models.UniqueConstraint(fields=["period", "key"], name="finding_unique_per_source"),
            models.CheckConstraint(condition=Q(points__lt=0), name="finding_points_negative"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status", "deadline"]),
        ]

    def __str__(self):
        return f"{self.period} {self.unit} {self.reason}"

    @property
    def subject(self) -> str:
        """What was assessed: the project, the indicator or the 加扣分 category."""
        if self.project_id:
            return str(self.project)
        if self.indicator_id:
            return self.indicator.name
        return FindingSource.ADJUSTMENT.label

    @property
    def finder_name(self) -> str:
        if self.found_by_id:
            return self.found_by.name
        return self.period.year.office_name


class RectificationReport(models.Model):
    """What the responsible unit did: a text, with evidence files."""

    finding = models.ForeignKey(Finding, models.CASCADE, related_name="reports", verbose_name="整改事项")
    text = models.TextField("整改情况", max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField("报送时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="报送人"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "整改情况"
        verbose_name_plural = "整改情况"

    def __str__(self):
        return f"{self.finding} · {self.text[:20]}"

    @property
    def author_name(self) -> str:
        from accounts.models import display_name

        return display_name(self.created_by)


class Evidence(models.Model):
    """An evidence file, stored under settings.EVIDENCE_ROOT by a random name; served only by a view."""

    report = models.ForeignKey(RectificationReport, models.CASCADE, related_name="evidence", verbose_name="整改情况")
    finding = models.ForeignKey(Finding, models.CASCADE, related_name="evidence", verbose_name="整改事项")
    original_name = models.CharField("文件名", max_length=120)
    stored_name = models.CharField("存储名", max_length=80, unique=True)
    kind = models.CharField("类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="上传人"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"

    def __str__(self):
        return self.original_name

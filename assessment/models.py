"""Periods, the numbers entered for them, the results derived from them, and the audit log."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from projects.models import SCORE_FIELD, AssessmentYear, Indicator, Project, Unit

ZERO = Decimal("0")


class PeriodStatus(models.TextChoices):
    OPEN = "open", "录入中"
    CLOSED = "closed", "审核中"
    PUBLISHED = "published", "已发布"


class Period(models.Model):
    year = models.ForeignKey(AssessmentYear, models.PROTECT, related_name="periods", verbose_name="年度")
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField("状态", max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    results_updated_at = models.DateTimeField("结果计算时间", null=True, blank=True)

    class Meta:
        ordering = ["year__year", "month"]
        verbose_name = "考评月份"
        verbose_name_plural = "考评月份"
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="period_unique_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="period_month_1_12"),
        ]

    def __str__(self):
        return f"{self.year.year}年{self.month}月"

    @property
    def label(self) -> str:
        return f"{self.month}月"

    @property
    def is_published(self) -> bool:
        return self.status == PeriodStatus.PUBLISHED

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN


class EnteredScore(models.Model):
    """Common fields of a score typed into a grid; `version` detects concurrent edits."""

    score = models.DecimalField("得分", **SCORE_FIELD, null=True, blank=True, validators=[MinValueValidator(ZERO)])
    reason = models.TextField("扣分原因/说明", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="更新人"
    )

    class Meta:
        abstract = True


class ProjectScore(EnteredScore):
    """A region's score on one project row in one month, or 'not applicable this month'."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="project_scores", verbose_name="考评月份")
    region = models.ForeignKey(Unit, models.PROTECT, related_name="project_scores", verbose_name="县区")
    project = models.ForeignKey(Project, models.PROTECT, related_name="scores", verbose_name="项目")
    not_applicable = models.BooleanField("本月不适用", default=False)

    class Meta:
        verbose_name = "县区项目得分"
        verbose_name_plural = "县区项目得分"
        constraints = [
            models.UniqueConstraint(fields=["period", "region", "project"], name="project_score_unique"),
            models.CheckConstraint(
                condition=Q(not_applicable=True, score__isnull=True) | Q(not_applicable=False, score__isnull=False),
                name="project_score_either_score_or_not_applicable",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) | Q(score__isnull=True), name="project_score_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.region} {self.project.code}"

    def clean(self):
        errors = {}
        if self.region_id and not self.region.is_region:
            errors["region"] = "只能为县区录入项目得分。"
        if self.project_id and self.period_id and self.project.year_id != self.period.year_id:
            errors["project"] = "项目不属于该考评年度。"
        if self.not_applicable:
            self.score = None
        elif self.score is None:
            errors["score"] = "请填写得分，或标记为本月不适用（—）。"
        elif self.period_id:
            maximum = self.period.year.project_max_score
            if self.score > maximum:
                errors["score"] = f"得分不能超过满分 {maximum}。"
            elif self.score < maximum and not self.reason.strip():
                errors["reason"] = "得分低于满分时必须填写扣分原因。"
        if errors:
            raise ValidationError(errors)


class IndicatorScore(EnteredScore):
    """A department's score on one indicator in one month."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="indicator_scores", verbose_name="考评月份")
    department = models.ForeignKey(Unit, models.PROTECT, related_name="indicator_scores", verbose_name="责任单位")
    indicator = models.ForeignKey(Indicator, models.PROTECT, related_name="scores", verbose_name="指标")

    class Meta:
        verbose_name = "部门指标得分"
        verbose_name_plural = "部门指标得分"
        constraints = [
            models.UniqueConstraint(fields=["period", "department", "indicator"], name="indicator_score_unique"),
            models.CheckConstraint(condition=Q(score__isnull=False, score__gte=0), name="indicator_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.period} {self.department} {self.indicator.name}"

    def clean(self):
        errors = {}
        if self.department_id and not self.department.is_department:
            errors["department"] = "只能为责任单位录入指标得分。"
        if self.indicator_id and self.period_id and self.indicator.year_id != self.period.year_id:
            errors["indicator"] = "指标不属于该考评年度。"
        if self.score is None:
            errors["score"] = "请填写得分。"
        elif self.indicator_id:
            maximum = self.indicator.max_score
            if self.score > maximum:
                errors["score"] = f"得分不能超过满分 {maximum}。"
            elif self.score < maximum and not self.reason.strip():
                errors["reason"] = "得分低于满分时必须填写原因。"
        if errors:
            raise ValidationError(errors)


class AdjustmentCategory(models.TextChoices):
    INFORMATION_ADOPTED = "information_adopted", "信息采用"
    SIGNBOARD = "signboard", "标识牌"
    INFORMATION_REPORTING = "information_reporting", "信息报送"
    PUBLICITY = "publicity", "公示公开"
    SUPERVISION = "supervision", "督查发现"
    FUNDS = "funds", "资金问题"
    DATA_QUALITY = "data_quality", "数据质量"
    OTHER = "other", "其他"


class Adjustment(models.Model):
    """A signed bonus or deduction (加扣分) for a unit in a month, always with its reason."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="adjustments", verbose_name="考评月份")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="adjustments", verbose_name="单位")
    points = models.DecimalField("加(扣)分", **SCORE_FIELD)
    reason = models.TextField("原因")
    category = models.CharField(
        "类别", max_length=30, choices=AdjustmentCategory.choices, default=AdjustmentCategory.OTHER
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="更新人"
    )

    class Meta:
        ordering = ["period", "unit__kind", "unit__display_order", "id"]
        verbose_name = "加扣分"
        verbose_name_plural = "加扣分"
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="adjustment_points_not_zero"),
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_reason_required"),
        ]

    def __str__(self):
        return f"{self.unit} {self.points:+} {self.reason}"

    def clean(self):
        if self.points is not None and self.points == 0:
            raise ValidationError({"points": "加扣分不能为 0。"})
        if not (self.reason or "").strip():
            raise ValidationError({"reason": "加扣分必须填写原因。"})


class OverrideKind(models.TextChoices):
    RECORDED_TOTAL = "recorded_total", "月度得分"
    NOT_ASSESSED = "not_assessed", "未纳入考评"


class MonthOverride(models.Model):
    """A unit's month given as a recorded total (months before the system), or as not assessed."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="overrides", verbose_name="考评月份")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="overrides", verbose_name="单位")
    kind = models.CharField("类型", max_length=20, choices=OverrideKind.choices)
    score = models.DecimalField("月度得分", **SCORE_FIELD, null=True, blank=True)
    reason = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "月度得分/未纳入考评"
        verbose_name_plural = "月度得分/未纳入考评"
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="month_override_unique"),
            models.CheckConstraint(
                condition=Q(kind="recorded_total", score__isnull=False) | Q(kind="not_assessed", score__isnull=True),
                name="month_override_score_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.unit} {self.get_kind_display()}"

    def clean(self):
        if self.kind == OverrideKind.RECORDED_TOTAL and self.score is None:
            raise ValidationError({"score": "请填写月度得分。"})
        if self.kind == OverrideKind.NOT_ASSESSED:
            self.score = None


class UnitResult(models.Model):
    """A unit's derived month and year-to-date result; rebuilt whenever the period's numbers change."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="results", verbose_name="考评月份")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="results", verbose_name="单位")
    score = models.DecimalField("月得分", **SCORE_FIELD, null=True)
    rank = models.PositiveIntegerField("月排名", null=True)
    ytd_score = models.DecimalField("累计得分", max_digits=9, decimal_places=3, null=True)
    ytd_rank = models.PositiveIntegerField("累计排名", null=True)
    rank_change = models.IntegerField("月排名变化", null=True, help_text="正数表示名次上升")
    ytd_rank_change = models.IntegerField("累计排名变化", null=True, help_text="正数表示名次上升")
    imputed = models.BooleanField("按平均分计", default=False)
    imputed_months = models.JSONField("按平均分计的月份", default=list)
    adjustment_total = models.DecimalField("加扣分合计", **SCORE_FIELD, default=ZERO)
    missing = models.JSONField("缺少的得分", default=list)

    class Meta:
        ordering = ["period", "unit__kind", "rank", "unit__display_order"]
        verbose_name = "考评结果"
        verbose_name_plural = "考评结果"
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="unit_result_unique")]

    def __str__(self):
        return f"{self.period} {self.unit} {self.score}"


class AuditAction(models.TextChoices):
    CREATED = "created", "新增"
    CHANGED = "changed", "修改"
    DELETED = "deleted", "删除"
    STATUS = "status", "状态变更"
    IMPORTED = "imported", "导入"


class AuditEntry(models.Model):
    """Who changed which official number, when, from what to what, and why. Never edited or deleted."""

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    username = models.CharField("操作人账号", max_length=150, blank=True)
    period = models.ForeignKey(Period, models.PROTECT, related_name="audit_entries", verbose_name="考评月份")
    action = models.CharField("操作", max_length=20, choices=AuditAction.choices)
    item = models.CharField("对象类型", max_length=30)
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="单位")
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="项目")
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="指标"
    )
    description = models.CharField("对象", max_length=200)
    old_value = models.TextField("原值", blank=True)
    new_value = models.TextField("新值", blank=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "变更记录"
        verbose_name_plural = "变更记录"
        indexes = [models.Index(fields=["period", "unit", "project"]), models.Index(fields=["period", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.description}"


class UserProfile(models.Model):
    """Links a department or region user to the one unit they act for; roles are Django groups."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="profile", verbose_name="用户")
    unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="users", verbose_name="所属单位")

    class Meta:
        verbose_name = "用户所属单位"
        verbose_name_plural = "用户所属单位"

    def __str__(self):
        return f"{self.user} → {self.unit or '—'}"

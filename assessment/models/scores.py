"""The numbers entered for a period: region project scores, department indicator scores, month overrides."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from projects.models import SCORE_FIELD, Indicator, Project, Unit

from .. import rules
from .periods import Period


class EnteredScore(models.Model):
    """Common fields of a score typed into a grid; `version` detects concurrent edits."""

    score = models.DecimalField(
        "得分", **SCORE_FIELD, null=True, blank=True, validators=[MinValueValidator(rules.ZERO)]
    )
    reason = models.CharField("扣分原因/说明", max_length=rules.REASON_MAX_LENGTH, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="更新人"
    )

    class Meta:
        abstract = True

    def score_errors(self, maximum) -> dict[str, str]:
        """The one rule of every score: within 0..maximum, and a reason when below the maximum."""
        errors = {}
        try:
            rules.check_range(self.score, maximum)
        except rules.InvalidNumber as invalid:
            errors["score"] = str(invalid)
        else:
            problem = rules.reason_problem(self.score, maximum, self.reason)
            if problem:
                errors["reason"] = problem
        return errors


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

    @property
    def text(self) -> str:
        return rules.score_text(self.score, self.not_applicable)

    def clean(self):
        errors = {}
        if self.region_id and not self.region.is_region:
            errors["region"] = "只能为县区录入项目得分。"
        if self.project_id and self.period_id and self.project.year_id != self.period.year_id:
            errors["project"] = "项目不属于该考评年度。"
        if self.not_applicable:
            self.score = None
        elif self.score is None:
            errors["score"] = rules.SCORE_REQUIRED
        elif self.period_id:
            errors.update(self.score_errors(self.period.year.project_max_score))
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

    @property
    def text(self) -> str:
        return rules.score_text(self.score)

    def clean(self):
        errors = {}
        if self.department_id and not self.department.is_department:
            errors["department"] = "只能为责任单位录入指标得分。"
        if self.indicator_id and self.period_id and self.indicator.year_id != self.period.year_id:
            errors["indicator"] = "指标不属于该考评年度。"
        if self.score is None:
            errors["score"] = rules.SCORE_REQUIRED
        elif self.indicator_id:
            errors.update(self.score_errors(self.indicator.max_score))
        if errors:
            raise ValidationError(errors)


class OverrideKind(models.TextChoices):
    RECORDED_TOTAL = "recorded_total", "月度得分"
    NOT_ASSESSED = "not_assessed", "未纳入考评"


class MonthOverride(models.Model):
    """A unit's month given as a recorded total (months before the system), or as not assessed."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="overrides", verbose_name="考评月份")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="overrides", verbose_name="单位")
    kind = models.CharField("类型", max_length=20, choices=OverrideKind.choices)
    score = models.DecimalField("月度得分", **SCORE_FIELD, null=True, blank=True)
    reason = models.CharField("说明", max_length=rules.REASON_MAX_LENGTH, blank=True)

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

    @property
    def text(self) -> str:
        if self.kind == OverrideKind.NOT_ASSESSED:
            return OverrideKind.NOT_ASSESSED.label
        return rules.score_text(self.score)

    def clean(self):
        if self.kind == OverrideKind.RECORDED_TOTAL and self.score is None:
            raise ValidationError({"score": "请填写月度得分。"})
        if self.kind == OverrideKind.NOT_ASSESSED:
            self.score = None

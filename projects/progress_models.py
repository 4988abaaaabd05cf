"""Implementation data of a year's projects: annual targets, monthly cumulative progress, information reports.

Money is in 万元 with 2 decimals, quantities with 2 decimals, people (人次) and information items whole.
The rules that compare them (rates, 序时进度, 滞后) are in `projects.progress_rules`; writes go through
`assessment.services.progress`, reads through `assessment.selectors.progress`.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from . import progress_rules as rules

AMOUNT_FIELD = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


class Target(models.Model):
    """A project's annual target for one unit: a region, or the responsible department where the
    project has no regional split."""

    project = models.ForeignKey("projects.Project", models.CASCADE, related_name="targets", verbose_name="项目")
    unit = models.ForeignKey("projects.Unit", models.PROTECT, related_name="targets", verbose_name="单位")
    quantity = models.DecimalField("目标任务", **AMOUNT_FIELD)
    measure = models.CharField("计量单位", max_length=20, blank=True, help_text="户、人、公里、个、人次…")
    budget = models.DecimalField("年度预算（万元）", **AMOUNT_FIELD)
    due_month = models.PositiveSmallIntegerField(
        "完成时限（月）",
        null=True,
        blank=True,
        validators=MONTH_VALIDATORS,
        help_text="工程类项目须在此月底前完成；留空为年度设置（默认 11 月）；其他类型不用",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="更新人"
    )

    class Meta:
        ordering = ["project__display_order", "project_id", "unit__kind", "unit__display_order", "unit_id"]
        verbose_name = "年度目标任务"
        verbose_name_plural = "年度目标任务"
        constraints = [
            models.UniqueConstraint(fields=["project", "unit"], name="target_unique_per_project_unit"),
            models.CheckConstraint(condition=Q(quantity__gte=0) & Q(budget__gte=0), name="target_not_negative"),
        ]

    def __str__(self):
        return f"{self.project} · {self.unit}"

    @property
    def text(self) -> str:
        return rules.target_text(self.quantity, self.measure, self.budget, self.due_month)


class Progress(models.Model):
    """A target's cumulative progress by the end of a month of its year."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="progress", verbose_name="目标任务")
    month = models.PositiveSmallIntegerField("月份", validators=MONTH_VALIDATORS)
    completed = models.DecimalField("累计完成", **AMOUNT_FIELD)
    paid = models.DecimalField("累计拨付（万元）", **AMOUNT_FIELD)
    beneficiaries = models.PositiveIntegerField("累计受益人次", default=0)
    note = models.CharField("说明", max_length=500, blank=True, help_text="累计数低于上月（更正）时必须说明原因")
    confirmed = models.BooleanField("已确认", default=False, help_text="累计完成超过目标任务的确认上限时，经确认后保存")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="更新人"
    )

    class Meta:
        ordering = ["target_id", "month"]
        verbose_name = "月度累计进度"
        verbose_name_plural = "月度累计进度"
        constraints = [
            models.UniqueConstraint(fields=["target", "month"], name="progress_unique_per_target_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="progress_month_1_12"),
            models.CheckConstraint(condition=Q(completed__gte=0) & Q(paid__gte=0), name="progress_not_negative"),
        ]

    def __str__(self):
        return f"{self.target} {self.month}月"

    @property
    def text(self) -> str:
        return rules.progress_text(self.completed, self.target.measure, self.paid, self.beneficiaries)


class InformationReport(models.Model):
    """A unit's information items of a month: reported (报送), adopted by the city and the province site."""

    year = models.ForeignKey(
        "projects.AssessmentYear", models.CASCADE, related_name="information_reports", verbose_name="年度"
    )
    unit = models.ForeignKey("projects.Unit", models.PROTECT, related_name="information_reports", verbose_name="单位")
    month = models.PositiveSmallIntegerField("月份", validators=MONTH_VALIDATORS)
    reported = models.PositiveIntegerField("报送", default=0)
    city_adopted = models.PositiveIntegerField("市采用", default=0)
    province_adopted = models.PositiveIntegerField("省采用", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="更新人"
    )

    class Meta:
        ordering = ["year", "month", "unit__kind", "unit__display_order", "unit_id"]
        verbose_name = "信息报送"
        verbose_name_plural = "信息报送"
        constraints = [
            models.UniqueConstraint(fields=["year", "unit", "month"], name="information_unique_per_unit_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="information_month_1_12"),
            models.CheckConstraint(
                condition=Q(city_adopted__lte=F("reported")) & Q(province_adopted__lte=F("reported")),
                name="information_adopted_not_above_reported",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.month}月 信息报送"

    @property
    def text(self) -> str:
        return rules.information_text(self.reported, self.city_adopted, self.province_adopted)

    def clean(self):
        problem = rules.information_problem(self.reported, self.city_adopted, self.province_adopted)
        if problem:
            raise ValidationError({problem.field: problem.message})

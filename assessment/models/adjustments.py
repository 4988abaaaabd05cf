"""加扣分: the office's signed bonus or deduction items for a unit in a month, always with a reason."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from accounts.models import display_name
from projects.models import SCORE_FIELD, Unit

from .. import limits, rules
from .periods import Period


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
    reason = models.CharField("原因", max_length=rules.REASON_MAX_LENGTH)
    category = models.CharField(
        "类别", max_length=30, choices=AdjustmentCategory.choices, default=AdjustmentCategory.OTHER
    )
    version = models.PositiveIntegerField("版本", default=1)
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

    @property
    def updated_by_name(self) -> str:
        """Who saved the item last, by 姓名 (the login when no name is known); '系统' for a command."""
        return display_name(self.updated_by)

    @property
    def text(self) -> str:
        """How the audit log and the import preview show an item: '+0.050 省民生网站刊登信息（信息采用）'."""
        return f"{rules.points_text(self.points)} {self.reason}（{self.get_category_display()}）"

    def clean(self):
        problem = rules.points_problem(self.points, self.reason)
        if problem:
            raise ValidationError({problem.field: problem.message})


class AdjustmentRule(models.Model):
    """A year's rule for 加扣分 items: the general limit (no category) or one category's (see assessment.limits)."""

    year = models.ForeignKey(
        "projects.AssessmentYear", models.CASCADE, related_name="adjustment_rules", verbose_name="年度"
    )
    category = models.CharField(
        "类别",
        max_length=30,
        blank=True,
        choices=[(limits.GENERAL, f"全部类别（{limits.GENERAL_LABEL}）"), *AdjustmentCategory.choices],
        help_text="留空为一般限制，对每一项加扣分都适用",
    )
    minimum = models.DecimalField("最低分值", **SCORE_FIELD, null=True, blank=True, help_text="例如 -0.5；留空不限")
    maximum = models.DecimalField("最高分值", **SCORE_FIELD, null=True, blank=True, help_text="例如 0.5；留空不限")
    allowed_values = models.CharField(
        "只允许的分值", max_length=200, blank=True, help_text="用顿号或逗号分隔，例如 0.05、0.1；留空为范围内任意值"
    )
    usual_values = models.CharField(
        "常见分值", max_length=200, blank=True, help_text="其他分值保存前需要确认；留空不检查"
    )
    per_month = models.PositiveSmallIntegerField("每单位每月最多项数", null=True, blank=True)
    confirm_above = models.DecimalField(
        "超过此绝对值需确认", **SCORE_FIELD, null=True, blank=True, help_text="例如 0.2；留空不检查"
    )

    class Meta:
        ordering = ["year", "category"]
        verbose_name = "加扣分规则"
        verbose_name_plural = "加扣分规则"
        constraints = [models.UniqueConstraint(fields=["year", "category"], name="adjustment_rule_unique")]

    def __str__(self):
        return f"{self.year_id} {self.get_category_display()}"

    def clean(self):
        errors = {}
        for name in ("allowed_values", "usual_values"):
            try:
                limits.parse_values(getattr(self, name))
            except rules.InvalidNumber as invalid:
                errors[name] = str(invalid)
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            errors["maximum"] = "最高分值不能低于最低分值"
        if errors:
            raise ValidationError(errors)

    @property
    def limit(self) -> limits.Limit:
        return limits.Limit(
            category=self.category,
            label=self.get_category_display() if self.category else limits.GENERAL_LABEL,
            minimum=self.minimum,
            maximum=self.maximum,
            allowed=limits.parse_values(self.allowed_values),
            usual=limits.parse_values(self.usual_values),
            per_month=self.per_month,
            confirm_above=self.confirm_above,
        )


def year_limits(year_id: int) -> limits.YearLimits:
    """The year's rules for 加扣分 items. One query."""
    return limits.YearLimits.of(rule.limit for rule in AdjustmentRule.objects.filter(year_id=year_id))

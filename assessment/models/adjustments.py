"""加扣分: the office's signed bonus or deduction items for a unit in a month, always with a reason."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from projects.models import SCORE_FIELD, Unit

from .. import rules
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
    def text(self) -> str:
        """How the audit log and the import preview show an item: '+0.050 省民生网站刊登信息（信息采用）'."""
        return f"{rules.points_text(self.points)} {self.reason}（{self.get_category_display()}）"

    def clean(self):
        problem = rules.points_problem(self.points, self.reason)
        if problem:
            raise ValidationError({problem.field: problem.message})

"""Proposed 加扣分: a year's rules turn information reporting and 滞后 into proposals for a month.

A proposal is only a suggestion: nothing enters a score until a person accepts it, and accepting
creates an ordinary 加扣分 item through the adjustment service (audited, within the year's limits).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from projects.models import SCORE_FIELD, Unit

from .. import rules
from .adjustments import Adjustment, AdjustmentCategory
from .periods import Period


class ProposalSource(models.TextChoices):
    """What a rule counts, per unit and month."""

    PROVINCE_ADOPTED = "province_adopted", "省采用信息（每条）"
    CITY_ADOPTED = "city_adopted", "市采用信息（每条）"
    NOT_REPORTED = "not_reported", "当月未报送信息"
    LAGGING = "lagging", "项目滞后（每个项目，责任部门）"


class ProposalRule(models.Model):
    """One line of the year's list: e.g. 省采用 +0.05 per item up to +0.1, 未按时报送 −0.025."""

    year = models.ForeignKey(
        "projects.AssessmentYear", models.CASCADE, related_name="proposal_rules", verbose_name="年度"
    )
    source = models.CharField("依据", max_length=30, choices=ProposalSource.choices)
    project_types = models.CharField(
        "项目类型",
        max_length=100,
        blank=True,
        default="construction",
        help_text="仅用于“项目滞后”：适用的项目类型代码，用逗号分隔（construction、subsidy、training、other）；留空为全部",
    )
    points = models.DecimalField("每项分值", **SCORE_FIELD, help_text="加分为正，扣分为负，例如 0.05、-0.025")
    cap = models.DecimalField(
        "每单位每月最多",
        **SCORE_FIELD,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="分值绝对值的上限，例如 0.1；留空不限",
    )
    category = models.CharField("加扣分类别", max_length=30, choices=AdjustmentCategory.choices)
    reason = models.CharField(
        "原因模板",
        max_length=200,
        help_text="可用 {count}（条数）、{project}（项目）、{month}（月份），例如“省民生网站刊登信息{count}条”",
    )
    is_active = models.BooleanField("启用", default=True)
    display_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["year", "display_order", "id"]
        verbose_name = "加扣分建议规则"
        verbose_name_plural = "加扣分建议规则"
        constraints = [models.CheckConstraint(condition=~Q(points=0), name="proposal_rule_points_not_zero")]

    def __str__(self):
        return f"{self.get_source_display()} {rules.points_text(self.points)}"

    def clean(self):
        try:
            self.reason.format(count=1, project="x", month="1月")
        except (KeyError, IndexError, ValueError):
            raise ValidationError({"reason": "原因模板只能使用 {count}、{project}、{month}"}) from None

    @property
    def type_list(self) -> list[str]:
        return [part.strip() for part in self.project_types.replace("，", ",").split(",") if part.strip()]


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "已驳回"


class Proposal(models.Model):
    """A proposed 加扣分 item of a unit in a month, from a rule; accepted into an Adjustment, or rejected."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="proposals", verbose_name="考评月份")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="proposals", verbose_name="单位")
    rule = models.ForeignKey(ProposalRule, models.CASCADE, related_name="proposals", verbose_name="规则")
    subject = models.CharField("对象", max_length=40, blank=True, help_text="滞后的项目编号；信息类为空")
    points = models.DecimalField("加(扣)分", **SCORE_FIELD)
    reason = models.CharField("原因", max_length=rules.REASON_MAX_LENGTH)
    category = models.CharField("类别", max_length=30, choices=AdjustmentCategory.choices)
    status = models.CharField("状态", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    adjustment = models.OneToOneField(
        Adjustment, models.SET_NULL, null=True, blank=True, related_name="proposal", verbose_name="加扣分"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    decision_note = models.CharField("审核意见", max_length=rules.REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        ordering = ["period", "unit__kind", "unit__display_order", "rule__display_order", "subject", "id"]
        verbose_name = "加扣分建议"
        verbose_name_plural = "加扣分建议"
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "rule", "subject"], name="proposal_unique"),
            models.CheckConstraint(condition=~Q(points=0), name="proposal_points_not_zero"),
        ]

    def __str__(self):
        return f"{self.unit} {self.text}"

    @property
    def text(self) -> str:
        return f"{rules.points_text(self.points)} {self.reason}（{self.get_category_display()}）"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING

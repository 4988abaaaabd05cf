"""What the engine derives from a period's numbers; rebuilt in the transaction of every change."""

from django.db import models

from projects.models import SCORE_FIELD, Unit

from ..rules import ZERO
from .periods import Period


class UnitResult(models.Model):
    """A unit's derived month and year-to-date result."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="results", verbose_name="考评月份")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="results", verbose_name="单位")
    score = models.DecimalField("月得分", **SCORE_FIELD, null=True)
    rank = models.PositiveIntegerField("月排名", null=True)
    ytd_score = models.DecimalField("累计得分", max_digits=9, decimal_places=3, null=True)
    ytd_total = models.DecimalField(
        "累计得分（含未显示月份）",
        max_digits=9,
        decimal_places=3,
        null=True,
        help_text="月得分的累计和；本月无得分时不显示累计，但下月从这里接着累加",
    )
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


class ResultSummary(models.Model):
    """What the pages need about all the units of one kind in a period, kept with the results so that
    a unit's page and the dashboard never read every peer's rows: how many units are scored, the sum
    and the mean of their month scores, and how complete the entry is."""

    period = models.ForeignKey(Period, models.CASCADE, related_name="summaries", verbose_name="考评月份")
    kind = models.CharField("类别", max_length=20)
    scored = models.PositiveIntegerField("有得分的单位数", default=0)
    score_total = models.DecimalField("月得分合计", max_digits=12, decimal_places=3, default=ZERO)
    mean = models.DecimalField("平均得分", **SCORE_FIELD, null=True)
    completeness = models.JSONField(
        "录入进度",
        default=dict,
        help_text='县区：{责任部门id: [已录入, 应录入]}；部门：{"indicators": [已录入, 应录入]}',
    )

    class Meta:
        verbose_name = "考评结果汇总"
        verbose_name_plural = "考评结果汇总"
        constraints = [models.UniqueConstraint(fields=["period", "kind"], name="result_summary_unique")]

    def __str__(self):
        return f"{self.period} {self.kind} {self.mean}"

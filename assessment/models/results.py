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

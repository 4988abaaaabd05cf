"""A period: one month of a year's assessment, with its workflow status."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from projects.models import AssessmentYear


class PeriodStatus(models.TextChoices):
    OPEN = "open", "录入中"
    CLOSED = "closed", "审核中"
    PUBLISHED = "published", "已发布"


class Period(models.Model):
    year = models.ForeignKey(AssessmentYear, models.PROTECT, related_name="periods", verbose_name="年度")
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    status = models.CharField("状态", max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    notice_date = models.DateField("通报日期", null=True, blank=True, help_text="通报和附件上印的日期，由民生办设定")
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

"""The monthly notice (通报): a year's template, the office's rules for the findings, a month's notice
and its versions (who changed which part when)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from accounts.models import display_name
from assessment.models import AdjustmentCategory, Period
from projects.models import AssessmentYear

from . import findings, wording

TITLE_MAX_LENGTH = 200
SALUTATION_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000  # one part of a notice (the findings of a large county stay well below)


class NoticeTemplate(models.Model):
    """A year's fixed texts, edited by the office; `{year}` and `{month}` are filled in per month."""

    year = models.OneToOneField(AssessmentYear, models.CASCADE, related_name="notice_template", verbose_name="年度")
    title = models.CharField("标题", max_length=TITLE_MAX_LENGTH, default=wording.DEFAULT_TITLE)
    salutation = models.CharField("主送单位", max_length=SALUTATION_MAX_LENGTH, default=wording.DEFAULT_SALUTATION)
    opening = models.TextField(
        "开头段落",
        max_length=TEXT_MAX_LENGTH,
        default=wording.DEFAULT_OPENING,
        help_text="{month} 填入月份，{year} 填入年度",
    )
    requirements = models.TextField(
        "工作要求",
        max_length=TEXT_MAX_LENGTH,
        default=wording.DEFAULT_REQUIREMENTS,
        help_text="“针对考评工作中发现的问题，…”",
    )

    class Meta:
        verbose_name = "通报模板"
        verbose_name_plural = "通报模板"

    def __str__(self):
        return f"{self.year_id}年通报模板"


class FindingRule(models.Model):
    """Which group (一是/二是/三是) a deduction goes to: by source, 加扣分 category and reason keywords.
    The first active rule by priority that an item matches decides."""

    GROUPS = [(key, wording.GROUP_LABELS[key]) for key in wording.GROUP_ORDER]
    SOURCE_CHOICES = [("", "全部来源")] + [(source, source) for source in findings.SOURCES]

    group = models.CharField("归入", max_length=20, choices=GROUPS)
    priority = models.PositiveIntegerField("优先级", default=100, help_text="数字小的先匹配")
    source = models.CharField("来源", max_length=20, blank=True, choices=SOURCE_CHOICES)
    category = models.CharField(
        "加扣分类别", max_length=30, blank=True, choices=[("", "全部类别"), *AdjustmentCategory.choices]
    )
    keywords = models.CharField(
        "原因关键词", max_length=500, blank=True, help_text="用顿号或逗号分隔，原因含任一关键词即匹配；留空不限"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = "问题归类规则"
        verbose_name_plural = "问题归类规则"

    def __str__(self):
        return f"{self.get_group_display()}：{self.keywords or self.get_category_display() or '全部'}"

    def clean(self):
        if not (self.source or self.category or self.keyword_list):
            raise ValidationError("请至少填写来源、类别或关键词中的一项，否则该规则匹配所有扣分。")

    @property
    def keyword_list(self) -> tuple[str, ...]:
        parts = self.keywords.replace("，", "、").replace(",", "、").split("、")
        return tuple(part.strip() for part in parts if part.strip())

    @property
    def rule(self) -> findings.Rule:
        return findings.Rule(
            group=self.group,
            priority=self.priority,
            sources=(self.source,) if self.source else (),
            categories=(self.category,) if self.category else (),
            keywords=self.keyword_list,
            id=self.pk,
        )


class Notice(models.Model):
    """A month's notice: its editable parts, and what the findings were generated from. The attachment
    list and the date line are not stored: they follow the attachments and the period's 通报日期."""

    period = models.OneToOneField(Period, models.CASCADE, related_name="notice", verbose_name="考评月份")
    title = models.CharField("标题", max_length=TITLE_MAX_LENGTH)
    salutation = models.CharField("主送单位", max_length=SALUTATION_MAX_LENGTH)
    opening = models.TextField("开头段落", max_length=TEXT_MAX_LENGTH)
    findings = models.TextField("从考评结果看", max_length=TEXT_MAX_LENGTH, blank=True)
    requirements = models.TextField("工作要求", max_length=TEXT_MAX_LENGTH, blank=True)
    sources = models.JSONField("问题来源", default=list, blank=True, help_text="生成时每句话来自哪些扣分")
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="更新人"
    )

    class Meta:
        verbose_name = "月度通报"
        verbose_name_plural = "月度通报"

    def __str__(self):
        return f"{self.period}通报"

    @property
    def parts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in wording.PARTS}


class NoticeVersion(models.Model):
    """One saved state of a notice: who, when, what changed (the parts), and the text of every part."""

    class Kind(models.TextChoices):
        GENERATED = "generated", "生成"
        REGENERATED = "regenerated", "重新生成问题"
        EDITED = "edited", "修改"

    notice = models.ForeignKey(Notice, models.CASCADE, related_name="versions", verbose_name="通报")
    number = models.PositiveIntegerField("版本号")
    kind = models.CharField("操作", max_length=20, choices=Kind.choices)
    changed = models.JSONField("修改的部分", default=list)
    content = models.JSONField("内容", default=dict)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)

    class Meta:
        ordering = ["notice", "-number"]
        verbose_name = "通报版本"
        verbose_name_plural = "通报版本"
        constraints = [models.UniqueConstraint(fields=["notice", "number"], name="notice_version_unique")]

    def __str__(self):
        return f"{self.notice} 第{self.number}版"

    @property
    def changed_labels(self) -> str:
        return "、".join(wording.PART_LABELS.get(name, name) for name in self.changed)

    @staticmethod
    def actor_of(user) -> str:
        return display_name(user)

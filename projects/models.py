"""Reference data of an assessment year: the year's scheme, units, projects and indicators."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

SCORE_FIELD = {"max_digits": 7, "decimal_places": 3}


class RegionFormula(models.TextChoices):
    SUM_THEN_DIVIDE = "sum_then_divide", "（项目得分之和＋加扣分）÷ 适用项目数"
    AVERAGE_THEN_ADD = "average_then_add", "项目平均分＋加扣分"


class PrintedNumbers(models.TextChoices):
    """How 附件2 and 附件3 print their scores (附件1 always prints 3 decimals, as the notice does)."""

    FIXED = "fixed", "固定三位小数（1.500、0.950）"
    AS_PUBLISHED = "as_published", "按通报原样（1.5、0.95、1.55）"


class AssessmentYear(models.Model):
    year = models.PositiveIntegerField(
        "年度", unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField("标题", max_length=200)
    office_name = models.CharField("民生办名称", max_length=100, default="市民生办")
    region_label = models.CharField("县区组名称", max_length=30, default="县区")
    department_label = models.CharField("部门组名称", max_length=30, default="市直责任单位")
    project_max_score = models.DecimalField(
        "项目满分", **SCORE_FIELD, default=Decimal("1.5"), validators=[MinValueValidator(Decimal("0.001"))]
    )
    region_formula = models.CharField(
        "县区得分算法", max_length=30, choices=RegionFormula.choices, default=RegionFormula.SUM_THEN_DIVIDE
    )
    printed_numbers = models.CharField(
        "附件2、附件3 分数格式", max_length=20, choices=PrintedNumbers.choices, default=PrintedNumbers.FIXED
    )
    progress_due_month = models.PositiveSmallIntegerField(
        "工程类完成时限（月）",
        default=11,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="工程类项目目标未写完成时限时，须在此月底前完成全年任务（序时进度按此计算）",
    )
    lag_tolerance = models.DecimalField(
        "滞后容差（百分点）",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="完成率低于序时进度超过此百分点即为滞后",
    )
    plausibility_limit = models.DecimalField(
        "完成率确认上限（%）",
        max_digits=7,
        decimal_places=2,
        default=Decimal("150"),
        validators=[MinValueValidator(Decimal("100"))],
        help_text="累计完成超过目标任务的此百分比时，需确认后才能保存",
    )
    blank_cancelled_adjustments = models.BooleanField(
        "加扣分相抵为零时留空",
        default=False,
        help_text="附件3 中某单位的加扣分合计为 0（如加0.05、扣0.05）时，加(扣)分栏留空而不印 0.000；备注照列各项",
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = "考评年度"
        verbose_name_plural = "考评年度"

    def __str__(self):
        return f"{self.year}年"


class ProjectType(models.TextChoices):
    """How the 小结 treats a project: 工程类 against its 序时进度, 补助类 by people and money paid."""

    CONSTRUCTION = "construction", "工程类"
    SUBSIDY = "subsidy", "补助类"
    TRAINING = "training", "培训类"
    OTHER = "other", "其他"


class UnitKind(models.TextChoices):
    REGION = "region", "县区"
    DEPARTMENT = "department", "责任单位"


class UnitQuerySet(models.QuerySet):
    def regions(self):
        return self.filter(kind=UnitKind.REGION)

    def departments(self):
        return self.filter(kind=UnitKind.DEPARTMENT)

    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    """A region or a department. Units outlive years."""

    name = models.CharField("名称", max_length=50, unique=True)
    short_name = models.CharField("简称", max_length=30)
    kind = models.CharField("类别", max_length=20, choices=UnitKind.choices)
    display_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "display_order", "name"]
        verbose_name = "考评单位"
        verbose_name_plural = "考评单位"

    def __str__(self):
        return self.name

    @property
    def is_region(self) -> bool:
        return self.kind == UnitKind.REGION

    @property
    def is_department(self) -> bool:
        return self.kind == UnitKind.DEPARTMENT


class Project(models.Model):
    """One row of 附件2: a project, or one responsible department's part of a split project."""

    year = models.ForeignKey(AssessmentYear, models.CASCADE, related_name="projects", verbose_name="年度")
    code = models.CharField("编号", max_length=20)
    group_code = models.CharField("项目组编号", max_length=20, blank=True)
    printed_code = models.CharField("打印编号", max_length=20, blank=True, help_text="附件2 上印的编号，留空则用编号")
    name = models.CharField("项目名称", max_length=100)
    responsible_department = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="responsible_projects",
        verbose_name="责任部门",
        limit_choices_to={"kind": UnitKind.DEPARTMENT},
    )
    project_type = models.CharField("类型", max_length=20, choices=ProjectType.choices, default=ProjectType.OTHER)
    display_order = models.PositiveIntegerField("排序", default=0)
    excluded_regions = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="excluded_projects",
        verbose_name="不适用的县区",
        limit_choices_to={"kind": UnitKind.REGION},
        help_text="该项目不适用的县区，附件2 中显示为“—”；默认适用于全部县区",
    )

    class Meta:
        ordering = ["year", "display_order", "id"]
        verbose_name = "民生工程项目"
        verbose_name_plural = "民生工程项目"
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="project_code_unique_per_year")]

    def __str__(self):
        return f"{self.display_code}、{self.name}"

    @property
    def display_code(self) -> str:
        return self.printed_code or self.code

    def clean(self):
        if self.responsible_department_id is not None and not self.responsible_department.is_department:
            raise ValidationError({"responsible_department": "责任部门必须是市直责任单位，不能是县区。"})
        if not self.group_code and self.code:
            self.group_code = self.code.split("-")[0]


class Indicator(models.Model):
    """A department's scored item (项目进展, 工作推进情况)."""

    year = models.ForeignKey(AssessmentYear, models.CASCADE, related_name="indicators", verbose_name="年度")
    name = models.CharField("指标名称", max_length=50)
    max_score = models.DecimalField("满分", **SCORE_FIELD, validators=[MinValueValidator(Decimal("0.001"))])
    display_order = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["year", "display_order", "id"]
        verbose_name = "部门考评指标"
        verbose_name_plural = "部门考评指标"
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="indicator_name_unique_per_year")]

    def __str__(self):
        return f"{self.name}（满分{self.max_score}）"


# Implementation data of a year's projects: targets, monthly progress, information reporting.
from .progress_models import InformationReport, Progress, Target  # noqa: E402

__all__ = [
    "AssessmentYear",
    "Indicator",
    "InformationReport",
    "Progress",
    "Project",
    "ProjectType",
    "RegionFormula",
    "PrintedNumbers",
    "Target",
    "Unit",
    "UnitKind",
]

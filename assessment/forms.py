"""Forms of the entry pages. They only parse and check input (with `assessment.rules`); the services write."""

from dataclasses import dataclass, field

from django import forms

from projects.models import Unit

from . import rules
from .models import AdjustmentCategory, PeriodStatus
from .selectors.grid import IndicatorGrid
from .services import IndicatorScoreInput


class PeriodCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)


class NoticeDateForm(forms.Form):
    notice_date = forms.DateField(
        label="通报日期",
        required=False,
        help_text="通报和附件1-3上印的日期；留空则印发布日期（未发布时为当天）",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )


def clean_text(value: str, limit: int = rules.REASON_MAX_LENGTH) -> str:
    text = (value or "").strip()
    problem = rules.text_problem(text, limit)
    if problem:
        raise forms.ValidationError(problem)
    return text


class PeriodStatusForm(forms.Form):
    status = forms.ChoiceField(label="新状态", choices=PeriodStatus.choices)
    reason = forms.CharField(
        label="原因", required=False, max_length=rules.REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_reason(self):
        return clean_text(self.cleaned_data["reason"])


class PointsField(forms.Field):
    """Signed 加扣分 points, read like every other typed number (full-width digits accepted)."""

    widget = forms.TextInput

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 20:
            raise forms.ValidationError(rules.NOT_A_NUMBER.format(text=rules.number_text(value)))
        try:
            return rules.parse_points(value)
        except rules.InvalidNumber as invalid:
            raise forms.ValidationError(str(invalid)) from None


class AdjustmentForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    points = PointsField(
        label="加(扣)分",
        help_text="加分为正数，扣分为负数，例如 -0.05",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(label="类别", choices=AdjustmentCategory.choices)
    reason = forms.CharField(label="原因", max_length=rules.REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, group_labels: tuple[str, str] = ("县区", "市直责任单位"), **kwargs):
        super().__init__(*args, **kwargs)
        units = list(Unit.objects.active().order_by("-kind", "display_order", "name"))
        self.fields["unit"].queryset = Unit.objects.active()
        # regions and departments in two groups (the page adds a search box over them)
        region_label, department_label = group_labels
        self.fields["unit"].choices = [
            ("", "---------"),
            (region_label, [(u.pk, u.name) for u in units if u.is_region]),
            (department_label, [(u.pk, u.name) for u in units if not u.is_region]),
        ]
        for name, field_ in self.fields.items():
            field_.widget.attrs.setdefault("class", "form-select" if name in ("unit", "category") else "form-control")

    def confirmation_token(self) -> str:
        """What the 确认分值 box confirms: this value in this category, not whatever is typed next."""
        data = self.cleaned_data
        return f"{rules.points_text(data['points'])}|{data['category']}"

    def is_confirmed(self) -> bool:
        return self.data.get("confirmed") == self.confirmation_token()

    def clean_reason(self):
        reason = clean_text(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(rules.POINTS_REASON_REQUIRED)
        return reason


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label="删除原因",
        max_length=rules.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def clean_reason(self):
        return clean_text(self.cleaned_data["reason"])


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        help_text="下载的录入模板（.xlsx），或长表格式（年度,月份,单位,考评项,分值,说明）的 .xlsx / .csv 文件",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("文件太大（最大 5 MB）。")
        return upload


@dataclass
class DepartmentGridInput:
    """The changed cells of a posted department grid, the errors by cell key, and what was typed."""

    items: list[IndicatorScoreInput] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    posted: dict[str, tuple[str, str]] = field(default_factory=dict)


def department_grid_input(data, grid: IndicatorGrid) -> DepartmentGridInput:
    """Only changed cells become inputs; an emptied saved cell clears it (its old reason is not a reason
    for the removal)."""
    result = DepartmentGridInput()
    for department, cells in grid.rows:
        for cell in cells:
            text = data.get(f"score-{cell.key}", cell.text).strip()
            reason = data.get(f"reason-{cell.key}", cell.reason).strip()
            result.posted[cell.key] = (text, reason)
            if text == cell.text and reason == cell.reason:
                continue
            maximum = cell.indicator.max_score
            try:
                parsed = rules.parse_cell(text, maximum=maximum, not_applicable_allowed=False)
            except rules.InvalidNumber as invalid:
                result.errors[cell.key] = str(invalid)
                continue
            problem = rules.text_problem(reason) or rules.reason_problem(parsed.score, maximum, reason)
            if problem:
                result.errors[cell.key] = problem
                continue
            if parsed.is_empty:
                if not cell.text:
                    continue
                reason = "" if reason == cell.reason else reason
            version = _version(data.get(f"version-{cell.key}"), cell.version)
            result.items.append(IndicatorScoreInput(department, cell.indicator, parsed.score, reason, version))
    return result


def _version(posted, loaded: int) -> int:
    try:
        return max(int(posted), 0)
    except (TypeError, ValueError):
        return loaded


class ProgressUploadForm(UploadForm):
    """A progress or information file of one month: the downloaded template, or the import format."""

    file = forms.FileField(
        label="Excel 文件",
        help_text=(
            "下载的填报模板（.xlsx），或导入格式（年度,月份,单位,项目,目标任务,…,说明 或 "
            "年度,月份,单位,报送,市采用,省采用）的 .xlsx / .csv 文件"
        ),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )

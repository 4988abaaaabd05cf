"""Forms of the entry pages. They only parse and check input; the services write."""

from decimal import Decimal, InvalidOperation

from django import forms

from projects.models import Unit

from .models import AdjustmentCategory, PeriodStatus

MAX_DECIMALS = 3
NOT_APPLICABLE_MARKS = {"—", "-", "－", "——", "/"}


def parse_score(text: str, maximum: Decimal) -> Decimal:
    """A score typed by a user: 0..maximum with at most 3 decimals; raises ValueError with a Chinese message."""
    text = (text or "").strip().replace("．", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是有效的数字") from None
    if not number.is_finite():
        raise ValueError(f"“{text}”不是有效的数字")
    if number.as_tuple().exponent < -MAX_DECIMALS and number != number.quantize(Decimal("0.001")):
        raise ValueError(f"“{text}”最多保留 {MAX_DECIMALS} 位小数")
    if number < 0 or number > maximum:
        raise ValueError(f"得分应在 0 到 {maximum.normalize()} 之间")
    return number.quantize(Decimal("0.001"))


class PeriodCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.IntegerField(label="月份", min_value=1, max_value=12)


class PeriodStatusForm(forms.Form):
    status = forms.ChoiceField(label="新状态", choices=PeriodStatus.choices)
    reason = forms.CharField(label="原因", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustmentForm(forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    points = forms.DecimalField(
        label="加(扣)分",
        max_digits=7,
        decimal_places=3,
        help_text="加分为正数，扣分为负数，例如 -0.05",
        widget=forms.NumberInput(attrs={"step": "0.001"}),
    )
    category = forms.ChoiceField(label="类别", choices=AdjustmentCategory.choices)
    reason = forms.CharField(label="原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().order_by("-kind", "display_order", "name")
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-select" if name in ("unit", "category") else "form-control")

    def clean_points(self):
        points = self.cleaned_data["points"]
        if points == 0:
            raise forms.ValidationError("加扣分不能为 0。")
        return points

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请填写原因。")
        return reason


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label="删除原因",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


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

"""The ledger's forms: issuing slips, reporting a rectification, the office's decision."""

from django import forms

from .evidence import ACCEPT_ATTRIBUTE
from .models import REASON_MAX_LENGTH, TEXT_MAX_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class IssueSlipsForm(forms.Form):
    deadline = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        label="整改要求", required=False, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    text = forms.CharField(label="整改情况", max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))
    done = forms.BooleanField(label="已整改完毕，申请销号", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("close", "销号"), ("return", "退回整改")])
    reason = forms.CharField(label="意见/退回原因", required=False, max_length=REASON_MAX_LENGTH)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def file_input_attrs() -> dict:
    return {"accept": ACCEPT_ATTRIBUTE, "multiple": True}

from django import forms

from . import wording
from .models import SALUTATION_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH


def _area(rows: int):
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class NoticeForm(forms.Form):
    """The parts of the notice the office edits; the services check them again."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=wording.PART_LABELS["title"], max_length=TITLE_MAX_LENGTH)
    salutation = forms.CharField(label=wording.PART_LABELS["salutation"], max_length=SALUTATION_MAX_LENGTH)
    opening = forms.CharField(label=wording.PART_LABELS["opening"], max_length=TEXT_MAX_LENGTH, widget=_area(4))
    findings = forms.CharField(
        label=wording.PART_LABELS["findings"], max_length=TEXT_MAX_LENGTH, required=False, widget=_area(10)
    )
    requirements = forms.CharField(
        label=wording.PART_LABELS["requirements"], max_length=TEXT_MAX_LENGTH, required=False, widget=_area(6)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "salutation"):
            self.fields[name].widget.attrs["class"] = "form-control"

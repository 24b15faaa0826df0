from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import KIND_CHOICES, MAX_UPLOAD


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort brief"), choices=())
    planned_date = forms.DateField(
        label=_("Verzenddatum"),
        help_text=_("De datum in de brief. De termijnen in de brief worden vanaf deze dag berekend."),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    signatory = forms.TypedChoiceField(label=_("Ondertekenaar (mandaat)"), choices=(), coerce=int)
    zienswijze_days = forms.IntegerField(
        label=_("Zienswijzetermijn (dagen)"),
        required=False,
        min_value=1,
        help_text=_("Leeg: de standaardtermijn."),
    )
    amount = forms.CharField(label=_("Kosten bestuursdwang (EUR)"), required=False, max_length=20)

    def __init__(self, *args, kinds, signatories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["signatory"].choices = [
            (u.pk, u.get_full_name() or u.get_username()) for u in signatories
        ]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Bewerkte brief (.docx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("Het bestand is te groot (meer dan %(mb)s MB).") % {"mb": MAX_UPLOAD // 2**20}
            )
        return f


class TemplateUploadForm(UploadForm):
    kind = forms.ChoiceField(label=_("Soort brief"), choices=KIND_CHOICES)
    note = forms.CharField(label=_("Toelichting"), required=False, max_length=300)
    field_order = ["kind", "file", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Sjabloon (.docx)")


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Reden"), max_length=500)


class SendForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Verzonden / bekendgemaakt op"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

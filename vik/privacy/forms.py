from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RetentionRule

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RetentionRuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = [
            "label",
            "period_value",
            "period_unit",
            "runs_from",
            "action",
            "legal_basis",
            "verified",
            "uses_legal_calendar",
            "active",
        ]
        error_messages = {"period_value": {"invalid": _("Geef een heel getal op.")}}

    def clean_period_value(self):
        value = self.cleaned_data["period_value"]
        if value is not None and value <= 0:
            raise forms.ValidationError(_("Een bewaartermijn moet langer dan nul zijn."))
        return value


class RecordRefForm(forms.Form):
    model_label = forms.CharField(
        label=_("Soort record"),
        max_length=100,
        help_text=_("Bijvoorbeeld subjects.person of signals.signal."),
    )
    object_id = forms.IntegerField(label=_("Nummer"), min_value=1)
    reason = forms.CharField(label=_("Reden"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class PersonFinderForm(forms.Form):
    """Find the data subject by what they told us (never by an internal number)."""

    naam = forms.CharField(label=_("Achternaam (eventueel met voornamen)"), max_length=200, required=False)
    geboortedatum = forms.DateField(label=_("Geboortedatum"), required=False, widget=DATE)
    bsn = forms.CharField(label=_("BSN"), max_length=11, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    huisnummer = forms.IntegerField(label=_("Huisnummer"), min_value=1, required=False)

    def clean_bsn(self):
        value = self.cleaned_data.get("bsn", "")
        if not value:
            return ""
        from vik.core.identifiers import clean_bsn

        try:
            return clean_bsn(value)
        except Exception as exc:  # ApplicationError or ValidationError with a Dutch message
            raise forms.ValidationError(getattr(exc, "message", _("Dit is geen geldig BSN."))) from exc

    def clean(self):
        data = super().clean()
        if not (data.get("naam") or data.get("bsn") or (data.get("postcode") and data.get("huisnummer"))):
            raise forms.ValidationError(_("Vul een naam, een BSN of een postcode met huisnummer in."))
        return data


class DsarCreateForm(forms.Form):
    person_id = forms.IntegerField(label=_("Persoonsnummer in VIK"), min_value=1)
    received_on = forms.DateField(label=_("Verzoek ontvangen op"), required=False, widget=DATE)


class RectificationForm(forms.Form):
    model_label = forms.CharField(label=_("Soort record"), max_length=100)
    object_id = forms.IntegerField(label=_("Nummer"), min_value=1)
    field_name = forms.CharField(label=_("Veld"), max_length=60)
    new_text = forms.CharField(label=_("Gecorrigeerde tekst"), widget=forms.Textarea(attrs={"rows": 3}))
    annotation = forms.CharField(
        label=_("Aantekening"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReportForm(forms.Form):
    start = forms.DateField(label=_("Van"), widget=DATE)
    end = forms.DateField(label=_("Tot en met"), widget=DATE)
    kind = forms.CharField(label=_("Soort record"), max_length=100, required=False, initial="subjects.person")
    person = forms.IntegerField(label=_("Nummer (wie heeft ingezien)"), min_value=1, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("De einddatum ligt voor de begindatum."))
        return data

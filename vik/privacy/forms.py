from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vik.core.constants import LegalBasis, MappingKind

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


class PickedRecordField(forms.CharField):
    """The record picked from the finder's results (a radio button per result); the user never
    types a model label or a number."""

    default_error_messages = {
        "required": _("Zoek het record op en kies het uit de zoekresultaten."),
        "invalid": _("Zoek het record op en kies het uit de zoekresultaten."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Kies het record"))
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(**kwargs)

    def offer(self, found) -> None:
        """Show the finder's results as the choices (``FoundRecord`` list)."""
        self.widget.choices = [
            (r.ref, f"{r.kind}: {r.label}" + (f" ({r.detail})" if r.detail else "")) for r in found or []
        ]

    def clean(self, value):
        from .providers import parse_record_ref

        value = super().clean(value)
        if not value and not self.required:
            return None
        ref = parse_record_ref(value)
        if ref is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ref


class RecordRefForm(forms.Form):
    record = PickedRecordField()
    reason = forms.CharField(label=_("Reden"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("record"):
            data["model_label"], data["object_id"] = data.pop("record")
        return data


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


class RecordFinderForm(PersonFinderForm):
    """The DSAR's person finder, also for organisations (by name or KvK number) and addresses."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["naam"].label = _("Naam (persoon of organisatie) of KvK-nummer")


class DsarCreateForm(forms.Form):
    # picked from the finder's results (a hidden field per result), never typed
    person_id = forms.IntegerField(label=_("Persoon"), min_value=1, widget=forms.HiddenInput)
    received_on = forms.DateField(label=_("Verzoek ontvangen op"), required=False, widget=DATE)


class RectificationForm(forms.Form):
    record = PickedRecordField()
    field_name = forms.ChoiceField(label=_("Veld"))
    new_text = forms.CharField(label=_("Gecorrigeerde tekst"), widget=forms.Textarea(attrs={"rows": 3}))
    annotation = forms.CharField(
        label=_("Aantekening"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        from .providers import rectifiable_fields

        super().__init__(*args, **kwargs)
        self.fields["field_name"].choices = [("", "---------"), *rectifiable_fields()]

    def clean(self):
        data = super().clean()
        if data.get("record"):
            data["model_label"], data["object_id"] = data.pop("record")
        return data


class ReportForm(forms.Form):
    start = forms.DateField(label=_("Van"), widget=DATE)
    end = forms.DateField(label=_("Tot en met"), widget=DATE)
    record = PickedRecordField(required=False, label=_("Wie heeft ingezien"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("De einddatum ligt voor de begindatum."))
        return data


class ProcessingActivityForm(forms.Form):
    """The content of one version of a processing activity (AVG art. 30 lid 1)."""

    name = forms.CharField(label=_("Naam"), max_length=200)
    purpose = forms.CharField(label=_("Doel van de verwerking"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_bases = forms.MultipleChoiceField(
        label=_("Grondslagen"), choices=LegalBasis.choices, widget=forms.CheckboxSelectMultiple
    )
    subject_categories = forms.CharField(
        label=_("Categorieën betrokkenen"), widget=forms.Textarea(attrs={"rows": 2})
    )
    data_categories = forms.CharField(
        label=_("Categorieën persoonsgegevens"), widget=forms.Textarea(attrs={"rows": 2})
    )
    recipients = forms.CharField(
        label=_("Ontvangers"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    retention_class = forms.CharField(label=_("Bewaartermijn"), max_length=300)


class PurposeMappingForm(forms.Form):
    kind = forms.ChoiceField(choices=MappingKind.choices, widget=forms.HiddenInput)
    key = forms.CharField(max_length=80, widget=forms.HiddenInput)
    activity = forms.ModelChoiceField(label=_("Verwerkingsactiviteit"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from vik.core.models import ProcessingActivity

        self.fields["activity"].queryset = ProcessingActivity.objects.order_by("code")


SUBJECT_KINDS = [
    ("subjects.person", _("Persoon")),
    ("subjects.organisation", _("Organisatie")),
    ("subjects.address", _("Adres")),
    ("subjects.vehicle", _("Voertuig")),
]


class ProcessingLogQueryForm(forms.Form):
    """The LDV reading shape: by data subject, by activity or by trace, within a time window."""

    subject_kind = forms.ChoiceField(label=_("Soort betrokkene"), choices=SUBJECT_KINDS, required=False)
    subject_id = forms.IntegerField(
        label=_("Nummer van de betrokkene in VIK"), min_value=1, max_value=2**63 - 1, required=False
    )
    activity = forms.ModelChoiceField(label=_("Verwerkingsactiviteit"), queryset=None, required=False)
    trace_id = forms.RegexField(
        label=_("Trace-id"),
        regex=r"^[0-9a-fA-F]{32}$",
        required=False,
        max_length=32,
        error_messages={"invalid": _("Een trace-id bestaat uit 32 hexadecimale tekens.")},
    )
    start = forms.DateField(label=_("Vanaf"), required=False, widget=DATE)
    end = forms.DateField(label=_("Tot en met"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from vik.core.models import ProcessingActivity

        self.fields["activity"].queryset = ProcessingActivity.objects.order_by("code")

    def clean(self):
        data = super().clean()
        if data.get("subject_id") and not data.get("subject_kind"):
            self.add_error("subject_kind", _("Kies de soort betrokkene."))
        if not (data.get("subject_id") or data.get("activity") or data.get("trace_id")):
            raise forms.ValidationError(
                _("Zoek op een betrokkene, een verwerkingsactiviteit of een trace-id (ten minste één).")
            )
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("De einddatum ligt voor de begindatum."))
        return data

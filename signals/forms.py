"""Forms validate shape; business rules live in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik.core import identifiers

from .constants import (
    CasustafelOutcome,
    ControlPartner,
    ControlType,
    FindingType,
    FollowUp,
    LegalRegime,
    ReliabilityInformation,
    ReliabilitySource,
    SignalStatus,
    SubjectRole,
)
from .matching import AddressData, OrganisationData, PersonData
from .models import Phenomenon, SignalSource

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PrefixedIds:
    """Several forms share the detail page: give each its own id prefix (unique ids, labels)."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s" if self.id_prefix else "id_%s")
        super().__init__(*args, **kwargs)


class SubjectFieldsMixin(forms.Form):
    """Inline link-or-create of a person, organisation, address and vehicle (matched by
    identifier first)."""

    persoon_voornamen = forms.CharField(label=_("Voornamen"), required=False, max_length=200)
    persoon_voorvoegsel = forms.CharField(label=_("Voorvoegsel"), required=False, max_length=20)
    persoon_geslachtsnaam = forms.CharField(label=_("Geslachtsnaam"), required=False, max_length=200)
    persoon_geboortedatum = forms.DateField(label=_("Geboortedatum"), required=False, widget=DATE_INPUT)
    persoon_bsn = forms.CharField(label=_("BSN"), required=False, max_length=11)
    organisatie_naam = forms.CharField(label=_("Naam organisatie"), required=False, max_length=200)
    organisatie_kvk = forms.CharField(label=_("KvK-nummer"), required=False, max_length=10)
    adres_postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    adres_huisnummer = forms.IntegerField(label=_("Huisnummer"), required=False, min_value=1, max_value=99999)
    adres_huisletter = forms.CharField(label=_("Huisletter"), required=False, max_length=1)
    adres_toevoeging = forms.CharField(label=_("Toevoeging"), required=False, max_length=4)
    kenteken = forms.CharField(label=_("Kenteken"), required=False, max_length=8)

    def _clean_id(self, name, fn):
        value = self.cleaned_data.get(name, "")
        if not value:
            return ""
        try:
            return fn(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages)

    def clean_persoon_bsn(self):
        return self._clean_id("persoon_bsn", identifiers.clean_bsn)

    def clean_organisatie_kvk(self):
        return self._clean_id("organisatie_kvk", identifiers.clean_kvk_number)

    def clean_adres_postcode(self):
        return self._clean_id("adres_postcode", identifiers.clean_postcode)

    def clean_kenteken(self):
        return self._clean_id("kenteken", identifiers.clean_kenteken)

    def clean_persoon_geboortedatum(self):
        value = self.cleaned_data.get("persoon_geboortedatum")
        if value and value > timezone.localdate():
            raise ValidationError(_("De geboortedatum ligt in de toekomst."))
        return value

    def clean(self):
        data = super().clean()
        person_given = any(
            data.get(f) for f in ("persoon_voornamen", "persoon_voorvoegsel", "persoon_geboortedatum")
        )
        if person_given and not data.get("persoon_geslachtsnaam") and not data.get("persoon_bsn"):
            self.add_error("persoon_geslachtsnaam", _("Vul de geslachtsnaam of het BSN in."))
        address_given = any(data.get(f) for f in ("adres_huisletter", "adres_toevoeging"))
        if data.get("adres_postcode") and not data.get("adres_huisnummer"):
            self.add_error("adres_huisnummer", _("Vul het huisnummer in."))
        if (
            (data.get("adres_huisnummer") or address_given)
            and not data.get("adres_postcode")
            and "adres_postcode" not in self.errors
        ):
            self.add_error("adres_postcode", _("Vul de postcode in."))
        return data

    def person_data(self) -> PersonData | None:
        d = self.cleaned_data
        if not (d.get("persoon_geslachtsnaam") or d.get("persoon_bsn")):
            return None
        return PersonData(
            geslachtsnaam=d.get("persoon_geslachtsnaam", ""),
            voornamen=d.get("persoon_voornamen", ""),
            voorvoegsel=d.get("persoon_voorvoegsel", ""),
            birth_date=d.get("persoon_geboortedatum"),
            bsn=d.get("persoon_bsn", ""),
        )

    def organisation_data(self) -> OrganisationData | None:
        d = self.cleaned_data
        if not (d.get("organisatie_naam") or d.get("organisatie_kvk")):
            return None
        return OrganisationData(name=d.get("organisatie_naam", ""), kvk_number=d.get("organisatie_kvk", ""))

    def address_data(self) -> AddressData | None:
        d = self.cleaned_data
        if not (d.get("adres_postcode") and d.get("adres_huisnummer")):
            return None
        return AddressData(
            postcode=d["adres_postcode"],
            house_number=d["adres_huisnummer"],
            house_letter=d.get("adres_huisletter", ""),
            house_number_addition=d.get("adres_toevoeging", ""),
        )


class SignalForm(SubjectFieldsMixin):
    source = forms.ModelChoiceField(
        label=_("Bron"), queryset=SignalSource.objects.filter(active=True), empty_label=_("— kies —")
    )
    received_date = forms.DateField(label=_("Ontvangen op"), widget=DATE_INPUT)
    phenomena = forms.ModelMultipleChoiceField(
        label=_("Fenomenen"),
        queryset=Phenomenon.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("Samenvatting (niet vertrouwelijk)"),
        max_length=500,
        help_text=_("Kort en zonder vertrouwelijke details; hierop wordt gezocht."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    narrative = forms.CharField(
        label=_("Volledige tekst (vertrouwelijk, versleuteld opgeslagen)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    reliability_source = forms.ChoiceField(
        label=_("Betrouwbaarheid bron"), choices=ReliabilitySource.choices, initial="X"
    )
    reliability_information = forms.ChoiceField(
        label=_("Betrouwbaarheid informatie"), choices=ReliabilityInformation.choices, initial="4"
    )
    legal_regime = forms.ChoiceField(
        label=_("Wettelijk regime"), choices=LegalRegime.choices, initial=LegalRegime.AVG
    )
    wpg_conditions = forms.CharField(
        label=_("Voorwaarden van verstrekking (bij Wpg)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    external_ref = forms.CharField(label=_("Extern kenmerk"), required=False, max_length=100)
    duplicates_seen = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = [
        "source",
        "received_date",
        "phenomena",
        "summary",
        "narrative",
        "reliability_source",
        "reliability_information",
        "legal_regime",
        "wpg_conditions",
        "external_ref",
    ]

    def clean_received_date(self):
        value = self.cleaned_data["received_date"]
        if value > timezone.localdate():
            raise ValidationError(_("De ontvangstdatum ligt in de toekomst."))
        return value

    def main_fields(self):
        return [self[name] for name in self.field_order]

    def subject_fields(self):
        return [f for f in self.visible_fields() if f.name not in self.field_order]


class LinkSubjectForm(PrefixedIds, SubjectFieldsMixin):
    id_prefix = "ln"
    role = forms.ChoiceField(
        label=_("Rol in het signaal"), choices=SubjectRole.choices, initial=SubjectRole.BETROKKENE
    )


class TransitionForm(PrefixedIds, forms.Form):
    id_prefix = "tr"
    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=SignalStatus.choices)
    reason = forms.CharField(label=_("Toelichting"), required=False, max_length=500)

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["to_status"].choices = [(s, SignalStatus(s).label) for s in allowed]


class AlignmentForm(PrefixedIds, forms.Form):
    id_prefix = "al"
    note = forms.CharField(label=_("Afspraak met de politie (lokaal ondermijningsoverleg)"), max_length=500)


class AssignForm(PrefixedIds, forms.Form):
    id_prefix = "as"
    assignee = forms.ModelChoiceField(
        label=_("Toewijzen aan"), queryset=None, required=False, empty_label=_("— niemand —")
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = candidates


class OutcomeForm(PrefixedIds, forms.Form):
    id_prefix = "oc"
    outcome = forms.ChoiceField(label=_("Uitkomst casustafel"), choices=CasustafelOutcome.choices)
    reason = forms.CharField(label=_("Toelichting bij de uitkomst"), required=False, max_length=300)


class AttachmentForm(PrefixedIds, forms.Form):
    id_prefix = "at"
    file = forms.FileField(label=_("Bijlage (PDF, afbeelding, Office-document of e-mail; max. 25 MB)"))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("alle"))] + SignalStatus.choices
    )
    bron = forms.ChoiceField(label=_("Bron"), required=False)
    fenomeen = forms.ChoiceField(label=_("Fenomeen"), required=False)
    van = forms.DateField(label=_("Ontvangen vanaf"), required=False, widget=DATE_INPUT)
    tot = forms.DateField(label=_("Ontvangen tot en met"), required=False, widget=DATE_INPUT)
    gebied = forms.CharField(label=_("Wijk- of buurtcode"), required=False, max_length=10)
    behandelaar = forms.ChoiceField(
        label=_("Behandelaar"),
        required=False,
        choices=[("", _("iedereen")), ("me", _("mijzelf")), ("none", _("niet toegewezen"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bron"].choices = [("", _("alle"))] + [
            (s.code, s.label) for s in SignalSource.objects.all()
        ]
        self.fields["fenomeen"].choices = [("", _("alle"))] + [
            (p.code, p.label) for p in Phenomenon.objects.all()
        ]

    def active_chips(self) -> list[dict]:
        """The filters in use as removable chips: label, the value as the user reads it, and the
        query string without that filter (paging restarts)."""
        if not self.is_bound:
            return []
        chips = []
        for name, field in self.fields.items():
            raw = (self.data.get(name) or "").strip()
            if not raw:
                continue
            shown = dict(getattr(field, "choices", ()) or ()).get(raw, raw)
            rest = self.data.copy()
            for key in (name, "na"):
                rest.pop(key, None)
            chips.append({"label": field.label, "value": shown, "remove": rest.urlencode()})
        return chips

    def clean_gebied(self):
        value = (self.cleaned_data.get("gebied") or "").replace(" ", "").upper()
        if value and not (value[:2] in ("WK", "BU", "GM") and value[2:].isdigit()):
            raise ValidationError(_("Geef een CBS-code zoals WK014101 (wijk) of BU01410101 (buurt)."))
        return value


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Bestandsformaat"),
        choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")],
        widget=forms.RadioSelect,
        initial="xlsx",
    )
    confirm = forms.BooleanField(
        label=_("Ik exporteer alleen voor mijn taak en bewaar het bestand niet langer dan nodig."),
        required=True,
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Bestand (CSV of XLSX)"))


class ImportConfirmForm(forms.Form):
    skip_invalid = forms.BooleanField(
        label=_("Ongeldige regels overslaan en de goede regels importeren"), required=False
    )


class ControlForm(forms.Form):
    control_type = forms.ChoiceField(label=_("Soort controle"), choices=ControlType.choices)
    date = forms.DateField(label=_("Datum"), widget=DATE_INPUT)
    adres_postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    adres_huisnummer = forms.IntegerField(label=_("Huisnummer"), required=False, min_value=1, max_value=99999)
    location_note = forms.CharField(label=_("Locatie of object"), required=False, max_length=200)
    partners_present = forms.MultipleChoiceField(
        label=_("Aanwezige partners"),
        choices=ControlPartner.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_adres_postcode(self):
        value = self.cleaned_data.get("adres_postcode", "")
        if not value:
            return ""
        try:
            return identifiers.clean_postcode(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages)


class FindingForm(forms.Form):
    finding_type = forms.ChoiceField(label=_("Soort bevinding"), choices=FindingType.choices)
    description = forms.CharField(
        label=_("Omschrijving"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up = forms.ChoiceField(
        label=_("Opvolging"), required=False, choices=[("", _("— nog niet —"))] + FollowUp.choices
    )

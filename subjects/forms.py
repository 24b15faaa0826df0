"""Forms check shape and identifiers (Dutch message at the field); the services decide the rest."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vik.core import identifiers as ids
from vik.core.access import clearances
from vik.core.constants import Compartment, RiskBranch

from .constants import LegalForm, LinkType, Reliability, SubjectKind
from .services.records import ADDRESS_FIELDS, ORGANISATION_FIELDS, PERSON_FIELDS, VEHICLE_FIELDS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _identifier_field(label, fn, *, required=False, help_text="", **attrs):
    class IdentifierField(forms.CharField):
        def clean(self, value):
            value = super().clean(value)
            return fn(value) if value else ""

    return IdentifierField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
    )


class CompartmentMixin(forms.Form):
    compartment = forms.ChoiceField(
        label=_("Compartiment"), choices=Compartment.choices, initial=Compartment.GENERAL
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            allowed = clearances(user)
            self.fields["compartment"].choices = [c for c in Compartment.choices if c[0] in allowed]
        self.fields["compartment"] = self.fields.pop("compartment")  # last: most records stay "Algemeen"


class PersonForm(CompartmentMixin):
    voornamen = forms.CharField(label=_("Voornamen"), max_length=200, required=False)
    voorvoegsel = forms.CharField(
        label=_("Voorvoegsel"),
        max_length=20,
        required=False,
        help_text=_("Bijvoorbeeld: van der, de. Mag ook vóór de geslachtsnaam."),
    )
    geslachtsnaam = forms.CharField(label=_("Geslachtsnaam"), max_length=200)
    birth_date = forms.DateField(label=_("Geboortedatum"), required=False, widget=DATE_INPUT)
    birth_place = forms.CharField(label=_("Geboorteplaats"), max_length=100, required=False)
    bsn = _identifier_field(
        _("BSN"), ids.clean_bsn, help_text=_("9 cijfers; wordt versleuteld opgeslagen."), inputmode="numeric"
    )
    aliases = forms.CharField(
        label=_("Aliassen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Eén per regel."),
    )
    postcode = _identifier_field(
        _("Woont op: postcode"), ids.clean_postcode, help_text=_("Optioneel; koppelt aan een bekend adres.")
    )
    house_number = forms.IntegerField(
        label=_("Woont op: huisnummer"), required=False, min_value=1, max_value=99999
    )
    source = forms.CharField(label=_("Bron"), max_length=200, required=False)

    service_fields = list(PERSON_FIELDS)  # what the service accepts


class OrganisationForm(CompartmentMixin):
    name = forms.CharField(label=_("Naam"), max_length=200)
    kvk_number = _identifier_field(
        _("KvK-nummer"), ids.clean_kvk_number, help_text=_("8 cijfers."), inputmode="numeric"
    )
    vestigingsnummer = _identifier_field(
        _("Vestigingsnummer"), ids.clean_vestigingsnummer, help_text=_("12 cijfers."), inputmode="numeric"
    )
    rsin = _identifier_field(_("RSIN"), ids.clean_rsin, help_text=_("9 cijfers."), inputmode="numeric")
    legal_form = forms.ChoiceField(
        label=_("Rechtsvorm"), choices=[("", "—"), *LegalForm.choices], required=False
    )
    sbi_codes = forms.CharField(
        label=_("SBI-codes"), required=False, help_text=_("Gescheiden door komma's, bijvoorbeeld 5610, 4511.")
    )
    trade_names = forms.CharField(
        label=_("Handelsnamen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Eén per regel."),
    )
    risk_branch = forms.ChoiceField(
        label=_("Risicobranche"), choices=[("", "—"), *RiskBranch.choices], required=False
    )
    source = forms.CharField(label=_("Bron"), max_length=200, required=False)

    service_fields = list(ORGANISATION_FIELDS)  # what the service accepts


class AddressForm(CompartmentMixin):
    street = forms.CharField(label=_("Straat"), max_length=200)
    house_number = forms.IntegerField(label=_("Huisnummer"), min_value=1, max_value=99999)
    house_letter = forms.CharField(label=_("Huisletter"), max_length=1, required=False)
    house_number_addition = forms.CharField(label=_("Toevoeging"), max_length=4, required=False)
    postcode = _identifier_field(
        _("Postcode"), ids.clean_postcode, required=True, help_text=_("Bijvoorbeeld 7607 AB.")
    )
    town = forms.CharField(label=_("Woonplaats"), max_length=100, initial="Almelo")
    bag_nummeraanduiding = _identifier_field(
        _("BAG nummeraanduiding-id"),
        ids.clean_bag_nummeraanduiding,
        help_text=_("16 cijfers, objecttype 20."),
        inputmode="numeric",
    )
    bag_verblijfsobject = _identifier_field(
        _("BAG verblijfsobject-id"),
        ids.clean_bag_verblijfsobject,
        help_text=_("16 cijfers, objecttype 01."),
        inputmode="numeric",
    )
    gemeente_code = _identifier_field(
        _("Gemeentecode (CBS)"), ids.clean_gemeente_code, help_text=_("Bijvoorbeeld GM0141.")
    )
    wijk_code = _identifier_field(
        _("Wijkcode (CBS)"), ids.clean_wijk_code, help_text=_("Bijvoorbeeld WK014101.")
    )
    buurt_code = _identifier_field(
        _("Buurtcode (CBS)"), ids.clean_buurt_code, help_text=_("Bijvoorbeeld BU01410101.")
    )
    latitude = forms.DecimalField(
        label=_("Breedtegraad (WGS84)"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Lengtegraad (WGS84)"), required=False, max_digits=9, decimal_places=6
    )
    source = forms.CharField(label=_("Bron"), max_length=200, required=False)

    service_fields = list(ADDRESS_FIELDS)  # what the service accepts


class VehicleForm(CompartmentMixin):
    kenteken = _identifier_field(
        _("Kenteken"), ids.clean_kenteken, required=True, help_text=_("Bijvoorbeeld 12-ABC-3.")
    )
    make = forms.CharField(label=_("Merk"), max_length=60, required=False)
    model_name = forms.CharField(label=_("Type"), max_length=60, required=False)
    colour = forms.CharField(label=_("Kleur"), max_length=30, required=False)
    source = forms.CharField(label=_("Bron"), max_length=200, required=False)

    service_fields = list(VEHICLE_FIELDS)  # what the service accepts


FORMS = {
    SubjectKind.PERSON: PersonForm,
    SubjectKind.ORGANISATION: OrganisationForm,
    SubjectKind.ADDRESS: AddressForm,
    SubjectKind.VEHICLE: VehicleForm,
}


def edit_form_class(kind: str) -> type[forms.Form]:
    """The same fields without compartment (moving compartments is a share decision) and, for
    persons, without the address helper fields."""
    base = FORMS[kind]
    drop = {"compartment", "postcode", "house_number"} if kind == SubjectKind.PERSON else {"compartment"}
    fields = {name: f for name, f in base.base_fields.items() if name not in drop}
    # The version the form was opened at (optimistic concurrency; see SubjectBase.version).
    fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    return type(f"{base.__name__}Edit", (forms.Form,), {**fields, "service_fields": base.service_fields})


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), max_length=200, required=False)
    initials = forms.CharField(label=_("Voorletters"), max_length=20, required=False)
    birth_date = forms.DateField(label=_("Geboortedatum"), required=False, widget=DATE_INPUT)
    postcode = _identifier_field(_("Postcode"), ids.clean_postcode)
    house_number = forms.IntegerField(label=_("Huisnummer"), required=False, min_value=1, max_value=99999)
    kvk_number = _identifier_field(_("KvK-nummer"), ids.clean_kvk_number, inputmode="numeric")
    kenteken = _identifier_field(_("Kenteken"), ids.clean_kenteken)
    bsn = _identifier_field(_("BSN"), ids.clean_bsn, inputmode="numeric")

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "q" and v}


class LinkForm(forms.Form):
    DIRECTIONS = [("out", _("dit record → ander record")), ("in", _("ander record → dit record"))]
    link_type = forms.ChoiceField(label=_("Soort relatie"), choices=LinkType.choices)
    direction = forms.ChoiceField(
        label=_("Richting"), choices=DIRECTIONS, initial="out", widget=forms.RadioSelect
    )
    target_kind = forms.ChoiceField(label=_("Soort ander record"), choices=SubjectKind.choices)
    target_id = forms.IntegerField(
        label=_("Nummer ander record"), min_value=1, help_text=_("Zoek het record hieronder en kies het.")
    )
    start_date = forms.DateField(label=_("Vanaf"), required=False, widget=DATE_INPUT)
    end_date = forms.DateField(label=_("Tot en met"), required=False, widget=DATE_INPUT)
    source = forms.CharField(label=_("Bron"), max_length=200, required=False)
    reliability = forms.ChoiceField(
        label=_("Betrouwbaarheid"), choices=Reliability.choices, initial=Reliability.X
    )

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", ValidationError(_("De einddatum ligt vóór de begindatum.")))
        return data


class LinkEndForm(forms.Form):
    end_date = forms.DateField(label=_("Einddatum"), widget=DATE_INPUT)


class MergeForm(forms.Form):
    duplicate_id = forms.IntegerField(
        label=_("Nummer van het dubbele record"),
        min_value=1,
        help_text=_("Dit record gaat op in het record van deze pagina."),
    )
    reason = forms.CharField(label=_("Reden"), max_length=300, required=False)

"""Forms validate shape; the procedure rules live in the services (errors come back at the field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import BezwaarOutcome, DrugClass, EventType, MeasureKind, Verification
from .models import DeadlineRule, EscalationMatrix, EscalationStep

E = EventType


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class EuroField(forms.CharField):
    """Free text amount; the service parses it (``parse_euro``) and refuses other currencies."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)


class MeasureCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort maatregel"), choices=MeasureKind.choices)
    title = forms.CharField(label=_("Korte omschrijving"), max_length=200)
    rapportage_date = forms.DateField(
        label=_("Datum bestuurlijke rapportage / constatering"), widget=DateInput()
    )
    address = forms.TypedChoiceField(label=_("Adres"), required=False, coerce=int, empty_value=None)
    person = forms.TypedChoiceField(label=_("Persoon"), required=False, coerce=int, empty_value=None)
    organisation = forms.TypedChoiceField(
        label=_("Organisatie"), required=False, coerce=int, empty_value=None
    )
    drug_class = forms.ChoiceField(
        label=_("Soort drugs (13b)"), choices=DrugClass.choices, initial=DrugClass.ANY, required=False
    )
    legal_basis = forms.CharField(
        label=_("Grondslag"),
        max_length=200,
        required=False,
        help_text=_("Leeg: de standaardgrondslag van deze soort."),
    )

    def __init__(self, *args, addresses=(), persons=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        empty = [("", _("— geen —"))]
        self.fields["address"].choices = empty + [(a.pk, a.display_name) for a in addresses]
        self.fields["person"].choices = empty + [(p.pk, p.display_name) for p in persons]
        self.fields["organisation"].choices = empty + [(o.pk, o.name) for o in organisations]
        if len(addresses) == 1:
            self.fields["address"].initial = addresses[0].pk


class AddressLookupForm(forms.Form):
    postcode = forms.CharField(label=_("Postcode"), max_length=7)
    house_number = forms.IntegerField(label=_("Huisnummer"), min_value=1)

    def clean_postcode(self):
        return "".join(self.cleaned_data["postcode"].split()).upper()


#: Parameter fields per event (everything else is hidden from that event's form).
EVENT_FIELDS = {
    E.VOORNEMEN: ["zienswijze_days"],
    E.BESLUIT: [
        "duration_months",
        "begunstiging_days",
        "amount_per_violation",
        "maximum_amount",
        "valid_until",
        "urgency_reason",
        "indefinite",
        "end_date",
    ],
    E.BEGUNSTIGING: ["days"],
    E.SLUITING_START: ["duration_months"],
    E.BEZWAAR: ["commissie"],
    E.BESLISSING_OP_BEZWAAR: ["outcome"],
    E.UITSPRAAK: ["outcome"],
    E.UITSPRAAK_HOGER_BEROEP: ["outcome"],
    E.KOSTENVERHAAL: ["amount", "bekendgemaakt_op"],
    E.VERZOEK_INVORDERING: ["verbeurte"],
    E.BESLISSING_VERZOEK_INVORDERING: ["verbeurte", "toegewezen"],
    E.BEZWAAR_WEIGERING_INVORDERING: ["verbeurte"],
    E.BOB_WEIGERING_INVORDERING: ["verbeurte"],
    E.BEROEP_WEIGERING_INVORDERING: ["verbeurte"],
    E.UITSPRAAK_WEIGERING_INVORDERING: ["verbeurte"],
    E.SCHORSING_INVORDERING: ["verbeurte"],
    E.SCHORSING_INVORDERING_EINDE: ["verbeurte"],
    E.BESTUURSDWANG: ["urgency_reason"],
}
PARAM_FIELDS = {
    "zienswijze_days",
    "duration_months",
    "begunstiging_days",
    "amount_per_violation",
    "maximum_amount",
    "valid_until",
    "urgency_reason",
    "days",
    "commissie",
    "outcome",
    "amount",
    "indefinite",
    "end_date",
    "bekendgemaakt_op",
    "verbeurte",
    "toegewezen",
}


class EventForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    zienswijze_days = forms.IntegerField(
        label=_("Termijn voor zienswijze (dagen)"),
        required=False,
        min_value=1,
        max_value=365,  # the ceiling is the rule row zienswijze_maximum (checked by the service)
        help_text=_("Leeg: de standaardtermijn uit de termijnregels."),
    )
    duration_months = forms.IntegerField(
        label=_("Duur van de sluiting (maanden)"), required=False, min_value=1, max_value=120
    )
    begunstiging_days = forms.IntegerField(
        label=_("Begunstigingstermijn (dagen)"), required=False, min_value=1, max_value=365
    )
    amount_per_violation = EuroField(label=_("Bedrag per overtreding (EUR)"), required=False)
    maximum_amount = EuroField(label=_("Maximum (EUR)"), required=False)
    valid_until = forms.DateField(label=_("Last geldig tot en met"), required=False, widget=DateInput())
    urgency_reason = forms.CharField(
        label=_("Spoed: reden (alleen zonder voorafgaand voornemen/last)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    days = forms.IntegerField(
        label=_("Begunstigingstermijn (dagen)"), required=False, min_value=1, max_value=365
    )
    commissie = forms.BooleanField(label=_("Advies van de bezwaarcommissie (12 weken)"), required=False)
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=BezwaarOutcome.choices, required=False)
    amount = EuroField(label=_("Kosten (EUR)"), required=False)
    indefinite = forms.BooleanField(
        label=_("Sluiting voor onbepaalde tijd"),
        required=False,
        help_text=_("Geen einddatum; de sluiting wordt periodiek herbeoordeeld."),
    )
    end_date = forms.DateField(
        label=_("Of: einddatum van de sluiting"),
        required=False,
        widget=DateInput(),
        help_text=_("Alleen als het besluit een einddatum noemt in plaats van een duur."),
    )
    bekendgemaakt_op = forms.DateField(
        label=_("Kostenbeschikking bekendgemaakt op"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Leeg: de datum hierboven. De betalingstermijn (art. 4:87 Awb) loopt vanaf de bekendmaking."
        ),
    )
    verbeurte = forms.IntegerField(
        label=_("Verbeurte nr."), required=False, min_value=1, help_text=_("Leeg: alle verbeurten.")
    )
    toegewezen = forms.BooleanField(
        label=_("Verzoek toegewezen (beschikking tot invordering)"), required=False
    )
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, event: str, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = set(EVENT_FIELDS.get(event, []))
        if event == E.BESLUIT:
            if kind == MeasureKind.LOD:
                wanted -= {"duration_months"}
                self.fields["amount_per_violation"].required = True
                self.fields["maximum_amount"].required = True
            else:
                wanted -= {"amount_per_violation", "maximum_amount", "valid_until"}
            if kind == MeasureKind.LOB:
                wanted -= {"duration_months", "indefinite", "end_date"}
            if kind == MeasureKind.LOD:
                wanted -= {"indefinite", "end_date"}
        for name in PARAM_FIELDS - wanted:
            del self.fields[name]

    def params(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"date", "note"}}


class ForfeitureForm(forms.Form):
    forfeited_on = forms.DateField(label=_("Datum overtreding (verbeurte)"), widget=DateInput())
    description = forms.CharField(label=_("Overtreding"), max_length=300)
    amount = EuroField(
        label=_("Bedrag (EUR)"), required=False, help_text=_("Leeg: het bedrag per overtreding.")
    )


class ForfeitureActionForm(forms.Form):
    ACTIONS = [
        ("invordering", _("Invorderingsbeschikking")),
        ("aanmaning", _("Aanmaning")),
        ("betaling", _("Betaling ontvangen")),
    ]
    action = forms.ChoiceField(label=_("Actie"), choices=ACTIONS)
    date = forms.DateField(label=_("Datum"), widget=DateInput())
    amount = EuroField(label=_("Bedrag (EUR, bij betaling)"), required=False)


class RuleForm(forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = ["label", "days", "weeks", "months", "atw", "legal_basis", "verification", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    verification = forms.ChoiceField(label=_("Verificatie"), choices=Verification.choices)


class MatrixForm(forms.ModelForm):
    class Meta:
        model = EscalationMatrix
        fields = ["name", "effective_from", "lookback_years", "legal_basis", "verification", "review_date"]
        widgets = {"effective_from": DateInput(), "review_date": DateInput()}


class StepForm(forms.ModelForm):
    class Meta:
        model = EscalationStep
        fields = ["warning_only", "duration_months"]


CALCULATOR_ROWS = 10


class CalculatorForm(forms.Form):
    """The termijnenrekenhulp: a procedure and up to ten dated events. Per event one number
    (days, weeks, months or forfeiture number, as the event type takes) and one yes/no (onbepaalde
    tijd, adviescommissie, verzoek toegewezen)."""

    procedure = forms.ChoiceField(label=_("Procedure"))

    def __init__(self, *args, **kwargs):
        from .calculator import EVENT_TYPES, PROCEDURES

        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [(p.code, p.label) for p in PROCEDURES.values()]
        types = [("", "—")] + [(code, label) for code, (label, _params) in EVENT_TYPES.items()]
        for i in range(1, CALCULATOR_ROWS + 1):
            self.fields[f"type_{i}"] = forms.ChoiceField(
                label=_("Gebeurtenis %(n)s") % {"n": i}, choices=types, required=False
            )
            self.fields[f"on_{i}"] = forms.DateField(
                label=_("Datum %(n)s") % {"n": i}, required=False, widget=DateInput()
            )
            self.fields[f"number_{i}"] = forms.IntegerField(
                label=_("Getal %(n)s") % {"n": i}, required=False, min_value=1, max_value=1000
            )
            self.fields[f"flag_{i}"] = forms.BooleanField(label=_("Ja %(n)s") % {"n": i}, required=False)

    def rows(self):
        for i in range(1, CALCULATOR_ROWS + 1):
            yield [self[f"type_{i}"], self[f"on_{i}"], self[f"number_{i}"], self[f"flag_{i}"]]

    def clean(self):
        data = super().clean()
        for i in range(1, CALCULATOR_ROWS + 1):
            if data.get(f"type_{i}") and not data.get(f"on_{i}"):
                self.add_error(f"on_{i}", _("Vul de datum van deze gebeurtenis in."))
            if data.get(f"on_{i}") and not data.get(f"type_{i}"):
                self.add_error(f"type_{i}", _("Kies de gebeurtenis bij deze datum."))
        return data

    def events(self) -> list[dict]:
        """The rows as the calculator's event list: the number and yes/no go to the first
        parameter of that kind the event type takes."""
        from .calculator import EVENT_TYPES

        out = []
        for i in range(1, CALCULATOR_ROWS + 1):
            kind = self.cleaned_data.get(f"type_{i}")
            if not kind:
                continue
            item = {"type": kind, "on": self.cleaned_data[f"on_{i}"].isoformat()}
            params = EVENT_TYPES[kind][1]
            number = self.cleaned_data.get(f"number_{i}")
            if number:
                name = next((n for n, k in params.items() if k == "int"), None)
                if name is None:
                    self.add_error(f"number_{i}", _("Deze gebeurtenis heeft geen getal."))
                else:
                    item[name] = number
            if self.cleaned_data.get(f"flag_{i}"):
                name = next((n for n, k in params.items() if k == "bool"), None)
                if name is None:
                    self.add_error(f"flag_{i}", _("Deze gebeurtenis heeft geen ja/nee-keuze."))
                else:
                    item[name] = True
            out.append(item)
        return out

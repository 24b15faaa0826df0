"""Forms validate shape; the rules (limits, rate, all-or-nothing) live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from signals.models import Phenomenon

from .hints import HINTS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PhenomenonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        hint = HINTS.get(obj.code)
        return f"{obj.label} – {hint}" if hint else obj.label


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("Wat heeft u gezien?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Beschrijf wat u heeft gezien.")},
    )
    location = forms.CharField(
        label=_("Waar?"),
        max_length=300,
        help_text=_("Adres (straat, huisnummer, plaats) of een omschrijving van de plek."),
        error_messages={"required": _("Geef aan waar u het heeft gezien (adres of plek).")},
    )
    observed_on = forms.DateField(
        label=_("Wanneer?"),
        widget=DATE_INPUT,
        error_messages={
            "required": _("Geef aan wanneer u het heeft gezien."),
            "invalid": _("Vul een geldige datum in."),
        },
    )
    phenomena = PhenomenonChoiceField(
        label=_("Waar gaat het volgens u over?"),
        queryset=Phenomenon.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies waar het volgens u over gaat (kies 'Overig' als u twijfelt).")},
    )
    files = MultipleFileField(
        label=_("Foto's of bestanden (niet verplicht)"),
        required=False,
        help_text=_(
            "Foto's (JPEG, PNG), PDF of Office-documenten. Locatiegegevens in foto's worden verwijderd."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Ik wil onbekend blijven voor de analisten"),
        required=False,
        help_text=_(
            "Uw naam wordt dan apart bewaard en alleen in uitzonderlijke gevallen, met een reden, ingezien."
        ),
    )


class GuideForm(forms.Form):
    body = forms.CharField(label=_("Tekst"), widget=forms.Textarea(attrs={"rows": 20}))


class IdentityReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        error_messages={"required": _("Geef de reden waarom u de identiteit van de melder wilt zien.")},
    )

"""Lookup forms: they check the shape (a valid BSN, postcode, KvK number) so that a bad value is
refused with a Dutch message at the field, before any registry is asked."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik.core import identifiers as ids

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _clean_with(fn, value):
    try:
        return fn(value)
    except ValidationError as exc:
        raise ValidationError(exc.messages[0])


class BsnLookupForm(forms.Form):
    bsn = forms.CharField(
        label=_("BSN"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_bsn(self):
        return _clean_with(ids.clean_bsn, self.cleaned_data["bsn"])


class BagLookupForm(forms.Form):
    postcode = forms.CharField(label=_("Postcode"), max_length=7, help_text=_("Bijvoorbeeld 7609 RG."))
    house_number = forms.IntegerField(label=_("Huisnummer"), min_value=1, max_value=99999)
    house_letter = forms.CharField(label=_("Huisletter"), max_length=1, required=False)

    def clean_postcode(self):
        return _clean_with(ids.clean_postcode, self.cleaned_data["postcode"])


class KvkLookupForm(forms.Form):
    kvk_number = forms.CharField(
        label=_("KvK-nummer"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    name = forms.CharField(label=_("Of: naam"), max_length=200, required=False)
    town = forms.CharField(label=_("Plaats"), max_length=80, required=False)

    def clean_kvk_number(self):
        value = self.cleaned_data["kvk_number"]
        return _clean_with(ids.clean_kvk_number, value) if value else ""

    def clean(self):
        data = super().clean()
        if not data.get("kvk_number") and len((data.get("name") or "").strip()) < 2:
            raise ValidationError(_("Geef een KvK-nummer of ten minste 2 tekens van de naam."))
        return data


class BewoningForm(forms.Form):
    start = forms.DateField(label=_("Van"), widget=DATE_INPUT)
    end = forms.DateField(label=_("Tot en met"), widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError({"end": _("De einddatum ligt vóór de begindatum.")})
            if end > timezone.localdate():
                raise ValidationError({"end": _("De einddatum ligt niet in de toekomst.")})
        return data


class AcceptForm(forms.Form):
    field = forms.CharField(max_length=40)


class QueryLogFilterForm(forms.Form):
    start = forms.DateField(label=_("Van"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("Tot en met"), required=False, widget=DATE_INPUT)
    registry = forms.ChoiceField(label=_("Registratie"), required=False)
    username = forms.CharField(label=_("Gebruiker"), max_length=150, required=False)
    voor = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from .constants import Registry

        super().__init__(*args, **kwargs)
        self.fields["registry"].choices = [("", _("alle")), *Registry.choices]

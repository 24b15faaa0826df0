"""Filter forms of the dashboards. They check shape (dates, known codes); the selectors filter."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik.core.constants import OrgKind
from vik.core.models import OrgUnit

from .constants import DISPLACEMENT_METRES, DISPLACEMENT_MONTHS, AreaLevel
from .models import Area
from .selectors import DashFilters

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve whole months up to today."""
    today = today or timezone.localdate()
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


def _phenomenon_choices() -> list[tuple[str, str]]:
    from django.apps import apps

    Phenomenon = apps.get_model("signals", "Phenomenon")
    return [(p.code, p.label) for p in Phenomenon.objects.order_by("label")]


def _area_choices() -> list:
    year = Area.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return []
    areas = list(Area.objects.filter(year=year).order_by("code").values_list("code", "name", "level"))
    groups = []
    for level, label in (
        (AreaLevel.GEMEENTE, _("Gemeente")),
        (AreaLevel.WIJK, _("Wijken")),
        (AreaLevel.BUURT, _("Buurten")),
    ):
        items = [(code, f"{name} ({code})") for code, name, lvl in areas if lvl == level]
        if items:
            groups.append((label, items))
    return groups


class FilterForm(forms.Form):
    van = forms.DateField(label=_("Periode vanaf"), required=False, widget=DATE_INPUT)
    tot = forms.DateField(label=_("Periode tot en met"), required=False, widget=DATE_INPUT)
    fenomeen = forms.ChoiceField(label=_("Fenomeen"), required=False)
    gebied = forms.ChoiceField(
        label=_("Gebied (gemeente, wijk of buurt)"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Onbekende gebiedscode %(value)s. Kies een gemeente, wijk of buurt uit de lijst."
            )
        },
    )
    team = forms.ChoiceField(label=_("Team"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fenomeen"].choices = [("", _("alle"))] + _phenomenon_choices()
        self.fields["gebied"].choices = [("", _("heel het gebied"))] + _area_choices()
        teams = OrgUnit.objects.filter(kind=OrgKind.TEAM).order_by("name").values_list("code", "name")
        self.fields["team"].choices = [("", _("alle teams"))] + list(teams)

    def clean_gebied(self):
        return (self.cleaned_data.get("gebied") or "").strip().upper()

    def clean(self):
        data = super().clean()
        start, end = data.get("van"), data.get("tot")
        if start and end and end < start:
            self.add_error(
                "tot",
                _("De einddatum ligt vóór de begindatum. Kies een einddatum op of na %(d)s.")
                % {"d": start.strftime("%d-%m-%Y")},
            )
        return data

    def filters(self) -> DashFilters:
        """Only after is_valid()."""
        data = self.cleaned_data
        start, end = default_period()
        team = OrgUnit.objects.filter(code=data["team"]).first() if data.get("team") else None
        return DashFilters(
            date_from=data.get("van") or (start if not data.get("tot") else None),
            date_to=data.get("tot") or (end if not data.get("van") else None),
            phenomenon=data.get("fenomeen") or "",
            area=data.get("gebied") or "",
            team=team,
        )


class AnalysisForm(FilterForm):
    maanden = forms.IntegerField(
        label=_("Verplaatsing: maanden na de maatregel"),
        min_value=1,
        max_value=36,
        required=False,
        initial=DISPLACEMENT_MONTHS,
    )
    meter = forms.IntegerField(
        label=_("Verplaatsing: afstand in meters (naast dezelfde buurt)"),
        min_value=50,
        max_value=5000,
        required=False,
        initial=DISPLACEMENT_METRES,
    )

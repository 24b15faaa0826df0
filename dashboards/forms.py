"""Filter forms of the dashboards. They check shape (dates, known codes); the selectors filter."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import CharField, F, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik.core.calendar import subtract_period
from vik.core.constants import OrgKind
from vik.core.forms import LongSelect, PreparedChoices
from vik.core.models import OrgUnit

from .constants import DISPLACEMENT_METRES, DISPLACEMENT_MONTHS, AreaLevel
from .models import Area
from .selectors import DashFilters

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve whole months up to today."""
    today = today or timezone.localdate()
    return subtract_period(today.replace(day=1), months=11), today


def choice_rows(*, phenomena=None, areas=None, teams=None) -> list[tuple]:
    """The filter's choice lists in ONE query (a UNION ALL): phenomena, the areas of the latest
    year and the teams, as ``(kind, code, label, level, pk)`` with kind ``p``, ``a`` or ``t``,
    phenomena and teams ordered by label, areas by code.

    ``None`` loads a whole list; a list of codes loads only those rows (to validate a filter
    without loading every choice); an empty list leaves that part out."""
    from signals.models import Phenomenon

    blank = Value("", output_field=CharField())
    parts = []
    if phenomena is None or phenomena:
        qs = Phenomenon.objects.all() if phenomena is None else Phenomenon.objects.filter(code__in=phenomena)
        parts.append(
            qs.annotate(k=Value("p", output_field=CharField()), lvl=blank, text=F("label"), sort=F("label"))
            .values_list("k", "code", "text", "lvl", "id", "sort")
            .order_by()
        )
    if areas is None or areas:
        latest = Area.objects.order_by("-year").values("year")[:1]
        qs = Area.objects.filter(year=Subquery(latest))
        if areas is not None:
            qs = qs.filter(code__in=areas)
        parts.append(
            qs.annotate(
                k=Value("a", output_field=CharField()), lvl=F("level"), text=F("name"), sort=F("code")
            )
            .values_list("k", "code", "text", "lvl", "id", "sort")
            .order_by()
        )
    if teams is None or teams:
        qs = OrgUnit.objects.filter(kind=OrgKind.TEAM)
        if teams is not None:
            qs = qs.filter(code__in=teams)
        parts.append(
            qs.annotate(k=Value("t", output_field=CharField()), lvl=blank, text=F("name"), sort=F("name"))
            .values_list("k", "code", "text", "lvl", "id", "sort")
            .order_by()
        )
    if not parts:
        return []
    first, *rest = parts
    qs = first.union(*rest, all=True) if rest else first
    # phenomena and teams by name, areas by code, in the database's collation as before
    return [row[:5] for row in qs.order_by("k", "sort")]


def _team(pk: int, code: str, name: str) -> OrgUnit:
    """The team as a model instance without another query (its other fields load on access)."""
    known = {"id": pk, "code": code, "name": name}
    names = [f.attname for f in OrgUnit._meta.concrete_fields if f.attname in known]
    return OrgUnit.from_db("default", names, [known[n] for n in names])


def _area_groups(areas: list[tuple[str, str, str]]) -> list:
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
        widget=LongSelect,
        error_messages={
            "invalid_choice": _(
                "Onbekende gebiedscode %(value)s. Kies een gemeente, wijk of buurt uit de lijst."
            )
        },
    )
    team = forms.ChoiceField(label=_("Team"), required=False)

    def __init__(self, *args, light: bool = False, **kwargs):
        """``light``: for requests that do not show the form (panels, exports, the buurt
        fragment): only the codes given in the data are looked up, so a request without
        phenomenon, area or team costs no query and one with them costs one."""
        super().__init__(*args, **kwargs)
        if light:
            given = {
                name: [str(self.data.get(name))] if self.data.get(name) else []
                for name in ("fenomeen", "gebied", "team")
            }
            rows = choice_rows(phenomena=given["fenomeen"], areas=given["gebied"], teams=given["team"])
        else:
            rows = choice_rows()
        phenomena = [(code, text) for k, code, text, _lvl, _pk in rows if k == "p"]
        areas = [(code, text, lvl) for k, code, text, lvl, _pk in rows if k == "a"]
        teams = [(code, text, pk) for k, code, text, _lvl, pk in rows if k == "t"]
        self._teams = {code: _team(pk, code, name) for code, name, pk in teams}
        self._phenomenon_ids = {code: pk for k, code, _text, _lvl, pk in rows if k == "p"}
        self.fields["fenomeen"].choices = [("", _("alle"))] + phenomena
        # prepared: Django would otherwise normalise the ~2,000 areas of a region on every request
        self.fields["gebied"].choices = PreparedChoices([("", _("heel het gebied"))] + _area_groups(areas))
        self.fields["team"].choices = [("", _("alle teams"))] + [(code, name) for code, name, _pk in teams]

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
        team = self._teams.get(data["team"]) if data.get("team") else None
        return DashFilters(
            date_from=data.get("van") or (start if not data.get("tot") else None),
            date_to=data.get("tot") or (end if not data.get("van") else None),
            phenomenon=data.get("fenomeen") or "",
            area=data.get("gebied") or "",
            team=team,
            phenomenon_id=self._phenomenon_ids.get(data.get("fenomeen") or ""),
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

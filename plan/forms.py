from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vik.core.constants import OrgKind
from vik.core.models import OrgUnit

from .models import ActionStatus, Ambition


class ActionForm(forms.Form):
    ambition = forms.ModelChoiceField(
        label=_("Ambitie"),
        queryset=Ambition.objects.all(),
        error_messages={"required": _("Kies een ambitie.")},
    )
    title = forms.CharField(
        label=_("Actie"), max_length=500, error_messages={"required": _("Beschrijf de actie.")}
    )
    owner_team = forms.ModelChoiceField(
        label=_("Eigenaar (team)"), queryset=OrgUnit.objects.filter(kind=OrgKind.TEAM), required=False
    )
    planned_year = forms.IntegerField(
        label=_("Gepland jaar"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={"invalid": _("Vul een jaartal in.")},
    )
    planned_quarter = forms.TypedChoiceField(
        label=_("Gepland kwartaal"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), (1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")],
    )
    planned_label = forms.CharField(
        label=_("Of: planning in woorden"),
        max_length=100,
        required=False,
        help_text=_("Bijvoorbeeld 'doorlopend' of 'n.t.b.'."),
    )
    links = forms.CharField(
        label=_("Verwijzingen naar dashboards of casussen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    progress_note = forms.CharField(
        label=_("Voortgang"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class YearReportForm(forms.Form):
    year = forms.IntegerField(
        label=_("Jaar"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Kies een jaar."), "invalid": _("Vul een jaartal in.")},
    )

"""Forms validate shape only; the rules live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vik.core.constants import OrgKind
from vik.core.models import OrgUnit, User

from .constants import ActionStatus, DecisionKind, ItemKind


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"), max_length=200, required=False, initial="Lokaal ondermijningsoverleg"
    )
    starts_at = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
        error_messages={
            "required": _("Geef de datum en tijd op."),
            "invalid": _("Geef een geldige datum en tijd op."),
        },
    )
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False)
    participant_orgs = forms.ModelMultipleChoiceField(
        label=_("Deelnemende organisaties"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participant_users = forms.ModelMultipleChoiceField(
        label=_("Deelnemers (personen)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_orgs"].queryset = OrgUnit.objects.order_by("kind", "name")
        self.fields["participant_users"].queryset = (
            User.objects.filter(is_active=True).select_related("org_unit").order_by("last_name", "username")
        )


class ItemAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ItemKind.choices)
    ref_id = forms.IntegerField(label=_("Nummer"), required=False, min_value=1)
    subject_kind = forms.ChoiceField(
        label=_("Soort subject"),
        required=False,
        choices=[
            ("", "—"),
            ("person", _("Persoon")),
            ("organisation", _("Organisatie")),
            ("address", _("Adres")),
            ("vehicle", _("Voertuig")),
        ],
    )
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Samenvatting voor partners"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FreeItemForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput, initial=ItemKind.FREE)
    title = forms.CharField(
        label=_("Titel van het vrije agendapunt"),
        max_length=200,
        error_messages={"required": _("Geef het agendapunt een titel.")},
    )
    summary = forms.CharField(
        label=_("Samenvatting voor partners"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ItemEditForm(forms.Form):
    title = forms.CharField(
        label=_("Titel"), max_length=200, error_messages={"required": _("Geef het agendapunt een titel.")}
    )
    summary = forms.CharField(
        label=_("Samenvatting voor partners"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Dit is wat gedeelde partners zien. Geen M-tekst, geen ruwe politiegegevens, geen Bibob-gegevens."
        ),
    )
    visible_orgs = forms.ModelMultipleChoiceField(
        label=_("Zichtbaar voor"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Standaard ziet geen enkele partner dit punt."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visible_orgs"].queryset = meeting.participant_orgs.filter(kind=OrgKind.PARTNER).order_by(
            "name"
        )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Besluit"), choices=DecisionKind.choices, error_messages={"required": _("Kies een besluit.")}
    )
    text = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Actie"), max_length=500, error_messages={"required": _("Beschrijf de actie.")}
    )
    owner_org = forms.ModelChoiceField(
        label=_("Eigenaar (organisatie)"),
        queryset=OrgUnit.objects.none(),
        error_messages={"required": _("Kies de organisatie die de actie uitvoert.")},
    )
    owner_user = forms.ModelChoiceField(
        label=_("Eigenaar (persoon)"), queryset=User.objects.none(), required=False
    )
    due_date = forms.DateField(
        label=_("Uiterlijk"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={
            "required": _("Geef de uiterste datum op."),
            "invalid": _("Geef een geldige datum op."),
        },
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = OrgUnit.objects.filter(pk__in=meeting.participant_orgs.values("pk")) | OrgUnit.objects.filter(
            pk=meeting.owner_team_id
        )
        self.fields["owner_org"].queryset = orgs.distinct().order_by("kind", "name")
        self.fields["owner_user"].queryset = (
            User.objects.filter(is_active=True, org_unit__in=orgs.values("pk"))
            .select_related("org_unit")
            .order_by("last_name")
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Nieuwe status"), choices=ActionStatus.choices)
    note = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


class TransitionForm(forms.Form):
    to_state = forms.CharField(max_length=20)
    reason = forms.CharField(max_length=500, required=False)

"""Forms validate the shape of the input; the procedure rules live in ``bibob.services``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vik.core.constants import Compartment, RiskBranch
from vik.core.models import OrgUnit, User

from .constants import (
    NEGATIVE_OUTCOMES,
    AdviceSource,
    CheckKind,
    Danger,
    DecisionMaker,
    DecisionType,
    DossierStatus,
    LegalGround,
    Outcome,
    PartyRole,
    Recipient,
    SubjectKind,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def _cleared(perm_codename: str):
    return (
        User.objects.filter(is_active=True, clearances__contains=[Compartment.BIBOB])
        .filter(
            groups__permissions__codename=perm_codename, groups__permissions__content_type__app_label="bibob"
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class DossierCreateForm(forms.Form):
    title = forms.CharField(
        label=_("Omschrijving"), max_length=200, help_text=_("Bijvoorbeeld de naam van de zaak en het adres.")
    )
    decision_type = forms.ChoiceField(label=_("Soort beschikking"), choices=DecisionType.choices)
    legal_basis = forms.CharField(
        label=_("Wet / APV-artikel"),
        max_length=200,
        required=False,
        help_text=_("Leeg laten voor de standaardgrondslag van de soort beschikking."),
    )
    risk_branch = forms.ChoiceField(
        label=_("Risicobranche"), choices=[("", _("— geen —")), *RiskBranch.choices], required=False
    )
    is_review = forms.BooleanField(label=_("Toets van een bestaande vergunning (intrekking)"), required=False)
    applicant_name = forms.CharField(label=_("Aanvrager"), max_length=200)
    application_date = date_field(_("Datum ontvangst aanvraag"))
    decision_maker = forms.ChoiceField(label=_("Bevoegd gezag"), choices=DecisionMaker.choices)
    decider = UserChoiceField(label=_("Bestuurder die besluit"), queryset=User.objects.none(), required=False)
    investigator = UserChoiceField(label=_("Onderzoeker"), queryset=User.objects.none(), required=False)
    owner_team = forms.ModelChoiceField(label=_("Eigenaar (team)"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decider"].queryset = _cleared("decide")
        self.fields["investigator"].queryset = _cleared("change_bibobdossier")
        teams = OrgUnit.objects.filter(kind="team")
        self.fields["owner_team"].queryset = teams
        if user is not None and user.org_unit_id:
            self.fields["owner_team"].initial = user.org_unit_id
            self.fields["investigator"].initial = user.pk


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=PartyRole.choices)
    kind = forms.ChoiceField(label=_("Soort"), choices=SubjectKind.choices)
    subject_id = forms.IntegerField(label=_("Nummer in VIK (subject)"), min_value=1)


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Naar fase"),
        choices=[
            (DossierStatus.OWN_INVESTIGATION, DossierStatus.OWN_INVESTIGATION.label),
            (DossierStatus.VERIFICATION, DossierStatus.VERIFICATION.label),
        ],
    )
    reason = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionnaireSendForm(forms.Form):
    sent_on = date_field(_("Verstuurd op"))
    required_attachments = forms.CharField(
        label=_("Vereiste bijlagen (één per regel)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )

    def clean_required_attachments(self):
        return _lines(self.cleaned_data["required_attachments"])


class QuestionnaireReceiveForm(forms.Form):
    received_on = date_field(_("Ontvangen op"))
    received_attachments = forms.MultipleChoiceField(
        label=_("Ontvangen bijlagen"), required=False, widget=forms.CheckboxSelectMultiple
    )
    complete = forms.BooleanField(label=_("Vragenformulier volledig"), required=False)
    missing = forms.CharField(
        label=_("Wat ontbreekt (voor de hersteltermijn)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_attachments"].choices = [(a, a) for a in attachments]


class ChecklistForm(forms.Form):
    kind = forms.ChoiceField(choices=CheckKind.choices, widget=forms.HiddenInput)
    finding = forms.CharField(
        label=_("Bevinding"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    done = forms.BooleanField(label=_("Afgerond"), required=False)


class LbbRequestForm(forms.Form):
    requested_on = date_field(_("Advies gevraagd op"))
    applicant_informed_on = date_field(_("Betrokkene geïnformeerd over de opschorting op"), required=False)


class LbbExtendForm(forms.Form):
    weeks = forms.IntegerField(label=_("Verlenging (weken, ten hoogste 4)"))
    extended_on = date_field(_("Verlenging gemeld op"))
    reason = forms.CharField(label=_("Reden"), required=False, max_length=300)


class LbbFollowUpForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("ask", _("Vragen gesteld")), ("answer", _("Vragen beantwoord"))], label=_("Gebeurtenis")
    )
    on = date_field(_("Datum"))


class AdviceForm(forms.Form):
    source = forms.ChoiceField(label=_("Herkomst"), choices=AdviceSource.choices)
    received_on = date_field(_("Datum advies / conclusie"))
    ground_a = forms.ChoiceField(label=_("Grond a: voordeel uit strafbare feiten"), choices=Danger.choices)
    ground_b = forms.ChoiceField(label=_("Grond b: strafbare feiten plegen"), choices=Danger.choices)
    summary = forms.CharField(
        label=_("Samenvatting"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class VoornemenForm(forms.Form):
    sent_on = date_field(_("Voornemen verstuurd op"))
    intended_outcome = forms.ChoiceField(
        label=_("Voorgenomen besluit"),
        choices=[(o.value, o.label) for o in Outcome if o in NEGATIVE_OUTCOMES],
    )
    reasoning = forms.CharField(
        label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
    zienswijze_days = forms.IntegerField(
        label=_("Termijn voor zienswijze (dagen)"), initial=14, min_value=1, max_value=365
    )


class ZienswijzeForm(forms.Form):
    received_on = date_field(_("Zienswijze ontvangen op"), required=False)
    summary = forms.CharField(
        label=_("Samenvatting zienswijze"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
    )
    none_given = forms.BooleanField(label=_("Geen zienswijze ingediend (termijn verstreken)"), required=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Besluit"), choices=Outcome.choices)
    reasoning = forms.CharField(
        label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=20000
    )
    conditions = forms.CharField(
        label=_("Voorschriften"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=10000
    )
    decided_on = date_field(_("Besloten op"))


class PublishForm(forms.Form):
    bekendgemaakt_on = date_field(_("Bekendgemaakt op"))


class DisclosureForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Ontvanger"), choices=Recipient.choices)
    recipient_name = forms.CharField(label=_("Naam ontvanger"), max_length=200)
    legal_ground = forms.ChoiceField(label=_("Grondslag (art. 28 Wet Bibob)"), choices=LegalGround.choices)
    about_itself_only = forms.BooleanField(
        label=_("Alleen gegevens over de ontvanger zelf (derde)"), required=False
    )
    content = forms.CharField(
        label=_("Wat is verstrekt"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    disclosed_on = date_field(_("Verstrekt op"))


class RegisterForm(forms.Form):
    entered_on = date_field(_("Ingeschreven in het landelijk Bibob-register op"))


class DossierFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Fase"), choices=[("", _("Alle fasen")), *DossierStatus.choices], required=False
    )
    decision_type = forms.ChoiceField(
        label=_("Soort beschikking"), choices=[("", _("Alle soorten")), *DecisionType.choices], required=False
    )
    risk_branch = forms.ChoiceField(
        label=_("Risicobranche"), choices=[("", _("Alle branches")), *RiskBranch.choices], required=False
    )
    q = forms.CharField(label=_("Zoek op kenmerk, omschrijving of aanvrager"), required=False, max_length=100)


class ThirdPartyInviteForm(forms.Form):
    """Wet Bibob art. 33: invite a third party named in the advice."""

    party_id = forms.TypedChoiceField(label=_("Derde (betrokkene van dit dossier)"), coerce=int)
    invited_on = date_field(_("Uitgenodigd op"))
    days = forms.IntegerField(
        label=_("Termijn voor zienswijze (dagen)"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Leeg: de standaardtermijn uit de termijnregels."),
    )

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_id"].choices = [
            (p.pk, f"{p.get_role_display()}: {p.subject}")
            for p in dossier.parties.all()
            if p.role != "applicant"
        ]


class ThirdPartyResponseForm(forms.Form):
    hearing_id = forms.TypedChoiceField(label=_("Uitnodiging"), coerce=int)
    responded_on = date_field(_("Zienswijze ontvangen op"), required=False)
    summary = forms.CharField(
        label=_("Samenvatting"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    none_given = forms.BooleanField(label=_("Geen zienswijze ingediend (termijn verstreken)"), required=False)

    def __init__(self, *args, dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hearing_id"].choices = [
            (h.pk, f"{h.party.subject} ({_('tot en met')} {h.due:%d-%m-%Y})")
            for h in dossier.third_party_hearings.select_related(
                "party__person", "party__organisation", "party__address"
            )
            if h.is_open
        ]

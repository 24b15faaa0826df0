"""Demo dossiers in every phase (``seed_demo``), driven through the real services so that every
history row and term is what the procedure would produce. Idempotent: dossiers are recognised by
their title, and an existing one is left alone."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from vik.core.models import OrgUnit, User

from . import services
from .constants import AdviceSource, Danger, DecisionMaker, DecisionType, DossierStatus, Outcome, RiskBranch
from .models import BibobDossier

S = DossierStatus

#: The path a dossier takes to reach each phase (negative route through voornemen/zienswijze).
PATH = [
    S.QUESTIONNAIRE_SENT,
    S.OWN_INVESTIGATION,
    S.LBB_ADVICE_REQUESTED,
    S.ADVICE_RECEIVED,
    S.VERIFICATION,
    S.VOORNEMEN_NEGATIVE,
    S.ZIENSWIJZE,
    S.DECISION,
]


def drive_to(
    dossier: BibobDossier,
    target: str,
    *,
    actor: User,
    decider: User | None = None,
    outcome: str = Outcome.GRANT_CONDITIONS,
    start: date | None = None,
) -> BibobDossier:
    """Move a fresh dossier along ``PATH`` until it reaches ``target``, with plausible dates
    from ``start`` (default: the application date) onwards, never in the future."""
    day = start or dossier.application_date
    today = timezone.localdate()

    def step(days: int) -> date:
        nonlocal day
        day = min(day + timedelta(days=days), today)
        return day

    danger = Danger.ERNSTIG if outcome in (Outcome.REFUSE, Outcome.WITHDRAW) else Danger.MINDERE_MATE
    for status in PATH:
        if dossier.status == target:
            break
        if status == S.QUESTIONNAIRE_SENT:
            services.questionnaire_send(
                actor=actor,
                dossier=dossier,
                sent_on=step(1),
                required_attachments=["Uittreksel KvK", "Huurovereenkomst"],
            )
            services.questionnaire_receive(
                actor=actor,
                dossier=dossier,
                received_on=step(10),
                received_attachments=["Uittreksel KvK", "Huurovereenkomst"],
                complete=True,
            )
        elif status == S.OWN_INVESTIGATION:
            services.dossier_transition(
                actor=actor, dossier=dossier, to_status=S.OWN_INVESTIGATION, reason="Vragenformulier volledig"
            )
        elif status == S.LBB_ADVICE_REQUESTED:
            services.lbb_request_create(
                actor=actor, dossier=dossier, requested_on=step(7), applicant_informed_on=day
            )
        elif status == S.ADVICE_RECEIVED:
            services.advice_record(
                actor=actor,
                dossier=dossier,
                source=AdviceSource.LBB,
                received_on=step(40),
                ground_a=danger,
                ground_b=Danger.GEEN,
                summary="Financiering deels onverklaard; zie advies.",
            )
        elif status == S.VERIFICATION:
            services.dossier_transition(
                actor=actor, dossier=dossier, to_status=S.VERIFICATION, reason="Advies ontvangen, vergewissen"
            )
        elif status == S.VOORNEMEN_NEGATIVE:
            services.voornemen_send(
                actor=actor,
                dossier=dossier,
                sent_on=step(7),
                intended_outcome=outcome,
                reasoning="Uit het advies blijkt een mate van gevaar die dit voornemen rechtvaardigt.",
            )
        elif status == S.ZIENSWIJZE:
            services.zienswijze_record(
                actor=actor,
                dossier=dossier,
                received_on=step(10),
                summary="Betrokkene betwist de herkomst niet.",
            )
        elif status == S.DECISION:
            services.dossier_decide(
                actor=decider or actor,
                dossier=dossier,
                outcome=outcome,
                reasoning="Na afweging van advies en zienswijze wordt zo besloten; zie de motivering.",
                decided_on=step(5),
                conditions="Geen wijziging in leidinggevenden zonder toestemming."
                if outcome == Outcome.GRANT_CONDITIONS
                else "",
            )
        dossier.refresh_from_db()
    return dossier


DEMO = [
    # title, type, branch, review?, target
    (
        "Café De Gouden Leeuw, Grotestraat",
        DecisionType.APV_2_28,
        RiskBranch.HORECA,
        False,
        S.APPLICATION_RECEIVED,
    ),
    ("Shisha lounge Marktstraat", DecisionType.APV_2_28, RiskBranch.HORECA, True, S.REVIEW_OF_EXISTING),
    (
        "Snackbar De Hoek, drank- en horecavergunning",
        DecisionType.ALCOHOLWET_3,
        RiskBranch.HORECA,
        False,
        S.QUESTIONNAIRE_SENT,
    ),
    (
        "Autobedrijf Twentekanaal, vestiging",
        DecisionType.APV_2_81B,
        RiskBranch.AUTO,
        False,
        S.OWN_INVESTIGATION,
    ),
    ("Speelautomatenhal Centrum", DecisionType.APV_2_39, RiskBranch.KANSSPEL, False, S.LBB_ADVICE_REQUESTED),
    ("Massagesalon Wierdensestraat", DecisionType.APV_3_2, RiskBranch.PROSTITUTIE, False, S.ADVICE_RECEIVED),
    (
        "Kamerverhuur Schuilenburg",
        DecisionType.OMGEVING_BOUWEN,
        RiskBranch.KAMERVERHUUR,
        False,
        S.VERIFICATION,
    ),
    (
        "Sloopbedrijf Havenweg, inrichting",
        DecisionType.OMGEVING_INRICHTING,
        RiskBranch.SLOOP,
        False,
        S.VOORNEMEN_NEGATIVE,
    ),
    ("Zorgaanbieder Beschut Thuis", DecisionType.SUBSIDIE_BW, "", False, S.ZIENSWIJZE),
    ("Verkoop pand Ootmarsumsestraat", DecisionType.VASTGOED, "", False, S.DECISION),
]


def seed_bibob(stdout=None) -> str:
    team = OrgUnit.objects.filter(code="bibob").first()
    specialist = User.objects.filter(username="bibob").first()
    decider = User.objects.filter(username="burgemeester").first()
    if team is None or specialist is None:
        return "bibob: demo team/user missing, nothing seeded"
    made = 0
    today = timezone.localdate()
    for i, (title, dtype, branch, review, target) in enumerate(DEMO):
        if BibobDossier.objects.filter(title=title, owner_team=team).exists():
            continue
        with transaction.atomic():
            dossier = services.dossier_create(
                actor=specialist,
                owner_team=team,
                title=title,
                decision_type=dtype,
                risk_branch=branch,
                is_review=review,
                applicant_name=title.split(",")[0] + " (aanvrager)",
                application_date=today - timedelta(days=120 - 6 * i),
                decision_maker=DecisionMaker.COLLEGE
                if dtype.startswith("omgeving")
                else DecisionMaker.BURGEMEESTER,
                decider=decider,
                investigator=specialist,
            )
            drive_to(dossier, target, actor=specialist, decider=decider)
        made += 1
    return f"bibob: {made} dossiers aangemaakt ({BibobDossier.objects.count()} in totaal)"

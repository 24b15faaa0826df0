"""The Bibob procedure through its services: every transition (allowed and refused), the terms
recomputed from the events, and the bad inputs of issue #7 (refused with a reason, nothing changed)."""

from datetime import date

import pytest

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import Http404

from bibob import services
from bibob.constants import (
    TRANSITIONS,
    AdviceSource,
    CheckKind,
    Danger,
    DecisionType,
    DossierStatus,
    LegalGround,
    Outcome,
    PartyRole,
    Recipient,
)
from bibob.models import BibobDossier, Decision, DisclosureRecord, DossierTransition, RegisterTask
from bibob.permissions import get_dossier_for_user
from bibob.selectors import dossier_terms
from tests.factories.bibob import make_address, make_dossier, make_organisation
from vik.core.exceptions import ApplicationError

S = DossierStatus
pytestmark = pytest.mark.django_db


def _state(dossier):
    """Everything a refused action must leave untouched."""
    d = BibobDossier.objects.get(pk=dossier.pk)
    return (
        d.status,
        DossierTransition.objects.filter(dossier=d).count(),
        Decision.objects.filter(dossier=d).count(),
        DisclosureRecord.objects.filter(dossier=d).count(),
        list(d.lbb_requests.values_list("extension_weeks", "extended_on")),
    )


# --- creation and the seal -------------------------------------------------------------------


def test_create_puts_the_dossier_in_the_bibob_compartment_with_history_and_checklist(specialist):
    dossier = make_dossier(specialist)
    assert dossier.compartment == "bibob"
    assert dossier.status == S.APPLICATION_RECEIVED
    assert dossier.reference == "BIB-2026-0001"
    assert dossier.legal_basis == "APV Almelo art. 2:28"
    first = dossier.transitions.get()
    assert (first.from_status, first.to_status, first.actor) == ("", S.APPLICATION_RECEIVED, specialist)
    assert sorted(dossier.checklist.values_list("kind", flat=True)) == sorted(CheckKind.values)
    # the decision term comes from the DeadlineRule (Awb 4:13, 8 weeks, Atw)
    # APV licence: the regulation's term (8 weeks), no Atw for a municipal regulation
    assert (dossier.term_rule_code, dossier.term_weeks, dossier.term_atw) == (
        "bibob_beslistermijn_apv",
        8,
        False,
    )


def test_a_review_of_an_existing_permit_starts_in_its_own_phase(specialist):
    dossier = make_dossier(specialist, is_review=True)
    assert dossier.status == S.REVIEW_OF_EXISTING


def test_the_database_refuses_a_dossier_outside_the_bibob_compartment(specialist):
    dossier = make_dossier(specialist)
    with pytest.raises(DatabaseError), transaction.atomic():
        BibobDossier.objects.filter(pk=dossier.pk).update(compartment="general")


def test_only_cleared_users_see_the_dossier(specialist, decider, users):
    dossier = make_dossier(specialist, decider=decider)
    assert get_dossier_for_user(specialist, dossier.pk) == dossier
    assert get_dossier_for_user(decider, dossier.pk) == dossier  # shared as the assigned decision maker
    for role in ("analyst", "chair", "partner", "functional_admin", "privacy_officer", "decision_maker"):
        with pytest.raises(Http404):
            get_dossier_for_user(users[role], dossier.pk)


def test_a_specialist_without_bibob_clearance_sees_nothing(make_user, specialist):
    dossier = make_dossier(specialist)
    uncleared = make_user("bibob", clearances=["general"])
    with pytest.raises(Http404):
        get_dossier_for_user(uncleared, dossier.pk)


def test_an_analyst_cannot_open_a_dossier(users, bibob_team):
    with pytest.raises(PermissionDenied):
        make_dossier(users["analyst"], owner_team=bibob_team)
    assert not BibobDossier.objects.exists()


def test_a_decision_maker_without_clearance_cannot_be_assigned(specialist, make_user):
    outsider = make_user("decision_maker", clearances=["general"])
    with pytest.raises(ApplicationError) as exc:
        make_dossier(specialist, decider=outsider)
    assert exc.value.field == "decider"


def test_the_history_is_append_only_in_the_database(specialist):
    dossier = make_dossier(specialist)
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierTransition.objects.filter(dossier=dossier).update(reason="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        DossierTransition.objects.filter(dossier=dossier).delete()


# --- the transition table --------------------------------------------------------------------


def test_every_pair_of_phases_is_allowed_or_refused_as_the_table_says(specialist):
    dossier = make_dossier(specialist)
    refused = allowed = 0
    for source in S.values:
        for target in S.values:
            BibobDossier.objects.filter(pk=dossier.pk).update(status=source)
            dossier.refresh_from_db()
            before = DossierTransition.objects.count()
            try:
                with transaction.atomic():
                    services._transition(dossier, target, actor=specialist, reason="test")
                    raise RuntimeError("rollback")
            except ApplicationError as exc:
                assert target not in TRANSITIONS[source], (source, target)
                assert "kan het dossier niet" in exc.message
                refused += 1
            except RuntimeError:
                assert target in TRANSITIONS[source], (source, target)
                allowed += 1
            assert DossierTransition.objects.count() == before
    assert allowed == sum(len(v) for v in TRANSITIONS.values())
    assert refused == len(S.values) ** 2 - allowed
    # nothing leaves a decision, and nothing but the own investigation follows the questionnaire
    assert TRANSITIONS[S.DECISION] == set()
    assert TRANSITIONS[S.VOORNEMEN_NEGATIVE] == {S.ZIENSWIJZE}


@pytest.mark.parametrize(
    "target", [s for s in S.values if s not in (S.APPLICATION_RECEIVED, S.REVIEW_OF_EXISTING)]
)
def test_the_services_reach_every_phase_and_record_who_when_why(specialist, decider, target):
    dossier = make_dossier(specialist, status=target, decider=decider)
    assert dossier.status == target
    chain = list(dossier.transitions.order_by("at", "id"))
    assert chain[0].from_status == ""
    for prev, nxt in zip(chain, chain[1:], strict=False):
        assert nxt.from_status == prev.to_status
        assert nxt.to_status in TRANSITIONS[nxt.from_status]
        assert nxt.actor_id and nxt.at and nxt.reason
    assert chain[-1].to_status == target
    if target == S.DECISION:
        assert chain[-1].actor == decider


def test_own_investigation_that_finds_nothing_ends_in_a_grant(specialist, decider):
    dossier = make_dossier(specialist, status=S.OWN_INVESTIGATION, decider=decider)
    decision = services.dossier_decide(
        actor=decider,
        dossier=dossier,
        outcome=Outcome.GRANT,
        reasoning="Eigen onderzoek leverde geen aanwijzingen op.",
        decided_on=date(2026, 3, 1),
    )
    assert decision.outcome == Outcome.GRANT
    assert BibobDossier.objects.get(pk=dossier.pk).status == S.DECISION


def test_own_conclusion_goes_to_verification_without_lbb(specialist):
    dossier = make_dossier(specialist, status=S.OWN_INVESTIGATION)
    services.advice_record(
        actor=specialist,
        dossier=dossier,
        source=AdviceSource.OWN,
        received_on=date(2026, 2, 20),
        ground_a=Danger.MINDERE_MATE,
        ground_b=Danger.GEEN,
        summary="Financier met antecedenten.",
    )
    assert BibobDossier.objects.get(pk=dossier.pk).status == S.VERIFICATION


def test_verification_may_ask_a_supplementary_advice(specialist):
    dossier = make_dossier(specialist, status=S.VERIFICATION)
    req = services.lbb_request_create(actor=specialist, dossier=dossier, requested_on=date(2026, 4, 1))
    assert req.supplementary
    assert BibobDossier.objects.get(pk=dossier.pk).status == S.LBB_ADVICE_REQUESTED


def test_generic_transition_needs_a_reason_and_refuses_steps_with_their_own_form(specialist):
    dossier = make_dossier(specialist)
    with pytest.raises(ApplicationError) as exc:
        services.dossier_transition(
            actor=specialist, dossier=dossier, to_status=S.OWN_INVESTIGATION, reason=" "
        )
    assert exc.value.field == "reason"
    with pytest.raises(ApplicationError):
        services.dossier_transition(actor=specialist, dossier=dossier, to_status=S.DECISION, reason="snel")
    assert BibobDossier.objects.get(pk=dossier.pk).status == S.APPLICATION_RECEIVED


def test_verification_after_own_investigation_needs_a_conclusion(specialist):
    dossier = make_dossier(specialist, status=S.OWN_INVESTIGATION)
    with pytest.raises(ApplicationError):
        services.dossier_transition(
            actor=specialist, dossier=dossier, to_status=S.VERIFICATION, reason="klaar"
        )


# --- questionnaire and repair term -----------------------------------------------------------


def test_incomplete_questionnaire_starts_a_repair_term_that_suspends_the_decision_term(specialist):
    dossier = make_dossier(specialist, decision_type=DecisionType.ALCOHOLWET_3)
    services.questionnaire_send(
        actor=specialist,
        dossier=dossier,
        sent_on=date(2026, 1, 13),
        required_attachments=["KvK", "Huurcontract"],
    )
    with pytest.raises(ApplicationError) as exc:
        services.questionnaire_receive(
            actor=specialist,
            dossier=dossier,
            received_on=date(2026, 1, 20),
            received_attachments=["KvK"],
            complete=True,
        )
    assert "Huurcontract" in exc.value.message
    q = services.questionnaire_receive(
        actor=specialist,
        dossier=dossier,
        received_on=date(2026, 1, 20),
        received_attachments=["KvK"],
        complete=False,
    )
    assert q.repair_due == date(2026, 2, 3)  # DeadlineRule bibob_hersteltermijn: 2 weeks, no Atw
    assert q.missing == "Huurcontract"
    with pytest.raises(ApplicationError):
        services.dossier_transition(
            actor=specialist, dossier=dossier, to_status=S.OWN_INVESTIGATION, reason="start"
        )
    services.questionnaire_receive(
        actor=specialist,
        dossier=dossier,
        received_on=date(2026, 1, 27),
        received_attachments=["Huurcontract"],
        complete=True,
    )
    services.dossier_transition(
        actor=specialist, dossier=dossier, to_status=S.OWN_INVESTIGATION, reason="volledig"
    )
    terms = dossier_terms(BibobDossier.objects.get(pk=dossier.pk), today=date(2026, 2, 1))
    # 12 Jan + 8 weeks = 9 March; repair 21-27 Jan suspends 6 days -> Sunday 15 March -> Monday 16 March
    assert terms.decision.suspended_days == 6
    assert terms.decision.deadline == date(2026, 3, 16)


# --- LBB: request, extension, follow-up questions ---------------------------------------------


def _lbb_dossier(specialist, requested_on=date(2026, 2, 9)):
    dossier = make_dossier(specialist, status=S.OWN_INVESTIGATION)
    services.lbb_request_create(actor=specialist, dossier=dossier, requested_on=requested_on)
    return BibobDossier.objects.get(pk=dossier.pk)


def test_lbb_request_before_easter_suspends_the_decision_term(specialist):
    dossier = _lbb_dossier(specialist)
    terms = dossier_terms(dossier, today=date(2026, 3, 1))
    assert terms.lbb[0].due == date(2026, 4, 7)  # 8 weeks end on Easter Monday -> Tuesday
    assert terms.lbb[0].latest == date(2026, 5, 4)
    assert terms.decision.running_suspension
    assert terms.state == "suspended"
    # LBB silent: the art. 31 suspension is at most 56 days (a length, not moved by the Atw to
    # the Tuesday after Easter): it stopped on Easter Monday 6 April
    later = dossier_terms(dossier, today=date(2026, 6, 30))
    assert later.decision.suspended_days == 56
    assert later.decision.deadline == date(2026, 5, 4)  # 9 March + 56 = Monday 4 May


@pytest.mark.parametrize("weeks", [5, 8, 0, -1])
def test_lbb_extension_beyond_four_weeks_is_refused_and_nothing_changes(specialist, weeks):
    dossier = _lbb_dossier(specialist)
    before = _state(dossier)
    with pytest.raises(ApplicationError) as exc:
        services.lbb_extend(actor=specialist, dossier=dossier, weeks=weeks, extended_on=date(2026, 3, 20))
    assert exc.value.field == "weeks"
    assert _state(dossier) == before


def test_lbb_extends_once_and_the_deadline_moves(specialist):
    dossier = _lbb_dossier(specialist, requested_on=date(2026, 2, 19))
    services.lbb_extend(
        actor=specialist, dossier=dossier, weeks=4, extended_on=date(2026, 4, 1), reason="complex"
    )
    terms = dossier_terms(BibobDossier.objects.get(pk=dossier.pk), today=date(2026, 4, 2))
    assert terms.lbb[0].due == date(2026, 5, 15)  # 12 weeks end on Ascension Day -> Friday
    before = _state(dossier)
    with pytest.raises(ApplicationError) as exc:
        services.lbb_extend(actor=specialist, dossier=dossier, weeks=1, extended_on=date(2026, 4, 2))
    assert "één keer" in exc.value.message
    assert _state(dossier) == before


def test_an_extension_after_the_lbb_term_is_refused(specialist):
    dossier = _lbb_dossier(specialist)
    with pytest.raises(ApplicationError) as exc:
        services.lbb_extend(actor=specialist, dossier=dossier, weeks=2, extended_on=date(2026, 4, 8))
    assert exc.value.field == "extended_on"


def test_follow_up_questions_suspend_until_answered(specialist):
    dossier = _lbb_dossier(specialist, requested_on=date(2026, 1, 30))
    services.lbb_follow_up_ask(actor=specialist, dossier=dossier, asked_on=date(2026, 2, 10))
    with pytest.raises(ApplicationError):
        services.lbb_follow_up_ask(actor=specialist, dossier=dossier, asked_on=date(2026, 2, 11))
    with pytest.raises(ApplicationError):  # advice cannot be recorded while questions are open
        services.advice_record(
            actor=specialist,
            dossier=dossier,
            source=AdviceSource.LBB,
            received_on=date(2026, 2, 12),
            ground_a=Danger.GEEN,
            ground_b=Danger.GEEN,
        )
    services.lbb_follow_up_answer(actor=specialist, dossier=dossier, answered_on=date(2026, 2, 17))
    terms = dossier_terms(BibobDossier.objects.get(pk=dossier.pk), today=date(2026, 3, 1))
    assert terms.lbb[0].due == date(2026, 4, 7)  # 27 March + 7 days = Good Friday -> Tuesday after Easter


def test_advice_with_danger_creates_the_register_task(specialist):
    dossier = _lbb_dossier(specialist)
    services.advice_record(
        actor=specialist,
        dossier=dossier,
        source=AdviceSource.LBB,
        received_on=date(2026, 4, 1),
        ground_a=Danger.GEEN,
        ground_b=Danger.ERNSTIG,
        summary="b-grond",
    )
    task = RegisterTask.objects.get(dossier=dossier)
    assert task.is_open
    with pytest.raises(ApplicationError):
        services.register_task_complete(actor=specialist, dossier=dossier, entered_on=date(2026, 3, 1))
    services.register_task_complete(actor=specialist, dossier=dossier, entered_on=date(2026, 4, 3))
    task.refresh_from_db()
    assert (task.entered_on, task.entered_by) == (date(2026, 4, 3), specialist)
    terms = dossier_terms(BibobDossier.objects.get(pk=dossier.pk), today=date(2026, 4, 20))
    assert terms.decision.deadline == date(2026, 4, 29)  # 9 March + 51 days


def test_advice_without_danger_creates_no_register_task(specialist):
    dossier = _lbb_dossier(specialist)
    services.advice_record(
        actor=specialist,
        dossier=dossier,
        source=AdviceSource.LBB,
        received_on=date(2026, 4, 1),
        ground_a=Danger.GEEN,
        ground_b=Danger.GEEN,
    )
    assert not RegisterTask.objects.filter(dossier=dossier).exists()


# --- decisions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reasoning", ["", "   ", "Te kort"])
def test_an_outcome_without_reasoning_is_refused_and_nothing_changes(specialist, decider, reasoning):
    dossier = make_dossier(specialist, status=S.ZIENSWIJZE, decider=decider)
    before = _state(dossier)
    with pytest.raises(ApplicationError) as exc:
        services.dossier_decide(
            actor=decider,
            dossier=dossier,
            outcome=Outcome.GRANT_CONDITIONS,
            reasoning=reasoning,
            decided_on=date(2026, 6, 1),
            conditions="Geen wisseling leidinggevenden",
        )
    assert exc.value.field == "reasoning"
    assert _state(dossier) == before


@pytest.mark.parametrize("outcome", [Outcome.GRANT_CONDITIONS, Outcome.REFUSE])
def test_a_negative_decision_without_zienswijze_is_refused_and_nothing_changes(specialist, decider, outcome):
    dossier = make_dossier(specialist, status=S.VERIFICATION, decider=decider, outcome=Outcome.REFUSE)
    before = _state(dossier)
    with pytest.raises(ApplicationError) as exc:
        services.dossier_decide(
            actor=decider,
            dossier=dossier,
            outcome=outcome,
            reasoning="Ernstig gevaar volgens het advies van het LBB.",
            decided_on=date(2026, 6, 1),
            conditions="x",
        )
    assert "zienswijze" in exc.value.message
    assert _state(dossier) == before


def test_the_specialist_prepares_but_cannot_decide(specialist):
    dossier = make_dossier(specialist, status=S.ZIENSWIJZE)
    with pytest.raises(PermissionDenied):
        services.dossier_decide(
            actor=specialist,
            dossier=dossier,
            outcome=Outcome.GRANT,
            reasoning="Geen bezwaren na de zienswijze gevonden.",
            decided_on=date(2026, 6, 1),
        )


def test_refusal_needs_serious_danger_and_fits_applications_only(specialist, decider):
    mild = make_dossier(specialist, status=S.ZIENSWIJZE, decider=decider)  # mindere mate
    with pytest.raises(ApplicationError) as exc:
        services.dossier_decide(
            actor=decider,
            dossier=mild,
            outcome=Outcome.REFUSE,
            reasoning="Weigeren wegens het advies van het LBB.",
            decided_on=date(2026, 6, 1),
        )
    assert "ernstig gevaar" in exc.value.message
    review = make_dossier(
        specialist, status=S.ZIENSWIJZE, decider=decider, outcome=Outcome.WITHDRAW, is_review=True
    )
    with pytest.raises(ApplicationError):
        services.dossier_decide(
            actor=decider,
            dossier=review,
            outcome=Outcome.REFUSE,
            reasoning="Weigeren wegens het advies van het LBB.",
            decided_on=date(2026, 6, 1),
        )
    decision = services.dossier_decide(
        actor=decider,
        dossier=review,
        outcome=Outcome.WITHDRAW,
        reasoning="Intrekken wegens ernstig gevaar (a-grond).",
        decided_on=date(2026, 6, 1),
    )
    assert decision.outcome == Outcome.WITHDRAW


def test_no_zienswijze_can_be_recorded_only_after_its_term(specialist):
    dossier = make_dossier(specialist, status=S.VOORNEMEN_NEGATIVE)
    voornemen = dossier.voornemens.get()
    # policy term of 14 days without Atw
    assert (voornemen.zienswijze_due - voornemen.sent_on).days == 14
    # the term of this voornemen (sent in March) ended long before 30 June
    services.zienswijze_record(actor=specialist, dossier=dossier, received_on=None, none_given=True)
    assert BibobDossier.objects.get(pk=dossier.pk).status == S.ZIENSWIJZE


def test_bekendmaking_opens_the_objection_window(specialist, decider):
    dossier = make_dossier(specialist, status=S.DECISION, decider=decider)
    dossier.decision.__class__.objects.filter(pk=dossier.decision.pk).update(decided_on=date(2025, 11, 10))
    decision = services.decision_publish(
        actor=specialist, dossier=dossier, bekendgemaakt_on=date(2025, 11, 14)
    )
    assert decision.objection_due == date(2025, 12, 29)  # 26 Dec (2nd Christmas day) -> Monday 29 Dec
    with pytest.raises(ApplicationError):
        services.decision_publish(actor=specialist, dossier=dossier, bekendgemaakt_on=date(2025, 11, 15))


# --- disclosure (art. 28) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "recipient,ground,extra,field",
    [
        ("politie", LegalGround.DRIEHOEK_REASONING, {}, "recipient"),
        ("pers", LegalGround.IN_REASONING, {}, "recipient"),
        (Recipient.RIEC, LegalGround.IN_REASONING, {}, "legal_ground"),
        (Recipient.DRIEHOEK, LegalGround.RIEC_BIBOB, {}, "legal_ground"),
        (
            Recipient.THIRD_PARTY,
            LegalGround.THIRD_PARTY_OWN_DATA,
            {"about_itself_only": False},
            "about_itself_only",
        ),
        (Recipient.APPLICANT, LegalGround.IN_REASONING, {}, "recipient"),  # no voornemen or decision yet
        (Recipient.COURT, LegalGround.OBJECTION_APPEAL, {}, "legal_ground"),  # no decision yet
    ],
)
def test_disclosure_outside_article_28_is_refused_and_nothing_is_recorded(
    specialist, recipient, ground, extra, field
):
    dossier = make_dossier(specialist, status=S.ADVICE_RECEIVED)
    with pytest.raises(ApplicationError) as exc:
        services.disclosure_record(
            actor=specialist,
            dossier=dossier,
            recipient=recipient,
            legal_ground=ground,
            recipient_name="Iemand",
            content="Samenvatting advies",
            disclosed_on=date(2026, 6, 1),
            **extra,
        )
    assert exc.value.field == field
    assert not DisclosureRecord.objects.exists()


def test_allowed_disclosures_are_recorded(specialist):
    dossier = make_dossier(specialist, status=S.VOORNEMEN_NEGATIVE)
    for recipient, ground, extra in [
        (Recipient.APPLICANT, LegalGround.IN_REASONING, {}),
        (Recipient.THIRD_PARTY, LegalGround.THIRD_PARTY_OWN_DATA, {"about_itself_only": True}),
        (Recipient.DRIEHOEK, LegalGround.DRIEHOEK_REASONING, {}),
        (Recipient.RIEC, LegalGround.RIEC_BIBOB, {}),
    ]:
        services.disclosure_record(
            actor=specialist,
            dossier=dossier,
            recipient=recipient,
            legal_ground=ground,
            recipient_name="Ontvanger",
            content="Passage uit het advies",
            disclosed_on=date(2026, 6, 1),
            **extra,
        )
    assert DisclosureRecord.objects.filter(dossier=dossier, actor=specialist).count() == 4


def test_only_holders_of_the_disclose_permission_may_disclose(specialist, decider):
    dossier = make_dossier(specialist, status=S.VOORNEMEN_NEGATIVE, decider=decider)
    with pytest.raises(PermissionDenied):
        services.disclosure_record(
            actor=decider,
            dossier=dossier,
            recipient=Recipient.DRIEHOEK,
            legal_ground=LegalGround.DRIEHOEK_REASONING,
            recipient_name="Driehoek",
            content="x",
            disclosed_on=date(2026, 6, 1),
        )
    assert not DisclosureRecord.objects.exists()


# --- parties and the own investigation ----------------------------------------------------------


def test_parties_must_be_visible_subjects_and_premises_an_address(specialist, team):
    dossier = make_dossier(specialist)
    own_org = make_organisation(specialist.org_unit)
    hidden = make_organisation(team, name="Verborgen B.V.")
    party = services.party_add(
        actor=specialist,
        dossier=dossier,
        role=PartyRole.APPLICANT,
        kind="organisation",
        subject_id=own_org.pk,
    )
    assert party.subject == own_org
    with pytest.raises(ApplicationError) as exc:
        services.party_add(
            actor=specialist, dossier=dossier, role=PartyRole.OWNER, kind="organisation", subject_id=hidden.pk
        )
    assert exc.value.field == "subject_id"
    with pytest.raises(ApplicationError):
        services.party_add(
            actor=specialist,
            dossier=dossier,
            role=PartyRole.PREMISES,
            kind="organisation",
            subject_id=own_org.pk,
        )
    addr = make_address(specialist.org_unit)
    services.party_add(
        actor=specialist, dossier=dossier, role=PartyRole.PREMISES, kind="address", subject_id=addr.pk
    )
    assert dossier.parties.count() == 2


def test_checklist_finding_is_required_when_done(specialist):
    dossier = make_dossier(specialist, status=S.OWN_INVESTIGATION)
    with pytest.raises(ApplicationError):
        services.checklist_record(
            actor=specialist, dossier=dossier, kind=CheckKind.TAX, finding="", done=True
        )
    item = services.checklist_record(
        actor=specialist, dossier=dossier, kind=CheckKind.TAX, finding="Geen schulden", done=True
    )
    assert item.done and item.checked_by == specialist
    item.refresh_from_db()
    assert item.finding == "Geen schulden"


def test_findings_are_encrypted_at_rest(specialist):
    from django.db import connection

    dossier = make_dossier(specialist, status=S.OWN_INVESTIGATION)
    services.checklist_record(
        actor=specialist,
        dossier=dossier,
        kind=CheckKind.OPEN_SOURCES,
        finding="Krantenartikel witwassen",
        done=True,
    )
    with connection.cursor() as cur:
        cur.execute("SELECT finding FROM bibob_checklistitem WHERE dossier_id = %s", [dossier.pk])
        raw = " ".join(r[0] for r in cur.fetchall() if r[0])
    assert raw
    assert "witwassen" not in raw


def test_future_dates_are_refused(specialist):
    dossier = make_dossier(specialist)
    with pytest.raises(ApplicationError) as exc:
        services.questionnaire_send(
            actor=specialist, dossier=dossier, sent_on=date(2026, 7, 1), required_attachments=[]
        )
    assert exc.value.field == "sent_on"


def test_term_lengths_come_from_the_deadline_rule_table(specialist):
    from bibob.rules import rule
    from measures.models import DeadlineRule

    # the row is seeded by a measures data migration; a flushing (transactional) test may have
    # removed it, so make sure it is there, as the functional admin would keep it
    DeadlineRule.objects.update_or_create(
        code="bibob_beslistermijn",
        defaults={
            "label": "Beslistermijn",
            "trigger_event": "aanvraag_ontvangen",
            "weeks": 12,
            "days": 0,
            "months": 0,
            "atw": True,
            "set_by": "law",
            "legal_basis": "art. 4:13 Awb",
        },
    )
    assert rule("bibob_decision_term").source == "rule"
    dossier = make_dossier(specialist, decision_type=DecisionType.ALCOHOLWET_3)
    assert dossier.term_weeks == 12
    DeadlineRule.objects.filter(code="bibob_beslistermijn").delete()
    assert rule("bibob_decision_term").source == "default"
    assert rule("bibob_decision_term").weeks == 8

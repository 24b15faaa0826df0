"""Reads of Bibob data. Every list is filtered in SQL by ``vik.core.access``; terms are recomputed
from the dossier's events on every read (``bibob.deadlines``), never stored as the truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone

from vik.core import access
from vik.core.constants import OrgKind
from vik.core.models import User

from . import deadlines
from .constants import DECISION_TERM_RULES, NEXT_ACTION, DecisionType, DossierStatus, Outcome, RiskBranch
from .models import (
    Advice,
    BibobDossier,
    ChecklistItem,
    DisclosureRecord,
    DossierParty,
    DossierTransition,
    LbbFollowUp,
    LbbRequest,
    ThirdPartyHearing,
    Voornemen,
)
from .permissions import can_see_bibob, dossier_queryset, get_dossier_for_user
from .rules import rules

S = DossierStatus


def dossier_list(
    *, user: User, status: str = "", decision_type: str = "", risk_branch: str = "", q: str = ""
) -> QuerySet[BibobDossier]:
    qs = access.restrict(dossier_queryset(), user)
    if status:
        qs = qs.filter(status=status)
    if decision_type:
        qs = qs.filter(decision_type=decision_type)
    if risk_branch:
        qs = qs.filter(risk_branch=risk_branch)
    if q:
        qs = qs.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(applicant_name__icontains=q))
    # The latest voornemen's zienswijze term rides along as a subquery: the list needs nothing else
    # of the voornemens, and a query per row would grow with the list.
    latest_voornemen = Voornemen.objects.filter(dossier=OuterRef("pk")).order_by("-sent_on", "-id")
    return (
        qs.select_related("questionnaire", "decision")
        .annotate(latest_zienswijze_due=Subquery(latest_voornemen.values("zienswijze_due")[:1]))
        .prefetch_related(
            Prefetch("lbb_requests", queryset=LbbRequest.objects.prefetch_related("follow_ups"))
        )
    )


@dataclass
class LbbTerms:
    request: LbbRequest
    due: date
    latest: date
    suspension: deadlines.Period
    suspended_days: int


@dataclass
class DossierTerms:
    decision: deadlines.DecisionTerm
    decided: bool
    repair_due: date | None = None
    lbb: list[LbbTerms] = field(default_factory=list)
    zienswijze_due: date | None = None
    objection_due: date | None = None
    suspensions: list[deadlines.Period] = field(default_factory=list)
    #: a review or withdrawal of an existing permit is no application: no decision term (Awb 4:13
    #: does not apply); ``decision`` is then only a placeholder and is never shown.
    no_term: bool = False

    @property
    def state(self) -> str:
        if self.decided:
            return "decided"
        if self.no_term:
            return "no_term"
        if self.decision.running_suspension:
            return "suspended"
        if self.decision.remaining_days < 0:
            return "overdue"
        if self.decision.remaining_days <= 7:
            return "soon"
        return "running"


def _related(obj, name):
    try:
        return getattr(obj, name)
    except Exception:  # RelatedObjectDoesNotExist
        return None


@dataclass(frozen=True)
class LbbLengths:
    """The LBB lengths from the rule rows: the LBB's advice term (art. 15, weeks), the art. 31
    suspension (weeks, a length of time) and the largest extension (weeks)."""

    advice_weeks: int
    suspension_weeks: int
    max_extension_weeks: int


def lbb_lengths() -> LbbLengths:
    """One rule query for every LBB length (rows ``bibob_lbb_advies``, ``bibob_lbb_opschorting``,
    ``bibob_lbb_verlenging``); the constants only when a row is missing."""
    found = rules("bibob_lbb_advice", "bibob_lbb_suspension", "bibob_lbb_extension_max")
    return LbbLengths(
        advice_weeks=found["bibob_lbb_advice"].weeks or deadlines.LBB_ADVICE_WEEKS,
        suspension_weeks=found["bibob_lbb_suspension"].weeks or deadlines.LBB_ADVICE_WEEKS,
        max_extension_weeks=found["bibob_lbb_extension_max"].weeks or deadlines.LBB_MAX_EXTENSION_WEEKS,
    )


def lbb_advice_weeks() -> LbbLengths:
    """Kept for callers that read the LBB lengths once for many dossiers."""
    return lbb_lengths()


def _latest_zienswijze_due(dossier: BibobDossier) -> date | None:
    """The zienswijze term of the latest voornemen, from what the caller already loaded when it can:
    the ``dossier_list`` annotation, else the prefetched voornemens, else one query."""
    if hasattr(dossier, "latest_zienswijze_due"):
        return dossier.latest_zienswijze_due
    if not dossier.pk:
        return None
    if "voornemens" in getattr(dossier, "_prefetched_objects_cache", {}):
        voornemen = max(dossier.voornemens.all(), key=lambda v: (v.sent_on, v.pk), default=None)
    else:
        voornemen = dossier.voornemens.order_by("-sent_on", "-id").first()
    return voornemen.zienswijze_due if voornemen else None


def dossier_terms(
    dossier: BibobDossier, *, today: date | None = None, lbb_weeks: LbbLengths | None = None
) -> DossierTerms:
    """Every term of the dossier, recomputed from its events. ``lbb_weeks`` lets a caller that
    computes many dossiers read the rule once; without it the rule is read only when the dossier
    has an LBB request."""
    today = today or timezone.localdate()
    requests = list(dossier.lbb_requests.all())
    if requests and not lbb_weeks:
        lbb_weeks = lbb_lengths()
    suspensions: list[deadlines.Period] = []
    questionnaire = _related(dossier, "questionnaire")
    decision = _related(dossier, "decision")
    # Once decided, the clock stops on the decision day.
    as_of = decision.decided_on if decision is not None else today
    repair_due = None
    if questionnaire is not None and questionnaire.repair_requested_on:
        repair_due = questionnaire.repair_due
        suspensions.append(
            deadlines.repair_suspension(
                questionnaire.repair_requested_on,
                repair_due=questionnaire.repair_due,
                completed_on=questionnaire.complete_on,
                today=as_of,
            )
        )
    lbb = []
    for req in requests:
        follow = [deadlines.Period(f.asked_on, f.answered_on, "lbb_follow_up") for f in req.follow_ups.all()]
        period = deadlines.lbb_suspension(
            req.requested_on,
            received_on=req.received_on,
            extension_weeks=req.extension_weeks,
            follow_up=follow,
            today=as_of,
            advice_weeks=lbb_weeks.suspension_weeks,  # type: ignore[union-attr]
            max_extension_weeks=lbb_weeks.max_extension_weeks,  # type: ignore[union-attr]
        )
        suspensions.append(period)
        lbb.append(
            LbbTerms(
                request=req,
                due=deadlines.lbb_advice_due(
                    req.requested_on,
                    extension_weeks=req.extension_weeks,
                    follow_up=follow,
                    today=as_of,
                    advice_weeks=lbb_weeks.advice_weeks,  # type: ignore[union-attr]
                    max_extension_weeks=lbb_weeks.max_extension_weeks,  # type: ignore[union-attr]
                ),
                latest=deadlines.lbb_latest_end(
                    req.requested_on,
                    follow_up=follow,
                    today=as_of,
                    suspension_weeks=lbb_weeks.suspension_weeks,  # type: ignore[union-attr]
                    max_extension_weeks=lbb_weeks.max_extension_weeks,  # type: ignore[union-attr]
                ),
                suspension=period,
                suspended_days=deadlines.days_suspended([period], today=as_of),
            )
        )
    term = deadlines.decision_deadline(
        dossier.application_date,
        days=dossier.term_days,
        weeks=dossier.term_weeks,
        months=dossier.term_months,
        atw=dossier.term_atw,
        suspensions=suspensions,
        today=as_of,
    )
    if decision is not None:
        # remaining days relative to today are meaningless after the decision; show them at decision
        term = deadlines.DecisionTerm(
            term.plain_end, term.deadline, term.suspended_days, False, term.remaining_days
        )
    zienswijze_due = _latest_zienswijze_due(dossier)
    return DossierTerms(
        no_term=bool(dossier.is_review),
        decision=term,
        decided=decision is not None,
        repair_due=repair_due,
        lbb=lbb,
        zienswijze_due=zienswijze_due,
        objection_due=decision.objection_due if decision else None,
        suspensions=suspensions,
    )


def next_action(dossier: BibobDossier) -> str:
    if dossier.status == S.QUESTIONNAIRE_SENT:
        q = _related(dossier, "questionnaire")
        if q is not None and q.is_complete:
            return str(S.OWN_INVESTIGATION.label) + ": " + "starten"
        if q is not None and q.repair_requested_on:
            return "Aanvulling afwachten (hersteltermijn)"
    if dossier.status == S.DECISION:
        decision = _related(dossier, "decision")
        if decision is not None and decision.bekendgemaakt_on is None:
            return "Bekendmaking vastleggen"
    return str(NEXT_ACTION[S(dossier.status)])


#: The work list holds the dossiers with the newest applications, this many, sorted by urgency
#: (the order needs each dossier's terms, computed in Python); the filters reach older ones.
WORK_LIST_LIMIT = 500


def dossier_rows(*, user: User, **filters) -> list[dict]:
    """The specialist's work list: each dossier with its remaining term and next action."""
    today = timezone.localdate()
    dossiers = list(dossier_list(user=user, **filters)[:WORK_LIST_LIMIT])
    # one rule query for the whole list, and none when no dossier has an LBB request
    lbb_weeks = lbb_advice_weeks() if any(d.lbb_requests.all() for d in dossiers) else None
    rows = []
    for dossier in dossiers:
        terms = dossier_terms(dossier, today=today, lbb_weeks=lbb_weeks)
        rows.append({"dossier": dossier, "terms": terms, "next_action": next_action(dossier)})
    order = {"overdue": 0, "soon": 1, "running": 2, "suspended": 3, "no_term": 4, "decided": 5}
    rows.sort(key=lambda r: (order[r["terms"].state], r["terms"].decision.deadline))  # type: ignore[attr-defined]
    return rows


def dossier_total(*, user: User, **filters) -> int:
    """How many dossiers the work list's filters match for ``user`` (beyond ``WORK_LIST_LIMIT``)."""
    return dossier_list(user=user, **filters).count()


def _detail_collections() -> dict[str, QuerySet]:
    """The dossier page's lists, by related name, each with the joins its rows show."""
    return {
        "parties": DossierParty.objects.select_related("person", "organisation", "address"),
        "transitions": DossierTransition.objects.select_related("actor"),
        "checklist": ChecklistItem.objects.all(),
        "lbb_requests": LbbRequest.objects.all(),
        "advices": Advice.objects.all(),
        "voornemens": Voornemen.objects.all(),
        "third_party_hearings": ThirdPartyHearing.objects.select_related(
            "party__person", "party__organisation", "party__address"
        ),
        "disclosures": DisclosureRecord.objects.select_related("actor"),
    }


def dossier_detail(*, user: User, pk: object) -> BibobDossier:
    """The dossier with everything its page shows (Http404 as ``get_dossier_for_user``), in one
    query for the dossier with its one-to-one records plus one per list that has rows: the dossier
    query itself says (EXISTS) which lists are empty, and those are filled without a query."""
    collections = _detail_collections()
    has = {
        name: Exists(rows.model.objects.filter(dossier=OuterRef("pk"))) for name, rows in collections.items()
    }
    has["follow_ups"] = Exists(LbbFollowUp.objects.filter(request__dossier=OuterRef("pk")))
    queryset = (
        dossier_queryset()
        .select_related("questionnaire", "decision", "register_task")
        .annotate(**{f"has_{name}": exists for name, exists in has.items()})
    )
    dossier = get_dossier_for_user(user, pk, queryset=queryset)

    def rows(name: str, qs: QuerySet) -> QuerySet:
        return qs if getattr(dossier, f"has_{name}") else qs.none()

    collections["lbb_requests"] = collections["lbb_requests"].prefetch_related(
        Prefetch("follow_ups", queryset=rows("follow_ups", LbbFollowUp.objects.all()))
    )
    prefetch_related_objects(
        [dossier], *(Prefetch(name, queryset=rows(name, qs)) for name, qs in collections.items())
    )
    return dossier


def procedure_timeline(dossier: BibobDossier) -> list[dict]:
    """The phase history with the dated events of the procedure, oldest first."""
    items = []
    for t in dossier.transitions.all():
        items.append(
            {
                "date": timezone.localtime(t.at).date(),
                "at": t.at,
                "title": S(t.to_status).label,
                "who": t.actor.get_full_name() or t.actor.username,
                "why": t.reason,
            }
        )
    return items


# The labels of the empty branch and of "no decision yet" in the counts below.
BIBOB_NO_BRANCH = "Geen risicobranche"
BIBOB_NO_DECISION = "Nog geen besluit"


def report_counts(*, user: User) -> dict:
    """Numbers only: per risk branch, per decision type, per phase, per outcome."""
    qs = access.restrict(BibobDossier.objects.all(), user)

    def counted(field_name: str, choices) -> list[tuple[str, int]]:
        raw = dict(qs.values_list(field_name).annotate(n=Count("id")).order_by())
        labels = dict(choices)
        rows = [(str(labels.get(k, k or "—")), n) for k, n in raw.items()]
        return sorted(rows, key=lambda r: (-r[1], r[0]))

    return {
        "total": qs.count(),
        "per_branch": counted("risk_branch", [("", BIBOB_NO_BRANCH), *RiskBranch.choices]),
        "per_type": counted("decision_type", DecisionType.choices),
        "per_status": counted("status", DossierStatus.choices),
        "per_outcome": counted("decision__outcome", [(None, BIBOB_NO_DECISION), *Outcome.choices]),
    }


def branch_and_outcome_counts(*, user: User) -> tuple[list[tuple[str, int]], list[tuple[str, int]]] | None:
    """Dossiers per risk branch and per outcome, as (Dutch label, count) sorted by count, from ONE
    query grouped by (branch, outcome) over ``dossier_list`` (a dossier has at most one decision,
    so each count is exact). None for a user not cleared for the bibob compartment: the
    dashboards then show no Bibob figure at all."""
    if not can_see_bibob(user):
        return None
    raw = list(
        dossier_list(user=user)
        .prefetch_related(None)
        .values_list("risk_branch", "decision__outcome")
        .annotate(n=Count("id"))
        .order_by()
    )

    def counted(index: int, choices) -> list[tuple[str, int]]:
        labels = dict(choices)
        totals: dict = {}
        for row in raw:
            totals[row[index]] = totals.get(row[index], 0) + row[2]
        rows = [(str(labels.get(k, k or "—")), n) for k, n in totals.items()]
        return sorted(rows, key=lambda r: (-r[1], r[0]))

    return (
        counted(0, [("", BIBOB_NO_BRANCH), *RiskBranch.choices]),
        counted(1, [(None, BIBOB_NO_DECISION), *Outcome.choices]),
    )


def dossiers_about_subject(subject) -> QuerySet[BibobDossier]:
    """All dossiers naming a subject, unfiltered: callers must seal what the user may not see."""
    kind = getattr(subject, "kind", "")
    field_name = {
        "person": "parties__person",
        "organisation": "parties__organisation",
        "address": "parties__address",
    }.get(str(kind))
    if field_name is None:
        return BibobDossier.objects.none()
    return BibobDossier.objects.filter(**{field_name: subject}).distinct()


def is_bibob_relevant(*, user: User, subject) -> bool:
    """The bare flag "Bibob-relevant" on a casustafel item about ``subject``: True when a Bibob
    dossier names the subject. Only for municipal staff, never content and never to partners
    (art. 28 Wet Bibob): a partner, an anonymous user or no subject gets False."""
    if subject is None or not getattr(user, "is_authenticated", False):
        return False
    unit = getattr(user, "org_unit", None)
    if unit is not None and unit.kind == OrgKind.PARTNER:
        return False
    return dossiers_about_subject(subject).exists()


def decision_rule_code(decision_type: str) -> str:
    """Our code (``bibob.rules``) of the decision-term rule for a regime."""
    return DECISION_TERM_RULES.get(decision_type, "bibob_decision_term")  # type: ignore[call-overload]


#: The rule rows a dossier's terms use (issue #16 item 10): shown with their verification status.
_RULES_IN_USE = [
    ("bibob_repair_term", "Hersteltermijn"),
    ("bibob_lbb_advice", "Adviestermijn LBB"),
    ("bibob_lbb_suspension", "Opschorting beslistermijn (LBB)"),
    ("bibob_lbb_extension_max", "Verlenging LBB"),
    ("zienswijze", "Zienswijze (standaardtermijn)"),
    ("bibob_third_party_zienswijze", "Zienswijze derde (art. 33)"),
]


def rules_in_use(dossier: BibobDossier) -> list:
    """The decision-term rule of the dossier's regime (none for a review) and the other Bibob
    rules, each with its legal basis and verification status, in one rule query."""
    codes = [code for code, _label in _RULES_IN_USE]
    if not dossier.is_review:
        codes.insert(0, decision_rule_code(dossier.decision_type))
    return list(rules(*codes).values())

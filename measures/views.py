"""Interfaces only: parse input, call one service or selector, render (STYLE.md rule 2)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vik.core.access import restrict, visible_only
from vik.core.accesslog import log_access, log_shown
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError, PurposeRequired
from vik.core.purpose import current_purpose, require_purpose

from . import selectors, services
from .constants import CLOSURE_KINDS, EventType, MeasureKind, MeasureState, Verification
from .forms import (
    AddressLookupForm,
    CalculatorForm,
    EventForm,
    ForfeitureActionForm,
    ForfeitureForm,
    MatrixForm,
    MeasureCreateForm,
    RuleForm,
    StepForm,
)
from .models import EscalationStep
from .permissions import (
    ADD_MEASURE,
    CHANGE_MATRIX,
    CHANGE_MEASURE,
    DECIDE_MEASURE,
    USE_CALCULATOR,
    VIEW_MATRIX,
    VIEW_MEASURE,
    VIEW_RECEIVABLE,
    VIEW_RULE,
    get_forfeiture_for_change,
    get_matrix_for_user,
    get_measure_for_change,
    get_measure_for_user,
    get_rule_for_admin,
)
from .procedure import allowed_events


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _field(form, exc: ApplicationError) -> str | None:
    return exc.field if exc.field in form.fields else None


class MeasureListView(View):
    def get(self, request):
        _require(request.user, VIEW_MEASURE)
        kind = request.GET.get("soort", "")
        kind = kind if kind in MeasureKind.values else ""
        state = request.GET.get("fase", "")
        state = state if state in MeasureState.values else ""
        today = timezone.localdate()
        measures = list(
            selectors.with_next_due(
                selectors.measure_list(user=request.user, kind=kind, state=state), today=today
            )[:200]
        )
        shown = selectors.with_shown_subjects(
            user=request.user, rows=measures, purpose_of=lambda m: f"Maatregel {m.reference}"
        )
        log_shown(user=request.user, request=request, shown=shown, detail="lijst maatregelen")
        return render(
            request,
            "measures/list.html",
            {
                "measures": measures,
                "today": today,
                "kinds": MeasureKind.choices,
                "states": MeasureState.choices,
                "kind": kind,
                "state": state,
                "may_add": request.user.has_perm(ADD_MEASURE),
            },
        )


def _link_subjects(link) -> list:
    return [o for o in (link.address, link.person, link.organisation) if o is not None]


def _subject_candidates(request):
    """Addresses/persons/organisations to start from: those linked to the signal (``?signaal=``)
    or the one passed (``?adres=``), each only when visible to the user."""
    from subjects.constants import SubjectKind
    from subjects.permissions import get_subject_for_user

    signal = None
    addresses, persons, organisations = [], [], []
    user = request.user
    signal_id = request.GET.get("signaal") or request.POST.get("signaal")
    if signal_id:
        from signals.permissions import get_signal_for_user

        signal = get_signal_for_user(user, signal_id)
        links = list(signal.subject_links.select_related("address", "person", "organisation"))
        # one query per kind for the whole signal, not one per link
        visible = {id(o) for o in visible_only(user, [o for ln in links for o in _link_subjects(ln)])}
        for link in links:
            if link.address_id and id(link.address) in visible:
                addresses.append(link.address)
            if link.person_id and id(link.person) in visible:
                persons.append(link.person)
            if link.organisation_id and id(link.organisation) in visible:
                organisations.append(link.organisation)
    address_id = request.GET.get("adres") or request.POST.get("adres")
    if address_id:
        address = get_subject_for_user(user, SubjectKind.ADDRESS, address_id)
        if address not in addresses:
            addresses.append(address)
    return signal, addresses, persons, organisations


class MeasureCreateView(View):
    template = "measures/create.html"

    def _context(self, request, form, signal, addresses, lookup_form=None, proposal=None):
        return {
            "form": form,
            "signal": signal,
            "addresses": addresses,
            "lookup_form": lookup_form or AddressLookupForm(),
            "proposal": proposal,
        }

    def get(self, request):
        _require(request.user, ADD_MEASURE)
        purpose = current_purpose(request)
        if request.GET.get("adres"):
            try:  # an address asked for by its id is a lookup by identifier: it needs a purpose
                purpose = require_purpose(request)
            except PurposeRequired as exc:
                return render(
                    request,
                    "subjects/purpose_required.html",
                    {"message": exc.message, "next": request.get_full_path()},
                    status=400,
                )
        signal, addresses, persons, organisations = _subject_candidates(request)
        lookup_form = AddressLookupForm(request.GET) if "postcode" in request.GET else AddressLookupForm()
        if lookup_form.is_bound and lookup_form.is_valid():
            found = self._lookup(request, lookup_form)
            if found is not None and found not in addresses:
                addresses.append(found)
        case = str(purpose) if purpose else (f"Signaal {signal.reference}" if signal else "")
        log_shown(
            user=request.user,
            request=request,
            shown=[(obj, case) for obj in [*addresses, *persons, *organisations]],
            detail="maatregel starten",
        )
        kind = request.GET.get("soort", MeasureKind.CLOSURE_13B_HOME)
        initial = {
            "kind": kind if kind in MeasureKind.values else MeasureKind.CLOSURE_13B_HOME,
            "rapportage_date": signal.received_date if signal else timezone.localdate(),
            "title": signal.summary[:200] if signal else "",
        }
        form = MeasureCreateForm(
            initial=initial, addresses=addresses, persons=persons, organisations=organisations
        )
        proposal = None
        if addresses and initial["kind"] in CLOSURE_KINDS:
            proposal = self._proposals(addresses[0], initial["rapportage_date"])
        return render(
            request, self.template, self._context(request, form, signal, addresses, lookup_form, proposal)
        )

    def _lookup(self, request, lookup_form):
        from subjects.models import Address

        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            lookup_form.add_error(None, exc.message)
            return None
        found = restrict(
            Address.objects.filter(
                postcode=lookup_form.cleaned_data["postcode"],
                house_number=lookup_form.cleaned_data["house_number"],
            ),
            request.user,
        ).first()
        log_access(
            user=request.user,
            action=AccessAction.SEARCH,
            kind="subjects.address",
            purpose=str(purpose),
            detail=f"maatregel starten: {lookup_form.cleaned_data['postcode']} {lookup_form.cleaned_data['house_number']}",
            request=request,
        )
        if found is None:
            lookup_form.add_error("house_number", _("Geen adres gevonden dat u mag zien."))
        return found

    def _proposals(self, address, on):
        from .constants import ObjectType

        return {
            "home": services.escalation_proposal(address=address, object_type=ObjectType.HOME, on=on),
            "premises": services.escalation_proposal(address=address, object_type=ObjectType.PREMISES, on=on),
        }

    def post(self, request):
        _require(request.user, ADD_MEASURE)
        signal, addresses, persons, organisations = _subject_candidates(request)
        form = MeasureCreateForm(
            request.POST, addresses=addresses, persons=persons, organisations=organisations
        )
        if form.is_valid():
            data = form.cleaned_data
            by_pk = lambda items, pk: next((x for x in items if x.pk == pk), None)  # noqa: E731
            try:
                measure = services.measure_create(
                    actor=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    rapportage_date=data["rapportage_date"],
                    address=by_pk(addresses, data["address"]),
                    person=by_pk(persons, data["person"]),
                    organisation=by_pk(organisations, data["organisation"]),
                    legal_basis=data["legal_basis"],
                    drug_class=data["drug_class"],
                    signals=[signal] if signal else [],
                )
            except ApplicationError as exc:
                form.add_error(_field(form, exc), exc.message)
            else:
                messages.success(request, _("Maatregel %(r)s gestart.") % {"r": measure.reference})
                return redirect("measures:detail", pk=measure.pk)
        return render(request, self.template, self._context(request, form, signal, addresses), status=400)


class MeasureDetailView(View):
    def get(self, request, pk):
        measure = get_measure_for_user(request.user, pk)
        today = timezone.localdate()
        deadlines = list(selectors.measure_deadlines(measure))
        flags = {f: getattr(measure, f) for f in services.FLAGS}
        user = request.user
        events = []
        if user.has_perm(CHANGE_MEASURE) or user.has_perm(DECIDE_MEASURE):
            for code in allowed_events(measure.kind, measure.state, flags):
                if code == EventType.BESLUIT and not user.has_perm(DECIDE_MEASURE):
                    continue
                if code != EventType.BESLUIT and not user.has_perm(CHANGE_MEASURE):
                    continue
                events.append((code, EventType(code).label))
        shown = selectors.with_shown_subjects(
            user=user, rows=[measure], purpose_of=lambda m: f"Maatregel {m.reference}"
        )
        log_shown(user=user, request=request, shown=shown, detail="maatregel bekeken")
        forfeitures = (
            list(measure.forfeitures.select_related("receivable").all())
            if measure.kind == MeasureKind.LOD
            else []
        )
        return render(
            request,
            "measures/detail.html",
            {
                "measure": measure,
                "events": selectors.measure_events(measure),
                "deadlines": deadlines,
                "next_deadline": selectors.next_deadline(measure, today=today),
                "today": today,
                "allowed": events,
                "signals": restrict(measure.signals.all(), user)
                if user.has_perm("signals.view_signal")
                else [],
                "forfeitures": forfeitures,
                "forfeited_total": services.euro(selectors.forfeited_sum(measure)) if forfeitures else "",
                "may_forfeit": user.has_perm(CHANGE_MEASURE)
                and measure.kind == MeasureKind.LOD
                and measure.state == MeasureState.ACTIVE,
                "action_form": ForfeitureActionForm() if user.has_perm(CHANGE_MEASURE) else None,
            },
        )


class MeasureEventView(View):
    template = "measures/event_form.html"

    def _get(self, request, pk, event):
        measure = get_measure_for_change(request.user, pk)
        if event not in EventType.values or event in {EventType.RAPPORTAGE, EventType.VERBEURTE}:
            raise Http404
        _require(request.user, DECIDE_MEASURE if event == EventType.BESLUIT else CHANGE_MEASURE)
        return measure

    def get(self, request, pk, event):
        measure = self._get(request, pk, event)
        initial = {"date": timezone.localdate()}
        if event == EventType.BESLUIT and measure.duration_months:
            initial["duration_months"] = measure.duration_months
        form = EventForm(initial=initial, event=event, kind=measure.kind)
        return render(request, self.template, {"measure": measure, "form": form, "event": EventType(event)})

    def post(self, request, pk, event):
        measure = self._get(request, pk, event)
        form = EventForm(request.POST, event=event, kind=measure.kind)
        if form.is_valid():
            try:
                services.measure_event_record(
                    actor=request.user,
                    measure=measure,
                    event=event,
                    on=form.cleaned_data["date"],
                    params=form.params(),
                    note=form.cleaned_data.get("note", ""),
                )
            except ApplicationError as exc:
                form.add_error(_field(form, exc) if exc.field != "event" else None, exc.message)
            else:
                messages.success(request, _("%(e)s vastgelegd.") % {"e": EventType(event).label})
                return redirect("measures:detail", pk=measure.pk)
        return render(
            request, self.template, {"measure": measure, "form": form, "event": EventType(event)}, status=400
        )


class ForfeitureCreateView(View):
    template = "measures/forfeiture_form.html"

    def _get(self, request, pk):
        measure = get_measure_for_change(request.user, pk)
        if not request.user.has_perm(CHANGE_MEASURE) or measure.kind != MeasureKind.LOD:
            raise Http404
        return measure

    def get(self, request, pk):
        measure = self._get(request, pk)
        form = ForfeitureForm(initial={"forfeited_on": timezone.localdate()})
        return render(request, self.template, {"measure": measure, "form": form})

    def post(self, request, pk):
        measure = self._get(request, pk)
        form = ForfeitureForm(request.POST)
        if form.is_valid():
            try:
                services.forfeiture_record(
                    actor=request.user,
                    measure=measure,
                    forfeited_on=form.cleaned_data["forfeited_on"],
                    description=form.cleaned_data["description"],
                    amount=form.cleaned_data["amount"],
                )
            except ApplicationError as exc:
                form.add_error(_field(form, exc), exc.message)
            else:
                messages.success(request, _("Verbeurte vastgelegd."))
                return redirect("measures:detail", pk=measure.pk)
        return render(request, self.template, {"measure": measure, "form": form}, status=400)


class ForfeitureActionView(View):
    def post(self, request, pk, fpk):
        forfeiture = get_forfeiture_for_change(request.user, pk, fpk)
        form = ForfeitureActionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "invordering":
                    services.forfeiture_invordering(
                        actor=request.user, forfeiture=forfeiture, on=data["date"]
                    )
                elif data["action"] == "aanmaning":
                    services.forfeiture_aanmaning(actor=request.user, forfeiture=forfeiture, on=data["date"])
                else:
                    services.forfeiture_payment(
                        actor=request.user, forfeiture=forfeiture, on=data["date"], amount=data["amount"]
                    )
            except ApplicationError as exc:
                form.add_error(_field(form, exc), exc.message)
            else:
                messages.success(request, _("Vastgelegd bij verbeurte %(n)s.") % {"n": forfeiture.number})
                return redirect("measures:detail", pk=pk)
        return render(
            request,
            "measures/forfeiture_action.html",
            {"measure": forfeiture.measure, "forfeiture": forfeiture, "form": form},
            status=400,
        )


class MyDeadlinesView(View):
    def get(self, request):
        _require(request.user, VIEW_MEASURE)
        today = timezone.localdate()
        mine = selectors.my_deadlines(user=request.user, today=today)
        return render(request, "measures/my_deadlines.html", {"mine": mine, "today": today})


class AfpakView(View):
    def get(self, request):
        _require(request.user, VIEW_RECEIVABLE)
        year = request.GET.get("jaar", "")
        year_int = int(year) if year.isdigit() and 1990 < int(year) < 2200 else None
        overall, per_year, per_kind = selectors.receivable_totals(user=request.user, year=year_int)
        rows = list(selectors.receivable_list(user=request.user, year=year_int)[:300])
        selectors.receivable_clocks(rows)
        shown = selectors.with_shown_subjects(
            user=request.user,
            rows=rows,
            purpose_of=lambda r: f"Maatregel {r.measure.reference}" if r.measure_id else "Afpakoverzicht",
        )
        log_shown(user=request.user, request=request, shown=shown, detail="afpakoverzicht")
        return render(
            request,
            "measures/afpak.html",
            {
                "overall": overall,
                "per_year": per_year,
                "per_kind": per_kind,
                "rows": rows,
                "year": year_int,
            },
        )


class RuleListView(View):
    def get(self, request):
        _require(request.user, VIEW_RULE)
        return render(
            request,
            "measures/rules.html",
            {
                "rules": selectors.rule_list(),
                "may_change": request.user.has_perm("measures.change_deadlinerule"),
                "verified": Verification.VERIFIED,
                "limitation_switch": services.limitation_pause_enabled(),
                "declared_years": services.declared_days_review_status(today=timezone.localdate()),
                "may_review": request.user.has_perm("core.add_declareddaysreview"),
            },
        )


class DeclaredDaysReviewView(View):
    """POST only: the functional admin marks a year's declared days as checked."""

    def post(self, request):
        if not request.user.has_perm("core.add_declareddaysreview"):
            raise Http404
        year = request.POST.get("year", "")
        try:
            services.declared_days_mark_reviewed(
                actor=request.user,
                year=int(year) if year.isdigit() else 0,
                source=request.POST.get("source", ""),
            )
            messages.success(request, _("Jaar %(y)s gemarkeerd als gecontroleerd.") % {"y": year})
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("measures:rules")


class RuleEditView(View):
    def get(self, request, pk):
        rule = get_rule_for_admin(request.user, pk)
        return render(request, "measures/rule_form.html", {"rule": rule, "form": RuleForm(instance=rule)})

    def post(self, request, pk):
        rule = get_rule_for_admin(request.user, pk)
        form = RuleForm(request.POST, instance=rule)
        if form.is_valid():
            data = form.cleaned_data
            rule.refresh_from_db()
            try:
                services.deadline_rule_update(actor=request.user, rule=rule, **data)
            except ApplicationError as exc:
                form.add_error(_field(form, exc), exc.message)
            else:
                messages.success(request, _("Termijnregel bijgewerkt."))
                return redirect("measures:rules")
        return render(request, "measures/rule_form.html", {"rule": rule, "form": form}, status=400)


class MatrixListView(View):
    def get(self, request):
        _require(request.user, VIEW_MATRIX)
        may_change = request.user.has_perm(CHANGE_MATRIX) and request.user.has_perm(
            "measures.add_escalationmatrix"
        )
        return render(
            request,
            "measures/matrices.html",
            {
                "matrices": selectors.matrix_list(),
                "may_change": may_change,
                "form": MatrixForm() if may_change else None,
            },
        )

    def post(self, request):
        _require(request.user, "measures.add_escalationmatrix")
        form = MatrixForm(request.POST)
        if form.is_valid():
            try:
                matrix = services.matrix_new_version(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(_field(form, exc), exc.message)
            else:
                messages.success(request, _("Nieuwe versie van de escalatiematrix vastgelegd."))
                return redirect(reverse("measures:matrices") + f"#matrix-{matrix.pk}")
        return render(
            request,
            "measures/matrices.html",
            {"matrices": selectors.matrix_list(), "may_change": True, "form": form},
            status=400,
        )


class MatrixStepEditView(View):
    def _get(self, request, pk, step_pk):
        _require(request.user, "measures.change_escalationstep")
        matrix = get_matrix_for_user(request.user, pk)
        step = EscalationStep.objects.filter(matrix=matrix, pk=int(step_pk)).first()
        if step is None:
            raise Http404
        return step

    def get(self, request, pk, step_pk):
        step = self._get(request, pk, step_pk)
        return render(request, "measures/step_form.html", {"step": step, "form": StepForm(instance=step)})

    def post(self, request, pk, step_pk):
        step = self._get(request, pk, step_pk)
        form = StepForm(request.POST, instance=step)
        if form.is_valid():
            data = form.cleaned_data
            step.refresh_from_db()
            try:
                services.matrix_step_update(actor=request.user, step=step, **data)
            except ApplicationError as exc:
                form.add_error(_field(form, exc), exc.message)
            else:
                messages.success(request, _("Escalatiestap bijgewerkt."))
                return redirect("measures:matrices")
        return render(request, "measures/step_form.html", {"step": step, "form": form}, status=400)


class CalculatorView(View):
    """Termijnenrekenhulp: pick a procedure, enter dated events, see every deadline the engine
    computes (the same engine and rule rows as the measures and Bibob dossiers). No case, no
    personal data: nothing is stored or logged. GET only, so a calculation can be bookmarked."""

    def get(self, request):
        _require(request.user, USE_CALCULATOR)
        from .calculator import EVENT_TYPES, PROCEDURES, ScenarioError, compute

        bound = "procedure" in request.GET
        form = CalculatorForm(request.GET if bound else None)
        result = None
        status = 200
        if bound and form.is_valid():
            events = form.events()
            if form.is_valid():
                try:
                    result = compute(form.cleaned_data["procedure"], events)
                except ScenarioError as exc:
                    form.add_error(None, str(exc))
                    status = 400
            else:
                status = 400
        elif bound:
            status = 400
        return render(
            request,
            "measures/calculator.html",
            {
                "form": form,
                "result": result,
                "procedures": PROCEDURES.values(),
                "event_types": EVENT_TYPES,
                "limitation_switch": services.limitation_pause_enabled(),
            },
            status=status,
        )

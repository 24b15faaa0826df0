"""Bibob screens. Views are thin: they fetch the dossier through ``bibob.permissions`` (404 outside
the compartment, and 404 too for a visible dossier whose step is not the user's), parse a form, call one
service and render. A refused step answers 400 with the reason at the field."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from vik.core.access import visible_only
from vik.core.accesslog import log_shown
from vik.core.exceptions import ApplicationError
from vik.core.purpose import current_purpose

from . import forms, services
from .constants import ALLOWED_DISCLOSURES, CheckKind, DossierStatus
from .permissions import (
    PERM_ADD,
    PERM_CHANGE,
    PERM_DECIDE,
    PERM_DISCLOSE,
    can_see_bibob,
    get_dossier_for_change,
)
from .selectors import (
    WORK_LIST_LIMIT,
    dossier_detail,
    dossier_rows,
    dossier_terms,
    dossier_total,
    next_action,
    procedure_timeline,
    report_counts,
    rules_in_use,
)

S = DossierStatus


def _require_cleared(user) -> None:
    from django.http import Http404

    if not can_see_bibob(user):
        raise Http404


def _purpose(request, dossier) -> str:
    """A dossier page's reads serve the dossier itself (the case), or the stated purpose."""
    purpose = current_purpose(request)
    return str(purpose) if purpose else f"Bibob-dossier {dossier.reference}"


def _log_dossier_read(request, dossier, detail: str, parties: list | None = None) -> None:
    """Every Bibob page that shows a dossier (its applicant, its title) logs a read of it, and of
    each party subject it shows, with the dossier as purpose."""
    purpose = _purpose(request, dossier)
    shown = [(dossier, purpose)] + [(subject, purpose) for subject in parties or []]
    log_shown(user=request.user, request=request, shown=shown, detail=detail)


#: Rows per page of the work list: the most urgent come first, the rest is a click away (at
#: region scale a specialist's 500 dossiers were 240 KB of HTML and 500 access-log rows per visit).
DOSSIERS_PER_PAGE = 50


class DossierListView(View):
    def get(self, request):
        _require_cleared(request.user)
        form = forms.DossierFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        filters = {k: v for k, v in filters.items() if v}
        rows = dossier_rows(user=request.user, **filters)
        capped = len(rows) >= WORK_LIST_LIMIT
        total = dossier_total(user=request.user, **filters) if capped else len(rows)
        page = Paginator(rows, DOSSIERS_PER_PAGE).get_page(request.GET.get("pagina"))
        log_shown(
            user=request.user,
            request=request,
            shown=[(row["dossier"], _purpose(request, row["dossier"])) for row in page.object_list],
            detail="lijst Bibob-dossiers",
        )
        states = Counter(row["terms"].state for row in rows)
        return render(
            request,
            "bibob/dossier_list.html",
            {
                "page": page,
                "total": total,
                "capped": capped and total > len(rows),
                "overdue": states["overdue"],
                "soon": states["soon"],
                "form": form,
                "can_add": request.user.has_perm(PERM_ADD),
                "today": timezone.localdate(),
            },
        )


class DossierCreateView(View):
    def _check(self, request):
        _require_cleared(request.user)
        if not request.user.has_perm(PERM_ADD):
            raise Http404

    def get(self, request):
        self._check(request)
        form = forms.DossierCreateForm(user=request.user)
        return render(request, "bibob/dossier_form.html", {"form": form})

    def post(self, request):
        self._check(request)
        form = forms.DossierCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                dossier = services.dossier_create(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Dossier %(ref)s aangemaakt.") % {"ref": dossier.reference})
                return redirect("bibob:detail", pk=dossier.pk)
        return render(request, "bibob/dossier_form.html", {"form": form}, status=400)


class DossierDetailView(View):
    def get(self, request, pk):
        dossier = dossier_detail(user=request.user, pk=pk)
        user = request.user
        # a party is named only when the user's own subject page would open it (as on measures)
        parties = list(dossier.parties.all())
        visible = visible_only(user, [p.subject for p in parties])
        for party in parties:
            party.shown = party.subject if party.subject in visible else None
        _log_dossier_read(request, dossier, "Bibob-dossier bekeken", visible)
        can_change = user.has_perm(PERM_CHANGE)
        terms = dossier_terms(dossier)
        questionnaire = getattr(dossier, "questionnaire", None) if hasattr(dossier, "questionnaire") else None
        decision = getattr(dossier, "decision", None) if hasattr(dossier, "decision") else None
        register_task = getattr(dossier, "register_task", None) if hasattr(dossier, "register_task") else None
        open_request = next((r for r in dossier.lbb_requests.all() if r.received_on is None), None)
        ctx = {
            "dossier": dossier,
            "parties": parties,
            "terms": terms,
            "timeline": procedure_timeline(dossier),
            "rules_in_use": rules_in_use(dossier),
            "next_action": next_action(dossier),
            "questionnaire": questionnaire,
            "decision": decision,
            "register_task": register_task,
            "open_request": open_request,
            "open_follow_up": next((f for f in open_request.follow_ups.all() if f.answered_on is None), None)
            if open_request
            else None,
            "can_change": can_change,
            "can_decide": user.has_perm(PERM_DECIDE),
            "can_disclose": user.has_perm(PERM_DISCLOSE),
            "checklist_forms": [
                (
                    item,
                    forms.ChecklistForm(
                        initial={"kind": item.kind, "finding": item.finding, "done": item.done},
                        prefix=item.kind,
                    ),
                )
                for item in dossier.checklist.all()
            ],
            "allowed_disclosures": [(r, sorted(g)) for r, g in ALLOWED_DISCLOSURES.items()],
            "S": S,
            "today": timezone.localdate(),
        }
        return render(request, "bibob/dossier_detail.html", ctx)


class StepView(View):
    """One procedure step: a form, a service, back to the dossier page."""

    form_class: type = forms.TransitionForm
    title = ""
    perm = PERM_CHANGE
    template = "bibob/step_form.html"
    success = gettext_lazy("Vastgelegd.")

    def form_kwargs(self, dossier) -> dict:
        return {}

    def initial(self, dossier) -> dict:
        return {}

    def call(self, dossier, data: dict) -> None:
        raise NotImplementedError

    def _render(self, request, dossier, form, status=200):
        return render(
            request,
            self.template,
            {"dossier": dossier, "form": form, "title": self.title, "terms": dossier_terms(dossier)},
            status=status,
        )

    def get(self, request, pk):
        dossier = get_dossier_for_change(request.user, pk, self.perm)
        _log_dossier_read(
            request, dossier, f"Bibob-stap {request.resolver_match.url_name}", self.shown_parties(dossier)
        )
        return self._render(
            request, dossier, self.form_class(initial=self.initial(dossier), **self.form_kwargs(dossier))
        )

    def shown_parties(self, dossier) -> list:
        """The party subjects the step's form names (their reads are logged with the page)."""
        return []

    def post(self, request, pk):
        dossier = get_dossier_for_change(request.user, pk, self.perm)
        form = self.form_class(request.POST, **self.form_kwargs(dossier))
        if form.is_valid():
            try:
                self.call(dossier, form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, str(self.success))
                return redirect("bibob:detail", pk=dossier.pk)
        return self._render(request, dossier, form, status=400)


def _today_initial(*names):
    return {n: timezone.localdate() for n in names}


class TransitionView(StepView):
    form_class = forms.TransitionForm
    title = gettext_lazy("Naar een volgende fase")
    success = gettext_lazy("Fase gewijzigd.")

    def initial(self, dossier):
        return {
            "to_status": S.VERIFICATION
            if dossier.status in (S.ADVICE_RECEIVED, S.ZIENSWIJZE)
            else S.OWN_INVESTIGATION
        }

    def call(self, dossier, data):
        services.dossier_transition(actor=self.request.user, dossier=dossier, **data)


class PartyAddView(StepView):
    form_class = forms.PartyForm
    title = gettext_lazy("Betrokkene toevoegen")

    def call(self, dossier, data):
        services.party_add(actor=self.request.user, dossier=dossier, **data)


class QuestionnaireSendView(StepView):
    form_class = forms.QuestionnaireSendForm
    title = gettext_lazy("Vragenformulier versturen")

    def initial(self, dossier):
        return {
            **_today_initial("sent_on"),
            "required_attachments": "Uittreksel KvK\nHuurovereenkomst\nFinancieringsoverzicht",
        }

    def call(self, dossier, data):
        services.questionnaire_send(actor=self.request.user, dossier=dossier, **data)


class QuestionnaireReceiveView(StepView):
    form_class = forms.QuestionnaireReceiveForm
    title = gettext_lazy("Vragenformulier ontvangen")

    def form_kwargs(self, dossier):
        q = getattr(dossier, "questionnaire", None) if hasattr(dossier, "questionnaire") else None
        return {"attachments": q.required_attachments if q else []}

    def initial(self, dossier):
        return _today_initial("received_on")

    def call(self, dossier, data):
        services.questionnaire_receive(actor=self.request.user, dossier=dossier, **data)


class ChecklistView(StepView):
    form_class = forms.ChecklistForm
    title = gettext_lazy("Eigen onderzoek")

    def post(self, request, pk):
        dossier = get_dossier_for_change(request.user, pk, self.perm)
        kind = request.POST.get("kind", "")
        prefix = kind if kind in CheckKind.values else None
        data = request.POST.copy()
        if prefix:
            for name in ("finding", "done", "kind"):
                if f"{prefix}-{name}" in request.POST:
                    data[name] = request.POST[f"{prefix}-{name}"]
        form = self.form_class(data)
        if form.is_valid():
            try:
                services.checklist_record(actor=request.user, dossier=dossier, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Bevinding vastgelegd."))
                return redirect("bibob:detail", pk=dossier.pk)
        return self._render(request, dossier, form, status=400)


class LbbRequestView(StepView):
    form_class = forms.LbbRequestForm
    title = gettext_lazy("Advies vragen aan het Landelijk Bureau Bibob")

    def initial(self, dossier):
        return _today_initial("requested_on", "applicant_informed_on")

    def call(self, dossier, data):
        services.lbb_request_create(actor=self.request.user, dossier=dossier, **data)


class LbbExtendView(StepView):
    form_class = forms.LbbExtendForm
    title = gettext_lazy("Verlenging adviestermijn LBB")

    def initial(self, dossier):
        return {**_today_initial("extended_on"), "weeks": 4}

    def call(self, dossier, data):
        services.lbb_extend(actor=self.request.user, dossier=dossier, **data)


class LbbFollowUpView(StepView):
    form_class = forms.LbbFollowUpForm
    title = gettext_lazy("Vervolgvragen LBB aan betrokkene")

    def initial(self, dossier):
        return _today_initial("on")

    def call(self, dossier, data):
        if data["action"] == "ask":
            try:
                services.lbb_follow_up_ask(actor=self.request.user, dossier=dossier, asked_on=data["on"])
            except ApplicationError as exc:
                raise ApplicationError(exc.message, field="on") from None
        else:
            try:
                services.lbb_follow_up_answer(
                    actor=self.request.user, dossier=dossier, answered_on=data["on"]
                )
            except ApplicationError as exc:
                raise ApplicationError(exc.message, field="on") from None


class AdviceView(StepView):
    form_class = forms.AdviceForm
    title = gettext_lazy("Advies of conclusie: mate van gevaar")

    def initial(self, dossier):
        src = "lbb" if dossier.status == S.LBB_ADVICE_REQUESTED else "own"
        return {**_today_initial("received_on"), "source": src}

    def call(self, dossier, data):
        services.advice_record(actor=self.request.user, dossier=dossier, **data)


class VoornemenView(StepView):
    form_class = forms.VoornemenForm
    title = gettext_lazy("Voornemen tot een negatief besluit")

    def initial(self, dossier):
        return {**_today_initial("sent_on"), "zienswijze_days": 14}

    def call(self, dossier, data):
        services.voornemen_send(actor=self.request.user, dossier=dossier, **data)


class ZienswijzeView(StepView):
    form_class = forms.ZienswijzeForm
    title = gettext_lazy("Zienswijze")

    def initial(self, dossier):
        return _today_initial("received_on")

    def call(self, dossier, data):
        services.zienswijze_record(actor=self.request.user, dossier=dossier, **data)


class ThirdPartyInviteView(StepView):
    form_class = forms.ThirdPartyInviteForm
    title = gettext_lazy("Derde uitnodigen voor zienswijze (art. 33 Wet Bibob)")

    def shown_parties(self, dossier) -> list:
        return [p.subject for p in dossier.parties.all() if p.role != "applicant" and p.subject is not None]

    def form_kwargs(self, dossier):
        return {"dossier": dossier}

    def initial(self, dossier):
        return _today_initial("invited_on")

    def call(self, dossier, data):
        services.third_party_invite(actor=self.request.user, dossier=dossier, **data)


class ThirdPartyResponseView(StepView):
    form_class = forms.ThirdPartyResponseForm
    title = gettext_lazy("Zienswijze derde (art. 33 Wet Bibob)")

    def shown_parties(self, dossier) -> list:
        return [p.subject for p in dossier.parties.all() if p.role != "applicant" and p.subject is not None]

    def form_kwargs(self, dossier):
        return {"dossier": dossier}

    def initial(self, dossier):
        return _today_initial("responded_on")

    def call(self, dossier, data):
        services.third_party_response(actor=self.request.user, dossier=dossier, **data)


class DecideView(StepView):
    form_class = forms.DecisionForm
    title = gettext_lazy("Besluit")
    perm = PERM_DECIDE
    success = gettext_lazy("Besluit vastgelegd.")

    def initial(self, dossier):
        return _today_initial("decided_on")

    def call(self, dossier, data):
        services.dossier_decide(actor=self.request.user, dossier=dossier, **data)


class PublishView(StepView):
    form_class = forms.PublishForm
    title = gettext_lazy("Bekendmaking van het besluit")

    def initial(self, dossier):
        return _today_initial("bekendgemaakt_on")

    def call(self, dossier, data):
        services.decision_publish(actor=self.request.user, dossier=dossier, **data)


class DisclosureView(StepView):
    form_class = forms.DisclosureForm
    title = gettext_lazy("Verstrekking buiten het compartiment (art. 28 Wet Bibob)")
    perm = PERM_DISCLOSE
    success = gettext_lazy("Verstrekking vastgelegd.")

    def initial(self, dossier):
        return _today_initial("disclosed_on")

    def call(self, dossier, data):
        services.disclosure_record(actor=self.request.user, dossier=dossier, **data)


class RegisterView(StepView):
    form_class = forms.RegisterForm
    title = gettext_lazy("Inschrijving landelijk Bibob-register")

    def initial(self, dossier):
        return _today_initial("entered_on")

    def call(self, dossier, data):
        services.register_task_complete(actor=self.request.user, dossier=dossier, **data)


class ReportView(View):
    def get(self, request):
        _require_cleared(request.user)
        return render(request, "bibob/reports.html", {"report": report_counts(user=request.user)})

"""Views are interfaces: parse input, call one service or selector, render. Every record is
fetched through ``permissions.py``; what the user may not see answers 404 (and is logged)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from bibob.selectors import is_bibob_relevant
from vik.core.access import is_visible
from vik.core.accesslog import log_access, log_denied, log_shown
from vik.core.constants import AccessAction, OrgKind
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit
from vik.core.purpose import current_purpose

from . import documents, selectors, services
from .constants import DECISION_STATES, TRANSITION_LABELS, TRANSITIONS, ItemKind, MeetingState
from .forms import (
    ActionForm,
    ActionStatusForm,
    DecisionForm,
    FreeItemForm,
    ItemAddForm,
    ItemEditForm,
    MeetingForm,
    TransitionForm,
)
from .models import Meeting
from .permissions import (
    ADD_MEETING,
    VIEW_MEETING,
    Audience,
    audience_for,
    can_manage,
    get_action_for_user,
    get_item_for_manage,
    get_item_for_user,
    get_meeting_for_manage,
    get_meeting_for_user,
    is_partner,
    may_update_action,
)

ITEM_SUBJECTS = ("person", "organisation", "address", "vehicle")


def _log_item_subjects(request, *, item_ids=None, meeting=None, detail: str) -> None:
    """A casustafel page names the subjects of the agenda items it shows (their titles carry the
    name): one read row per subject, with the meeting as purpose (or the user's werkcontext).
    ``meeting``: every item of that meeting the user may see; ``item_ids``: those items."""
    from .models import AgendaItem
    from .permissions import item_visible_q

    if meeting is None and not item_ids:
        return
    items = AgendaItem.objects.filter(item_visible_q(request.user)).select_related("meeting", *ITEM_SUBJECTS)
    items = items.filter(meeting=meeting) if meeting is not None else items.filter(pk__in=list(item_ids))
    items = items.exclude(person=None, organisation=None, address=None, vehicle=None)
    purpose = current_purpose(request)
    shown = []
    for item in items:
        case = str(purpose) if purpose else f"Casustafel {item.meeting}"
        shown += [(getattr(item, f), case) for f in ITEM_SUBJECTS if getattr(item, f"{f}_id")]
    log_shown(user=request.user, request=request, shown=shown, detail=detail)


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _logged_404(request, kind: str, pk, getter):
    try:
        return getter(request.user, pk)
    except Http404:
        log_denied(user=request.user, obj_kind=kind, object_id=pk, request=request)
        raise


def _meeting_or_404(request, pk) -> Meeting:
    return _logged_404(request, "meetings.meeting", pk, get_meeting_for_user)


def _error(form, exc: ApplicationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- meetings ---------------------------------------------------------------------------------


class MeetingListView(View):
    def get(self, request):
        require_perm(request.user, VIEW_MEETING)
        user = request.user
        partner = is_partner(user)
        context = {
            "partner": partner,
            "can_add": user.has_perm(ADD_MEETING) and can_manage(user),
            "upcoming": selectors.meeting_list(user=user, upcoming=True)[:20],
            "past": []
            if partner
            else selectors.meeting_list(user=user).filter(state=MeetingState.MINUTES_APPROVED)[:20],
            "actions": list(selectors.action_list(user=user, mine=partner, open_only=True)[:50]),
            "shared_items": list(selectors.item_list(user=user)[:50]) if partner else [],
            "today": timezone.localdate(),
        }
        if partner:
            context["approved"] = selectors.meeting_list(user=user).filter(
                state=MeetingState.MINUTES_APPROVED
            )[:10]
        _log_item_subjects(
            request,
            item_ids=[i.pk for i in context["shared_items"]] + [a.item_id for a in context["actions"]],
            detail="casustafel overzicht",
        )
        return render(request, "meetings/list.html", context)


def _meeting_form_kwargs(form) -> dict:
    d = form.cleaned_data
    return {
        "starts_at": d["starts_at"],
        "location": d.get("location") or "",
        "title": d.get("title") or "",
        "participant_orgs": d.get("participant_orgs") or [],
        "participant_users": d.get("participant_users") or [],
    }


class MeetingCreateView(View):
    def _check(self, request):
        require_perm(request.user, ADD_MEETING)
        if not can_manage(request.user):
            raise Http404

    def get(self, request):
        self._check(request)
        form = MeetingForm(initial={"participant_orgs": OrgUnit.objects.filter(kind=OrgKind.PARTNER)})
        return render(request, "meetings/form.html", {"form": form, "meeting": None})

    def post(self, request):
        self._check(request)
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_create(actor=request.user, **_meeting_form_kwargs(form))
            except ApplicationError as exc:
                _error(form, exc)
            else:
                messages.success(request, _("De casustafel is aangemaakt."))
                return redirect("meetings:detail", pk=meeting.pk)
        return render(request, "meetings/form.html", {"form": form, "meeting": None}, status=400)


class MeetingEditView(View):
    def get(self, request, pk):
        meeting = get_meeting_for_manage(request.user, pk)
        form = MeetingForm(
            initial={
                "title": meeting.title,
                "starts_at": timezone.localtime(meeting.starts_at),
                "location": meeting.location,
                "participant_orgs": meeting.participant_orgs.all(),
                "participant_users": meeting.participant_users.all(),
            }
        )
        return render(request, "meetings/form.html", {"form": form, "meeting": meeting})

    def post(self, request, pk):
        meeting = get_meeting_for_manage(request.user, pk)
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_update(actor=request.user, meeting=meeting, **_meeting_form_kwargs(form))
            except ApplicationError as exc:
                _error(form, exc)
            else:
                messages.success(request, _("De casustafel is bijgewerkt."))
                return redirect("meetings:detail", pk=meeting.pk)
        return render(request, "meetings/form.html", {"form": form, "meeting": meeting}, status=400)


def _builder_context(request, meeting: Meeting, **extra) -> dict:
    user = request.user
    manage = can_manage(user)
    draft = meeting.state == MeetingState.PLANNED
    context = {
        "meeting": meeting,
        "items": selectors.agenda_items(user=user, meeting=meeting),
        "manage": manage,
        "partner": is_partner(user),
        "draft": draft,
        "candidates": selectors.agenda_candidates(user=user, meeting=meeting) if manage and draft else None,
        "free_form": FreeItemForm(),
    }
    context.update(extra)
    return context


def _render_detail(request, meeting: Meeting, status: int = 200, **extra):
    user = request.user
    manage = can_manage(user)
    context = _builder_context(request, meeting, **extra)
    participants = selectors.meeting_participants(meeting)
    context.update(
        {
            "partner": is_partner(user),
            "next_states": [(s, TRANSITION_LABELS[s]) for s in TRANSITIONS.get(meeting.state, [])]
            if manage
            else [],
            "history": selectors.meeting_history(meeting) if not is_partner(user) else [],
            "participants": participants,
            "partner_orgs": selectors.partner_participants(participants) if manage else [],
            "has_minutes": meeting.state
            in (MeetingState.HELD, MeetingState.MINUTES_DRAFT, MeetingState.MINUTES_APPROVED),
            "transition_error": extra.get("transition_error", ""),
        }
    )
    _log_item_subjects(request, meeting=meeting, detail="casustafel vergadering")
    return render(request, "meetings/detail.html", context, status=status)


def _meeting_page(user, pk) -> Meeting:
    """The meeting with its participants and history in the same query (see selectors)."""
    return get_meeting_for_user(user, pk, queryset=selectors.meeting_page_queryset(user=user))


class MeetingDetailView(View):
    def get(self, request, pk):
        meeting = _logged_404(request, "meetings.meeting", pk, _meeting_page)
        return _render_detail(request, meeting)


class MeetingTransitionView(View):
    def post(self, request, pk):
        meeting = get_meeting_for_manage(request.user, pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            return _render_detail(request, meeting, status=400, transition_error=_("Kies een nieuwe status."))
        try:
            services.meeting_transition(
                actor=request.user,
                meeting=meeting,
                to_state=form.cleaned_data["to_state"],
                reason=form.cleaned_data.get("reason") or "",
            )
        except ApplicationError as exc:
            meeting.refresh_from_db()
            return _render_detail(request, meeting, status=400, transition_error=exc.message)
        meeting.refresh_from_db()
        messages.success(request, _("Status: %(s)s.") % {"s": meeting.get_state_display()})
        return redirect("meetings:detail", pk=meeting.pk)


# --- agenda building (htmx partials, plain POST without JavaScript) ------------------------------


def _builder_response(request, meeting: Meeting, *, error: str = "", form=None):
    meeting.refresh_from_db()
    if request.htmx:
        context = _builder_context(request, meeting, builder_error=error)
        if form is not None:
            context["free_form"] = form
        return render(request, "meetings/partials/builder.html", context, status=400 if error else 200)
    if error:
        return _render_detail(
            request,
            meeting,
            status=400,
            builder_error=error,
            **({"free_form": form} if form is not None else {}),
        )
    return redirect(reverse("meetings:detail", kwargs={"pk": meeting.pk}) + "#agenda")


class ItemAddView(View):
    def post(self, request, pk):
        meeting = get_meeting_for_manage(request.user, pk)
        is_free = request.POST.get("kind") == ItemKind.FREE
        form = FreeItemForm(request.POST) if is_free else ItemAddForm(request.POST)
        if not form.is_valid():
            first = next(iter(form.errors.values()))[0]
            return _builder_response(request, meeting, error=first, form=form if is_free else None)
        d = form.cleaned_data
        try:
            services.item_add(
                actor=request.user,
                meeting=meeting,
                kind=d["kind"],
                ref_id=d.get("ref_id"),
                subject_kind=d.get("subject_kind") or "",
                title=d.get("title") or "",
                summary=d.get("summary") or "",
            )
        except ApplicationError as exc:
            if is_free:
                _error(form, exc)
            return _builder_response(request, meeting, error=exc.message, form=form if is_free else None)
        return _builder_response(request, meeting)


class ItemReorderView(View):
    def post(self, request, pk):
        meeting = get_meeting_for_manage(request.user, pk)
        raw = request.POST.get("order", "")
        try:
            ids = [int(x) for x in raw.split(",") if x.strip()]
            services.item_reorder(actor=request.user, meeting=meeting, ordered_ids=ids)
        except ValueError:
            return _builder_response(
                request, meeting, error=_("De volgorde past niet bij de agenda; laad de pagina opnieuw.")
            )
        except ApplicationError as exc:
            return _builder_response(request, meeting, error=exc.message)
        return _builder_response(request, meeting)


class ItemMoveView(View):
    def post(self, request, pk):
        item = get_item_for_manage(request.user, pk)
        try:
            services.item_move(actor=request.user, item=item, direction=request.POST.get("direction", ""))
        except ApplicationError as exc:
            return _builder_response(request, item.meeting, error=exc.message)
        return _builder_response(request, item.meeting)


class ItemRemoveView(View):
    def post(self, request, pk):
        item = get_item_for_manage(request.user, pk)
        meeting = item.meeting
        try:
            services.item_remove(actor=request.user, item=item)
        except ApplicationError as exc:
            return _builder_response(request, meeting, error=exc.message)
        return _builder_response(request, meeting)


# --- one item: sharing, decision, actions ---------------------------------------------------------


def _item_context(request, item, **forms_) -> dict:
    user = request.user
    manage = can_manage(user)
    meeting = item.meeting
    source_url = ""
    if (
        not is_partner(user)
        and item.source is not None
        and hasattr(item.source, "compartment")
        and is_visible(user, item.source)
    ):
        names = {"signal": "signals:detail", "measure": "measures:detail"}
        name = names.get(item.kind)
        if name:
            try:
                source_url = reverse(name, kwargs={"pk": item.source.pk})
            except NoReverseMatch:  # the other app may not have its detail page yet
                source_url = ""
    decision = getattr(item, "decision", None)  # None when no decision yet (reverse one-to-one)
    decided = decision is not None
    in_decision_state = meeting.state in DECISION_STATES
    context = {
        "item": item,
        "meeting": meeting,
        "manage": manage,
        "partner": is_partner(user),
        "source_url": source_url,
        "decision": decision,
        "actions": list(item.actions.select_related("owner_org", "owner_user").order_by("due_date", "id")),
        "edit_form": forms_.get("edit_form")
        or (
            ItemEditForm(
                meeting=meeting,
                initial={
                    "title": item.title,
                    "summary": item.summary,
                    "visible_orgs": item.visible_orgs.all(),
                },
            )
            if manage and meeting.state != MeetingState.MINUTES_APPROVED
            else None
        ),
        "decision_form": forms_.get("decision_form")
        or (DecisionForm() if manage and in_decision_state and not decided else None),
        "action_form": forms_.get("action_form")
        or (ActionForm(meeting=meeting) if manage and in_decision_state else None),
        "visible_orgs": item.visible_orgs.order_by("name"),
        "bibob_relevant": is_bibob_relevant(user=user, subject=item.subject),
    }
    return context


class ItemDetailView(View):
    def get(self, request, pk):
        item = _logged_404(request, "meetings.agendaitem", pk, get_item_for_user)
        _log_item_subjects(request, item_ids=[item.pk], detail="agendapunt")
        return render(request, "meetings/item_detail.html", _item_context(request, item))


class ItemEditView(View):
    def post(self, request, pk):
        item = get_item_for_manage(request.user, pk)
        form = ItemEditForm(request.POST, meeting=item.meeting)
        if form.is_valid():
            try:
                services.item_update(
                    actor=request.user,
                    item=item,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data.get("summary") or "",
                    visible_orgs=form.cleaned_data.get("visible_orgs") or [],
                )
            except ApplicationError as exc:
                _error(form, exc)
            else:
                messages.success(request, _("Het agendapunt is opgeslagen."))
                return redirect("meetings:item_detail", pk=item.pk)
        return render(
            request, "meetings/item_detail.html", _item_context(request, item, edit_form=form), status=400
        )


class DecisionCreateView(View):
    def post(self, request, pk):
        item = get_item_for_manage(request.user, pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decision_record(
                    actor=request.user,
                    item=item,
                    kind=form.cleaned_data["kind"],
                    text=form.cleaned_data.get("text") or "",
                )
            except ApplicationError as exc:
                _error(form, exc)
            else:
                messages.success(request, _("Het besluit is vastgelegd."))
                return redirect("meetings:item_detail", pk=item.pk)
        return render(
            request, "meetings/item_detail.html", _item_context(request, item, decision_form=form), status=400
        )


class ActionCreateView(View):
    def post(self, request, pk):
        item = get_item_for_manage(request.user, pk)
        form = ActionForm(request.POST, meeting=item.meeting)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.action_create(
                    actor=request.user,
                    item=item,
                    description=d["description"],
                    owner_org=d["owner_org"],
                    owner_user=d.get("owner_user"),
                    due_date=d["due_date"],
                )
            except ApplicationError as exc:
                _error(form, exc)
            else:
                messages.success(request, _("Het actiepunt is vastgelegd."))
                return redirect("meetings:item_detail", pk=item.pk)
        return render(
            request, "meetings/item_detail.html", _item_context(request, item, action_form=form), status=400
        )


# --- action items -------------------------------------------------------------------------------


class ActionListView(View):
    def get(self, request):
        require_perm(request.user, "meetings.view_actionitem")
        partner = is_partner(request.user)
        show_all = request.GET.get("alle") == "1"
        rows = list(selectors.action_list(user=request.user, mine=partner, open_only=not show_all)[:200])
        _log_item_subjects(request, item_ids=[a.item_id for a in rows], detail="actiepunten")
        return render(
            request,
            "meetings/action_list.html",
            {"rows": rows, "partner": partner, "show_all": show_all, "today": timezone.localdate()},
        )


class ActionDetailView(View):
    def _render(self, request, action, form=None, status=200):
        may_update = may_update_action(request.user, action)
        return render(
            request,
            "meetings/action_detail.html",
            {
                "action": action,
                "history": selectors.action_history(action),
                "form": form or (ActionStatusForm(initial={"status": action.status}) if may_update else None),
                "today": timezone.localdate(),
            },
            status=status,
        )

    def get(self, request, pk):
        action = _logged_404(request, "meetings.actionitem", pk, get_action_for_user)
        _log_item_subjects(request, item_ids=[action.item_id], detail="actiepunt")
        return self._render(request, action)

    def post(self, request, pk):
        action = _logged_404(request, "meetings.actionitem", pk, get_action_for_user)
        if not may_update_action(request.user, action):
            raise Http404
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            try:
                services.action_set_status(
                    actor=request.user,
                    action=action,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data.get("note") or "",
                )
            except ApplicationError as exc:
                _error(form, exc)
            else:
                messages.success(request, _("De status van het actiepunt is bijgewerkt."))
                return redirect("meetings:action_detail", pk=action.pk)
        return self._render(request, action, form=form, status=400)


# --- documents ----------------------------------------------------------------------------------


def _document_audience(request, meeting: Meeting) -> Audience:
    """Partners and staff get their own copy; the chair may render the copy of a participant
    partner organisation (``?org=<id>``) to check or send it."""
    audience = audience_for(request.user)
    org_id = request.GET.get("org", "")
    if org_id and can_manage(request.user):
        org = meeting.participant_orgs.filter(
            kind=OrgKind.PARTNER, pk=org_id if org_id.isdigit() else 0
        ).first()
        if org is None:
            raise Http404
        compartments = tuple(
            sorted(set(meeting.items.filter(visible_orgs=org).values_list("compartment", flat=True)))
        )
        audience = Audience(org=org, compartments=compartments, preview=True)
    return audience


def _log_document(request, meeting: Meeting, *, action: str, what: str, audience: Audience) -> None:
    purpose = current_purpose(request)
    log_access(
        user=request.user,
        action=action,
        obj=meeting,
        purpose=str(purpose) if purpose else "",
        detail=f"{what}, exemplaar voor {audience.org or 'gemeente (intern)'}",
        request=request,
    )


class DocumentView(View):
    kind = "agenda"  # or "minutes"
    pdf = False

    def get(self, request, pk):
        meeting = _meeting_or_404(request, pk)
        audience = _document_audience(request, meeting)
        fragment = (
            documents.agenda_for(meeting, audience)
            if self.kind == "agenda"
            else documents.minutes_for(meeting, audience)
        )
        what = _("agenda") if self.kind == "agenda" else _("verslag")
        _log_item_subjects(request, meeting=meeting, detail=f"casustafel {what}")
        if self.pdf:
            data = documents.pdf_bytes(fragment, title=f"{what} {meeting}", kind=self.kind)
            _log_document(request, meeting, action=AccessAction.DOWNLOAD, what=what, audience=audience)
            slug = audience.org.code if audience.org else "intern"
            response = HttpResponse(data, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="casustafel-{meeting.pk}-{self.kind}-{slug}.pdf"'
            )
            return response
        _log_document(request, meeting, action=AccessAction.PRINT, what=what, audience=audience)
        query = f"?org={audience.org.pk}" if audience.org and can_manage(request.user) else ""
        return render(
            request,
            "meetings/document.html",
            {
                "meeting": meeting,
                "fragment": fragment,
                "kind": self.kind,
                "pdf_url": reverse(f"meetings:{self.kind}_pdf", kwargs={"pk": meeting.pk}) + query,
                "audience": audience,
                "partner_orgs": meeting.participant_orgs.filter(kind=OrgKind.PARTNER).order_by("name")
                if can_manage(request.user)
                else [],
            },
        )

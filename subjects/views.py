"""Subjects pages: search (with typeahead), the subject page with timeline, the network view,
create/edit with a likely-duplicates panel, links, merge and undo.

Views are interfaces: they read through ``permissions``/``selectors`` and change through
``services``. A record the user may not see is a 404 plus a ``denied`` access-log row; reading
a subject needs a purpose and writes a ``read`` row.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from vik.core.accesslog import log_access, log_access_many, log_denied, log_shown
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError, PurposeRequired
from vik.core.purpose import current_purpose, require_purpose
from vik.core.registry import subject_annotations

from . import selectors, services
from .constants import SubjectKind
from .forms import FORMS, LinkEndForm, LinkForm, MergeForm, SearchForm, edit_form_class
from .models import SubjectBase
from .permissions import (
    MODELS,
    SLUG_OF,
    can_add,
    can_change,
    can_merge,
    can_view_subjects,
    get_link_for_user,
    get_merge_for_user,
    get_subject_for_user,
)

KIND_VERBOSE = {kind: model._meta.verbose_name for kind, model in MODELS.items()}


def _purpose_refused(request, exc: ApplicationError, *, status: int = 400):
    return render(
        request,
        "subjects/purpose_required.html",
        {"message": exc.message, "next": request.get_full_path()},
        status=status,
    )


def _add_service_error(form, exc: ApplicationError) -> None:
    errors = exc.extra.get("errors")
    if errors:
        for field, messages_ in errors.items():
            target = field if field in form.fields else None
            for message in messages_:
                form.add_error(target, message)
        return
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class SubjectsView(View):
    """Only roles that may view subjects reach these pages; others get a 404."""

    kind: str = ""
    #: The record page also lets a break-glass holder (privacy officer) reach the record lookup,
    #: whose 404 offers the break-glass form and which a live grant then opens.
    break_glass_entry = False

    def dispatch(self, request, *args, **kwargs):
        if not can_view_subjects(request.user) and not (
            self.break_glass_entry and request.user.has_perm("core.break_glass")
        ):
            if self.kind and "pk" in kwargs:  # a record asked for by a role without subjects
                log_denied(
                    user=request.user,
                    obj_kind=f"subjects.{MODELS[self.kind]._meta.model_name}",
                    object_id=kwargs["pk"],
                    request=request,
                )
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def subject(self, request, pk, kind: str | None = None, annotations: dict | None = None) -> SubjectBase:
        kind = kind or self.kind
        try:
            return get_subject_for_user(request.user, kind, pk, annotations=annotations)
        except Http404:
            log_denied(
                user=request.user,
                obj_kind=f"subjects.{MODELS[kind]._meta.model_name}",
                object_id=pk,
                request=request,
            )
            raise

    def log_network(self, request, obj, network: dict, purpose) -> None:
        """Every other subject the network names, one read row each."""
        shown = [
            s for s in selectors.network_shown(network) if (s.kind, s.pk) != (obj._meta.label_lower, obj.pk)
        ]
        log_shown(
            user=request.user,
            request=request,
            shown=[(s, str(purpose)) for s in shown],
            detail=f"netwerk van {obj._meta.model_name} {obj.pk}",
        )

    def log_read(self, request, obj, purpose, detail: str = "") -> None:
        log_access(
            user=request.user,
            action=AccessAction.READ,
            obj=obj,
            purpose=str(purpose),
            detail=detail,
            request=request,
        )


# --- search ---------------------------------------------------------------------------------------


class SubjectSearchView(SubjectsView):
    template_name = "subjects/search.html"
    limit = 50

    def get(self, request):
        form = SearchForm(request.GET or None)
        context = {"form": form, "result": None, "error": "", "purpose": current_purpose(request)}
        status = 200
        if form.is_bound and form.is_valid() and (form.cleaned_data["q"] or form.filters()):
            try:
                context["result"] = selectors.subject_search(
                    user=request.user,
                    query=form.cleaned_data["q"],
                    filters=form.filters(),
                    purpose=current_purpose(request),
                    request=request,
                    limit=self.limit,
                )
            except PurposeRequired as exc:
                context["error"], context["purpose_missing"] = exc.message, True
                status = 400
            except ApplicationError as exc:
                form.add_error("q", exc.message)
                status = 400
        elif form.is_bound and not form.is_valid():
            status = 400
        return render(request, self.template_name, context, status=status)


class SubjectTypeaheadView(SubjectSearchView):
    """htmx fragment under the search box; answers 200 with the message so htmx shows it."""

    template_name = "subjects/partials/results.html"
    limit = 10

    def get(self, request):
        response = super().get(request)
        response.status_code = 200
        return response


# --- the subject page ---------------------------------------------------------------------------------


class SubjectDetailView(SubjectsView):
    break_glass_entry = True

    def get(self, request, pk):
        # The record with its merges and what other apps show about it (registry verification,
        # letters on the timeline) in one query: the page stays within its query budget.
        annotations = {
            "merge_rows": selectors.merge_rows(self.kind),
            **subject_annotations(request.user, self.kind),
        }
        obj = self.subject(request, pk, annotations=annotations)
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        rows = selectors.subject_links(user=request.user, subject=obj)
        # the record itself and the linked subjects the page names (only those the user may
        # see: subject_links), in one statement
        log_shown(
            user=request.user,
            request=request,
            shown=[(obj, str(purpose))] + [(r.other, str(purpose)) for r in rows],
            detail=f"gekoppeld aan {obj._meta.model_name} {obj.pk}",
            first_detail="",
        )
        timeline_kind = request.GET.get("soort", "")
        merges = selectors.subject_merges(subject=obj)
        timeline, timeline_kinds = selectors.subject_timeline(
            user=request.user, subject=obj, rows=rows, kind=timeline_kind, merges=merges
        )
        survivor = None
        if obj.is_merged:
            try:
                survivor = get_subject_for_user(request.user, obj.merged_into_kind, obj.merged_into_id)
            except Http404:
                survivor = None
        context = {
            "obj": obj,
            "kind": obj.kind,
            "kind_label": KIND_VERBOSE[obj.kind],
            "slug": SLUG_OF[obj.kind],
            "label": selectors.subject_label(obj),
            "rows": rows,
            "addresses": selectors.subject_addresses(rows),
            "timeline": timeline,
            "timeline_kinds": [(k, selectors.TIMELINE_KIND_LABELS.get(k, k)) for k in timeline_kinds],
            "timeline_kind": timeline_kind,
            "survivor": survivor,
            "survivor_url": selectors.subject_url(survivor.kind, survivor.pk) if survivor else "",
            "merges": merges if can_merge(request.user) else [],
            "urls": {
                name: reverse(
                    f"subjects:{obj.kind}_{name if name != 'link' else 'link_create'}", kwargs={"pk": obj.pk}
                )
                for name in ("edit", "network", "link", "merge")
            },
            "can_change": can_change(request.user, obj.kind) and not obj.is_merged,
            "can_link": can_add(request.user, "link") and not obj.is_merged,
            "can_merge": can_merge(request.user) and not obj.is_merged,
            "link_end_form": LinkEndForm(),
        }
        return render(request, "subjects/detail.html", context)


# --- create and edit -------------------------------------------------------------------------------------


def _service_data(form) -> dict:
    return {name: form.cleaned_data.get(name) for name in form.service_fields}


class SubjectCreateView(SubjectsView):
    def dispatch(self, request, *args, **kwargs):
        if not can_view_subjects(request.user) or not can_add(request.user, self.kind):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, request, form, *, duplicates=None, status=200):
        return render(
            request,
            "subjects/form.html",
            {
                "form": form,
                "kind": self.kind,
                "kind_label": KIND_VERBOSE[self.kind],
                "duplicates": duplicates,
                "creating": True,
            },
            status=status,
        )

    def get(self, request):
        return self.render_form(request, FORMS[self.kind](user=request.user))

    def post(self, request):
        form = FORMS[self.kind](request.POST, user=request.user)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        if not request.POST.get("confirm"):
            duplicates = selectors.likely_duplicates(
                user=request.user, kind=self.kind, data=form.cleaned_data
            )
            log_access(
                user=request.user,
                action=AccessAction.SEARCH,
                purpose=str(purpose),
                detail=f"dubbelcontrole {self.kind}: {len(duplicates)} kandidaten",
                request=request,
            )
            if duplicates:
                return self.render_form(request, form, duplicates=duplicates)
        try:
            obj = getattr(services, f"{self.kind}_create")(
                actor=request.user, compartment=form.cleaned_data["compartment"], **_service_data(form)
            )
        except ApplicationError as exc:
            _add_service_error(form, exc)
            return self.render_form(request, form, status=400)
        if (
            self.kind == SubjectKind.PERSON
            and form.cleaned_data.get("postcode")
            and form.cleaned_data.get("house_number")
        ):
            self.link_home(request, obj, form.cleaned_data["postcode"], form.cleaned_data["house_number"])
        messages.success(request, _("%(k)s vastgelegd.") % {"k": KIND_VERBOSE[self.kind].capitalize()})
        return redirect(selectors.subject_url(self.kind, obj.pk))

    def link_home(self, request, person, postcode: str, number: int) -> None:
        from .constants import LinkType

        home = (
            selectors.address_list(user=request.user)
            .filter(postcode=postcode, house_number=number)
            .order_by("pk")
            .first()
        )
        if home is None:
            messages.warning(
                request,
                _(
                    "Geen bekend adres met deze postcode en dit huisnummer; voeg het adres toe en leg daarna de relatie."
                ),
            )
            return
        try:
            services.link_create(
                actor=request.user, source_obj=person, target_obj=home, link_type=LinkType.WOONT_OP
            )
        except ApplicationError as exc:
            messages.warning(request, exc.message)


class SubjectEditView(SubjectsView):
    def dispatch(self, request, *args, **kwargs):
        if not can_view_subjects(request.user) or not can_change(request.user, self.kind):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, request, form, obj, status=200):
        return render(
            request,
            "subjects/form.html",
            {
                "form": form,
                "kind": self.kind,
                "kind_label": KIND_VERBOSE[self.kind],
                "obj": obj,
                "creating": False,
            },
            status=status,
        )

    def load(self, request, pk):
        obj = self.subject(request, pk)
        purpose = require_purpose(request)
        return obj, purpose

    def get(self, request, pk):
        try:
            obj, purpose = self.load(request, pk)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        self.log_read(request, obj, purpose, detail="wijzigen")
        form_class = edit_form_class(self.kind)
        initial = {name: getattr(obj, name) for name in form_class.service_fields}
        for name in ("aliases", "trade_names"):
            if name in initial:
                initial[name] = "\n".join(initial[name])
        if "sbi_codes" in initial:
            initial["sbi_codes"] = ", ".join(initial["sbi_codes"])
        initial["version"] = obj.version
        return self.render_form(request, form_class(initial=initial), obj)

    def post(self, request, pk):
        try:
            obj, _purpose = self.load(request, pk)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        form = edit_form_class(self.kind)(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, obj, status=400)
        try:
            getattr(services, f"{self.kind}_update")(
                actor=request.user,
                **{self.kind: obj},
                expected_version=form.cleaned_data.get("version"),
                **_service_data(form),
            )
        except ApplicationError as exc:
            _add_service_error(form, exc)
            return self.render_form(request, form, obj, status=400)
        messages.success(request, _("Wijzigingen opgeslagen."))
        return redirect(selectors.subject_url(self.kind, obj.pk))


# --- network -------------------------------------------------------------------------------------------------


class SubjectNetworkView(SubjectsView):
    def get(self, request, pk):
        obj = self.subject(request, pk)
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        self.log_read(request, obj, purpose, detail="netwerk")
        network = selectors.subject_network(user=request.user, subject=obj)
        self.log_network(request, obj, network, purpose)
        by_id = {n["id"]: n for n in network["nodes"]}
        table = [
            {"edge": e, "source": by_id.get(e["source"]), "target": by_id.get(e["target"])}
            for e in network["edges"]
            if not e["id"].startswith("edge-hub-")
        ]
        context = {
            "obj": obj,
            "obj_url": selectors.subject_url(obj.kind, obj.pk),
            "label": selectors.subject_label(obj),
            "kind_label": KIND_VERBOSE[obj.kind],
            "network": network,
            "table": table,
            "hubs": [n for n in network["nodes"] if n["kind"] == "count"],
        }
        return render(request, "subjects/network.html", context)


class SubjectNetworkJsonView(SubjectsView):
    def get(self, request, pk):
        obj = self.subject(request, pk)
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return JsonResponse({"error": exc.message}, status=400)
        self.log_read(request, obj, purpose, detail="netwerk (gegevens)")
        network = selectors.subject_network(user=request.user, subject=obj)
        self.log_network(request, obj, network, purpose)
        return JsonResponse(network)


# --- links -----------------------------------------------------------------------------------------------------


class LinkCreateView(SubjectsView):
    def dispatch(self, request, *args, **kwargs):
        if not can_view_subjects(request.user) or not can_add(request.user, "link"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, request, form, obj, status=200):
        return render(
            request,
            "subjects/link_form.html",
            {
                "form": form,
                "obj": obj,
                "label": selectors.subject_label(obj),
                "kind_label": KIND_VERBOSE[obj.kind],
            },
            status=status,
        )

    def get(self, request, pk):
        obj = self.subject(request, pk)
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        self.log_read(request, obj, purpose, detail="relatie toevoegen")
        return self.render_form(request, LinkForm(initial=request.GET or None), obj)

    def post(self, request, pk):
        obj = self.subject(request, pk)
        try:
            require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        form = LinkForm(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, obj, status=400)
        data = form.cleaned_data
        try:
            other = get_subject_for_user(request.user, data["target_kind"], data["target_id"])
        except Http404:
            form.add_error(
                "target_id",
                _("Er is geen %(k)s met dit nummer dat u mag inzien.")
                % {"k": KIND_VERBOSE[data["target_kind"]]},
            )
            return self.render_form(request, form, obj, status=400)
        source_obj, target_obj = (obj, other) if data["direction"] == "out" else (other, obj)
        try:
            services.link_create(
                actor=request.user,
                source_obj=source_obj,
                target_obj=target_obj,
                link_type=data["link_type"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                source=data["source"],
                reliability=data["reliability"],
            )
        except ApplicationError as exc:
            _add_service_error(form, exc)
            return self.render_form(request, form, obj, status=400)
        messages.success(request, _("Relatie vastgelegd."))
        return redirect(selectors.subject_url(obj.kind, obj.pk))


class LinkEndView(SubjectsView):
    http_method_names = ["post"]

    def post(self, request, pk):
        if not can_change(request.user, "link"):
            raise Http404
        link = get_link_for_user(request.user, pk)
        back = request.POST.get("back_kind"), request.POST.get("back_id")
        form = LinkEndForm(request.POST)
        error = ""
        if form.is_valid():
            try:
                services.link_end(actor=request.user, link=link, end_date=form.cleaned_data["end_date"])
            except ApplicationError as exc:
                error = exc.message
        else:
            error = _("Vul een geldige einddatum in.")
        if error:
            return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
        messages.success(request, _("Relatie beëindigd."))
        kind, back_id = (
            (back[0], back[1])
            if back[0] in MODELS and (back[1] or "").isdigit()
            else (link.from_kind, link.from_id)
        )
        return redirect(selectors.subject_url(kind, int(back_id)))


# --- merge -------------------------------------------------------------------------------------------------------


class SubjectMergeView(SubjectsView):
    def dispatch(self, request, *args, **kwargs):
        if not can_view_subjects(request.user) or not can_merge(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, request, form, obj, status=200):
        candidates = selectors.likely_duplicates(
            user=request.user, kind=obj.kind, data=selectors.duplicate_data(obj), exclude_pk=obj.pk
        )
        return render(
            request,
            "subjects/merge.html",
            {
                "form": form,
                "obj": obj,
                "label": selectors.subject_label(obj),
                "kind_label": KIND_VERBOSE[obj.kind],
                "candidates": candidates,
            },
            status=status,
        )

    def get(self, request, pk):
        obj = self.subject(request, pk)
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        log_access(
            user=request.user,
            action=AccessAction.SEARCH,
            obj=obj,
            purpose=str(purpose),
            detail="dubbelen zoeken voor samenvoegen",
            request=request,
        )
        return self.render_form(request, MergeForm(initial=request.GET or None), obj)

    def post(self, request, pk):
        obj = self.subject(request, pk)
        try:
            require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        form = MergeForm(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, obj, status=400)
        try:
            duplicate = get_subject_for_user(request.user, obj.kind, form.cleaned_data["duplicate_id"])
        except Http404:
            form.add_error(
                "duplicate_id",
                _("Er is geen %(k)s met dit nummer dat u mag inzien.") % {"k": KIND_VERBOSE[obj.kind]},
            )
            return self.render_form(request, form, obj, status=400)
        try:
            merge = services.subject_merge(
                actor=request.user, survivor=obj, duplicate=duplicate, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form.add_error("duplicate_id", exc.message)
            return self.render_form(request, form, obj, status=400)
        messages.success(request, _("Samengevoegd. U kunt dit ongedaan maken."))
        return redirect("subjects:merge_detail", pk=merge.pk)


class MergeDetailView(SubjectsView):
    def get(self, request, pk):
        merge = get_merge_for_user(request.user, pk)
        survivor = get_subject_for_user(request.user, merge.kind, merge.survivor_id)
        duplicate = get_subject_for_user(request.user, merge.kind, merge.duplicate_id)
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        # The page names both records: each is a read, logged in one statement.
        log_access_many(
            user=request.user,
            action=AccessAction.READ,
            objs=[survivor, duplicate],
            purpose=str(purpose),
            detail=f"samenvoeging {merge.pk}",
            request=request,
        )
        snap = merge.snapshot or {}
        context = {
            "merge": merge,
            "survivor": survivor,
            "duplicate": duplicate,
            "survivor_url": selectors.subject_url(merge.kind, survivor.pk),
            "duplicate_url": selectors.subject_url(merge.kind, duplicate.pk),
            "links_moved": len(snap.get("links", [])),
            "references": snap.get("references", []),
            "references_moved": sum(len(r.get("moved", [])) for r in snap.get("references", [])),
            "fields": [c["field"] for c in snap.get("fields", [])],
            "lists_added": snap.get("lists_added", {}),
            "kind_label": KIND_VERBOSE[merge.kind],
        }
        return render(request, "subjects/merge_detail.html", context)


class MergeUndoView(SubjectsView):
    http_method_names = ["post"]

    def post(self, request, pk):
        merge = get_merge_for_user(request.user, pk)
        try:
            services.subject_merge_undo(actor=request.user, merge=merge)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("subjects:merge_detail", pk=merge.pk)
        messages.success(request, _("De samenvoeging is ongedaan gemaakt."))
        return redirect(reverse("subjects:merge_detail", kwargs={"pk": merge.pk}))

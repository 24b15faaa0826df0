"""Views are interfaces: parse input, call one service or selector, render. Every record is
fetched through ``permissions.py``; what the user may not see answers 404."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from subjects import selectors as subject_selectors
from vik.core.access import is_visible, visible_only
from vik.core.accesslog import log_access, log_access_many, log_denied, log_shown
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError, PurposeRequired
from vik.core.models import User
from vik.core.outbox import DEFERRED_MESSAGE
from vik.core.purpose import current_purpose, require_purpose

from . import matching, selectors, services
from .constants import ImportStatus, SignalStatus
from .forms import (
    AlignmentForm,
    AssignForm,
    AttachmentForm,
    ControlForm,
    ExportForm,
    FilterForm,
    FindingForm,
    ImportConfirmForm,
    ImportUploadForm,
    LinkSubjectForm,
    OutcomeForm,
    SignalForm,
    TransitionForm,
)
from .models import Signal
from .permissions import (
    ADD_CONTROL,
    ADD_SIGNAL,
    CHANGE_CONTROL,
    CHANGE_SIGNAL,
    EXPORT_SIGNAL,
    FLAG_CASUSTAFEL,
    IMPORT_SIGNAL,
    VIEW_CONTROL,
    VIEW_SIGNAL,
    get_attachment_for_user,
    get_control_for_user,
    get_finding_for_user,
    get_import_batch_for_user,
    get_signal_for_user,
    may_read_narrative,
)
from .uploads import (
    import_batch_can_retry,
    import_batch_confirm,
    import_batch_is_stale,
    import_batch_progress,
    import_batch_retry,
    import_batch_rows,
    import_batch_upload,
)


def require_perm(user: User, perm: str) -> None:
    if not user.has_perm(perm):
        raise Http404


def _signal_or_404(request, pk) -> Signal:
    try:
        return get_signal_for_user(request.user, pk)
    except Http404:
        log_denied(user=request.user, obj_kind="signals.signal", object_id=pk, request=request)
        raise


def _filters_from(form: FilterForm) -> selectors.SignalFilters:
    if not form.is_valid():
        return selectors.SignalFilters()
    d = form.cleaned_data
    return selectors.SignalFilters(
        status=d.get("status") or "",
        source=d.get("bron") or "",
        phenomenon=d.get("fenomeen") or "",
        date_from=d.get("van"),
        date_to=d.get("tot"),
        area=d.get("gebied") or "",
        assignee=d.get("behandelaar") or "",
        q=d.get("q") or "",
    )


# --- list, search, export -------------------------------------------------------------------------


class SignalListView(View):
    def get(self, request):
        require_perm(request.user, VIEW_SIGNAL)
        form = FilterForm(request.GET or None)
        filters = _filters_from(form)
        qs = selectors.signal_list(user=request.user, filters=filters)
        rows, next_cursor = selectors.signal_page(qs, cursor=request.GET.get("na", ""))
        # the status label resolved once per page: get_status_display re-translates every
        # choice on each of the 50 rows
        status_labels = {value: str(label) for value, label in SignalStatus.choices}
        for row in rows:
            row.status_label = status_labels.get(row.status, row.status)
        count, more = selectors.signal_count(qs)
        query = filters.as_query()
        if filters.q:
            log_access(
                user=request.user,
                action=AccessAction.SEARCH,
                kind="signals.signal",
                detail=f"zoekterm: {filters.q}",
                request=request,
            )
        return render(
            request,
            "signals/list.html",
            {
                "form": form,
                "chips": form.active_chips(),
                "rows": rows,
                "count": count,
                "more": more,
                "next_url": f"?{urlencode({**query, 'na': next_cursor})}" if next_cursor else "",
                "query": urlencode(query),
                "can_add": request.user.has_perm(ADD_SIGNAL),
                "can_export": request.user.has_perm(EXPORT_SIGNAL),
                "can_import": request.user.has_perm(IMPORT_SIGNAL),
            },
            status=200 if not form.errors else 400,
        )


EXPORT_COLUMNS = [
    ("kenmerk", lambda s: s.reference),
    ("ontvangen_op", lambda s: s.received_date.isoformat()),
    ("bron", lambda s: s.source.code),
    ("fenomeen", lambda s: ";".join(sorted(p.code for p in s.phenomena.all()))),
    ("status", lambda s: s.get_status_display()),
    ("betrouwbaarheid", lambda s: s.reliability),
    ("samenvatting", lambda s: s.summary),
    ("extern_kenmerk", lambda s: s.external_ref),
    ("behandelaar", lambda s: s.assignee.get_username() if s.assignee_id else ""),
    ("casustafel", lambda s: "ja" if s.casustafel else "nee"),
    ("compartiment", lambda s: s.compartment),
]


def _export_rows(qs):
    # The export carries the non-confidential summary only, never the narrative (M. text).
    for signal in selectors.with_display(qs).iterator(chunk_size=2000):
        yield [fn(signal) for _name, fn in EXPORT_COLUMNS]


def _sanitize_cell(value: str) -> str:
    """Spreadsheet formula injection: a value starting with = + - @ is written as text."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


class SignalExportView(View):
    """Export of the filtered list after a confirmation step; only rows the user may see; logged."""

    def _context(self, request, form):
        filter_form = FilterForm(request.GET or None)
        filters = _filters_from(filter_form)
        qs = selectors.signal_list(user=request.user, filters=filters)
        count = qs.order_by().count()
        return {"form": form, "count": count, "query": urlencode(filters.as_query())}, qs, filters

    def get(self, request):
        require_perm(request.user, EXPORT_SIGNAL)
        context, _qs, _f = self._context(request, ExportForm())
        return render(request, "signals/export.html", context)

    def post(self, request):
        require_perm(request.user, EXPORT_SIGNAL)
        form = ExportForm(request.POST)
        context, qs, filters = self._context(request, form)
        if not form.is_valid():
            return render(request, "signals/export.html", context, status=400)
        rows = list(_export_rows(qs))
        header = [name for name, _fn in EXPORT_COLUMNS]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        fmt = form.cleaned_data["format"]
        log_access(
            user=request.user,
            action=AccessAction.EXPORT,
            kind="signals.signal",
            detail=f"{len(rows)} rijen {fmt}; filters: {urlencode(filters.as_query())}",
            request=request,
        )
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, delimiter=";")
            writer.writerow(header)
            for row in rows:
                writer.writerow([_sanitize_cell(str(v)) for v in row])
            response = HttpResponse(
                ("\ufeff" + buf.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="signalen-{stamp}.csv"'
            return response
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("Signalen")
        ws.append(header)
        for row in rows:
            ws.append([_sanitize_cell(str(v)) for v in row])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="signalen-{stamp}.xlsx"'
        return response


# --- intake ---------------------------------------------------------------------------------------


def _resolve_subjects(
    request, form, signal_source_label: str = "", chosen_person=None
) -> list[tuple[object, str, bool]]:
    """Match or create the subjects given in a form: (record, default role, created).
    ``chosen_person``: the existing person the analyst picked from the likely matches."""
    prov = matching.Provenance(
        owner_team=request.user.org_unit, source=signal_source_label or "intake", actor=request.user
    )
    out = []
    person = form.person_data()
    if chosen_person is not None:
        out.append((chosen_person, form.cleaned_data.get("role") or "verdachte", False))
    elif person:
        obj, created = matching.person_match_or_create(person, prov)
        out.append((obj, form.cleaned_data.get("role") or "verdachte", created))
    org = form.organisation_data()
    if org:
        obj, created = matching.organisation_match_or_create(org, prov)
        out.append((obj, form.cleaned_data.get("role") or "betrokkene", created))
    address = form.address_data()
    if address:
        obj, created = matching.address_match_or_create(address, prov)
        out.append((obj, form.cleaned_data.get("role") or "locatie", created))
    if form.cleaned_data.get("kenteken"):
        obj, created = matching.vehicle_match_or_create(form.cleaned_data["kenteken"], prov)
        out.append((obj, form.cleaned_data.get("role") or "voertuig", created))
    return out


def _log_matched(request, signal, resolved) -> None:
    for obj, _role, created in resolved:
        if not created:
            log_access(
                user=request.user,
                action=AccessAction.READ,
                obj=obj,
                purpose=f"Signaal {signal.reference}",
                detail="gekoppeld aan signaal",
                request=request,
            )


# identifier fields of the intake form and the record kind each one looks up
IDENTIFIERS = {
    "persoon_bsn": "subjects.person",
    "organisatie_kvk": "subjects.organisation",
    "adres_postcode": "subjects.address",
    "kenteken": "subjects.vehicle",
}


def _identifier_kinds(cleaned: dict) -> list[str]:
    kinds = [kind for field, kind in IDENTIFIERS.items() if cleaned.get(field)]
    if "subjects.address" in kinds and not cleaned.get("adres_huisnummer"):
        kinds.remove("subjects.address")  # a postcode alone looks nothing up
    return kinds


def _duplicates_for(request, cleaned: dict, exclude_pk=None, purpose: str = ""):
    """Likely duplicates for the identifiers typed: a lookup by identifier, logged as a search
    per identifier kind with its purpose (never the identifier's value)."""
    kinds = _identifier_kinds(cleaned)
    for kind in kinds:
        log_access(
            user=request.user,
            action=AccessAction.SEARCH,
            kind=kind,
            purpose=purpose,
            detail="dubbelencontrole intake",
            request=request,
        )
    if not kinds:
        return []
    return selectors.signal_duplicates(
        user=request.user,
        bsn=cleaned.get("persoon_bsn") or "",
        kvk_number=cleaned.get("organisatie_kvk") or "",
        postcode=cleaned.get("adres_postcode") or "",
        house_number=cleaned.get("adres_huisnummer"),
        kenteken=cleaned.get("kenteken") or "",
        exclude_pk=exclude_pk,
    )


class SignalCreateView(View):
    def get(self, request):
        require_perm(request.user, ADD_SIGNAL)
        form = SignalForm(initial={"received_date": timezone.localdate()})
        return render(request, "signals/create.html", {"form": form})

    def post(self, request):
        require_perm(request.user, ADD_SIGNAL)
        form = SignalForm(request.POST)
        if not form.is_valid():
            return render(request, "signals/create.html", {"form": form}, status=400)
        # the signal being registered is the case these lookups serve
        purpose = current_purpose(request)
        duplicates = _duplicates_for(
            request, form.cleaned_data, purpose=str(purpose) if purpose else _("Intake nieuw signaal")
        )
        if duplicates and not form.cleaned_data.get("duplicates_seen"):
            data = request.POST.copy()
            data["duplicates_seen"] = "True"
            return render(
                request,
                "signals/create.html",
                {"form": SignalForm(data), "duplicates": duplicates, "confirm_duplicates": True},
            )
        choice = _person_choice(request, form)
        if choice.candidates:
            return render(
                request,
                "signals/create.html",
                {"form": form, "person_candidates": choice.candidates, "duplicates": duplicates},
            )
        d = form.cleaned_data
        try:
            with transaction.atomic():
                resolved = _resolve_subjects(request, form, d["source"].label, chosen_person=choice.person)
                signal = services.signal_create(
                    actor=request.user,
                    source=d["source"],
                    received_date=d["received_date"],
                    phenomena=list(d["phenomena"]),
                    summary=d["summary"],
                    narrative=d["narrative"],
                    reliability_source=d["reliability_source"],
                    reliability_information=d["reliability_information"],
                    legal_regime=d["legal_regime"],
                    wpg_conditions=d["wpg_conditions"],
                    external_ref=d["external_ref"],
                    links=[(obj, role) for obj, role, _c in resolved],
                )
                _log_matched(request, signal, resolved)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return render(request, "signals/create.html", {"form": form}, status=400)
        messages.success(request, _("Signaal %(ref)s is vastgelegd.") % {"ref": signal.reference})
        return redirect("signals:detail", pk=signal.pk)


@dataclass
class _PersonChoice:
    person: object = None  # the existing person the analyst picked
    candidates: list = field(default_factory=list)  # likely matches still to choose from


def _person_choice(request, form) -> _PersonChoice:
    """No silent duplicate persons at intake: when the person typed in is not found exactly (BSN,
    or surname + first names + birth date) but looks like persons the user may see (similar name
    with the same birth date, same identifier), the form comes back with those candidates and
    the analyst picks one or says "nieuw" (``persoon_keuze``). The candidate list is a search,
    logged with the intake as purpose."""
    person = form.person_data()
    if person is None:
        return _PersonChoice()
    picked = request.POST.get("persoon_keuze", "")
    if picked == "nieuw":
        return _PersonChoice()
    if picked.isdigit():
        chosen = subject_selectors.person_list(user=request.user).filter(pk=int(picked)).first()
        if chosen is not None:
            return _PersonChoice(person=chosen)
    if matching.find_person(person) is not None:
        return _PersonChoice()
    candidates = subject_selectors.likely_duplicates(
        user=request.user,
        kind="person",
        data={
            "bsn": person.bsn,
            "geslachtsnaam": person.geslachtsnaam,
            "voorvoegsel": person.voorvoegsel,
            "voornamen": person.voornamen,
            "birth_date": person.birth_date,
        },
        limit=5,
    )
    if candidates:
        log_access(
            user=request.user,
            action=AccessAction.SEARCH,
            kind="subjects.person",
            purpose=_("Intake nieuw signaal"),
            detail=f"mogelijke bestaande personen bij intake: {len(candidates)}",
            request=request,
        )
    return _PersonChoice(candidates=candidates)


class SignalDuplicatesView(View):
    """htmx: likely duplicate signals for the identifiers typed in the intake form so far."""

    def get(self, request):
        require_perm(request.user, ADD_SIGNAL)
        form = LinkSubjectForm(request.GET)
        form.is_valid()
        cleaned = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
        if not _identifier_kinds(cleaned):
            return render(request, "signals/partials/duplicates.html", {"duplicates": [], "checked": True})
        try:  # a lookup by BSN, KvK, address or kenteken needs a purpose
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return render(request, "signals/partials/duplicates.html", {"purpose_message": exc.message})
        duplicates = _duplicates_for(request, cleaned, purpose=str(purpose))
        return render(
            request, "signals/partials/duplicates.html", {"duplicates": duplicates, "checked": True}
        )


# --- detail and workflow --------------------------------------------------------------------------


def _detail_context(request, signal: Signal, **forms) -> dict:
    user = request.user
    can_change = user.has_perm(CHANGE_SIGNAL)
    allowed = services.signal_allowed_transitions(signal)
    links = []
    for link in selectors.signal_links(signal):
        target = link.target
        links.append(
            {"link": link, "target": target, "visible": target is not None and is_visible(user, target)}
        )
    candidates = User.objects.filter(is_active=True, org_unit=signal.owner_team).order_by(
        "first_name", "username"
    )
    return {
        "signal": signal,
        "phenomena": list(signal.phenomena.all()),
        "show_narrative": may_read_narrative(user, signal),
        "links": links,
        "history": list(selectors.signal_history(signal)),
        "attachments": list(signal.attachments.all()),
        "can_change": can_change,
        "can_flag": user.has_perm(FLAG_CASUSTAFEL),
        "allowed": allowed,
        "may_lead_to_measure": services.signal_may_lead_to_measure(signal),
        "transition_form": forms.get("transition_form") or TransitionForm(allowed=allowed),
        "assign_form": forms.get("assign_form")
        or AssignForm(candidates=candidates, initial={"assignee": signal.assignee_id}),
        "alignment_form": forms.get("alignment_form") or AlignmentForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "link_form": forms.get("link_form") or LinkSubjectForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "duplicates": forms.get("duplicates") or [],
        "error": forms.get("error", ""),
    }


class SignalDetailView(View):
    def get(self, request, pk):
        signal = _signal_or_404(request, pk)
        purpose = f"Signaal {signal.reference}"
        log_access(user=request.user, action=AccessAction.READ, obj=signal, purpose=purpose, request=request)
        context = _detail_context(request, signal)
        # The page names the linked persons, organisations, addresses and vehicles: each is a read.
        log_access_many(
            user=request.user,
            action=AccessAction.READ,
            objs=[item["target"] for item in context["links"] if item["visible"]],
            purpose=purpose,
            request=request,
        )
        return render(request, "signals/detail.html", context)


class _SignalAction(View):
    perm = CHANGE_SIGNAL
    form_class = None
    form_name = ""

    def get_form(self, request, signal):
        return self.form_class(request.POST, request.FILES)

    def post(self, request, pk):
        require_perm(request.user, self.perm)
        signal = _signal_or_404(request, pk)
        form = self.get_form(request, signal)
        if form.is_valid():
            try:
                message = self.act(request, signal, form)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if message:
                    messages.success(request, message)
                return redirect("signals:detail", pk=signal.pk)
        signal.refresh_from_db()
        return render(
            request,
            "signals/detail.html",
            _detail_context(request, signal, **{self.form_name: form}),
            status=400,
        )

    def act(self, request, signal, form) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


class SignalTransitionView(_SignalAction):
    form_name = "transition_form"

    def get_form(self, request, signal):
        return TransitionForm(request.POST, allowed=services.signal_allowed_transitions(signal))

    def act(self, request, signal, form):
        services.signal_transition(
            actor=request.user,
            signal=signal,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
        )
        return _("Status gewijzigd in %(s)s.") % {"s": SignalStatus(form.cleaned_data["to_status"]).label}


class SignalAlignmentView(_SignalAction):
    form_class = AlignmentForm
    form_name = "alignment_form"

    def act(self, request, signal, form):
        services.signal_record_police_alignment(
            actor=request.user, signal=signal, note=form.cleaned_data["note"]
        )
        return _("De afstemming met de politie is vastgelegd.")


class SignalAssignView(_SignalAction):
    form_name = "assign_form"

    def get_form(self, request, signal):
        candidates = User.objects.filter(is_active=True, org_unit=signal.owner_team)
        return AssignForm(request.POST, candidates=candidates)

    def act(self, request, signal, form):
        services.signal_assign(actor=request.user, signal=signal, assignee=form.cleaned_data["assignee"])
        return _("Toewijzing opgeslagen.")


class SignalCasustafelView(View):
    def post(self, request, pk):
        require_perm(request.user, FLAG_CASUSTAFEL)
        signal = _signal_or_404(request, pk)
        flag = request.POST.get("flag") == "1"
        try:
            services.signal_flag_casustafel(actor=request.user, signal=signal, flag=flag)
        except ApplicationError as exc:
            return render(
                request,
                "signals/detail.html",
                _detail_context(request, signal, error=exc.message),
                status=400,
            )
        messages.success(
            request, _("Op de agenda van de casustafel gezet.") if flag else _("Van de casustafel gehaald.")
        )
        return redirect("signals:detail", pk=signal.pk)


class SignalOutcomeView(_SignalAction):
    form_class = OutcomeForm
    form_name = "outcome_form"

    def act(self, request, signal, form):
        services.signal_record_casustafel_outcome(
            actor=request.user,
            signal=signal,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
        return _("De uitkomst van de casustafel is vastgelegd.")


class SignalLinkSubjectView(_SignalAction):
    form_class = LinkSubjectForm
    form_name = "link_form"

    def act(self, request, signal, form):
        if not (
            form.person_data()
            or form.organisation_data()
            or form.address_data()
            or form.cleaned_data.get("kenteken")
        ):
            raise ApplicationError(_("Vul een persoon, organisatie, adres of kenteken in."))
        with transaction.atomic():
            resolved = _resolve_subjects(request, form, signal.source.label)
            for obj, role, _created in resolved:
                services.signal_link_subject(
                    actor=request.user,
                    signal=signal,
                    subject=obj,
                    role=form.cleaned_data["role"] or role,
                    check_visible=False,
                )
            _log_matched(request, signal, resolved)
        return _("Gekoppeld.")


class AttachmentUploadView(_SignalAction):
    form_class = AttachmentForm
    form_name = "attachment_form"

    def act(self, request, signal, form):
        upload = form.cleaned_data["file"]
        from django.conf import settings

        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise ApplicationError(
                _("Het bestand is te groot: ten hoogste %(mb)s MB.")
                % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)},
                field="file",
            )
        services.attachment_add(actor=request.user, signal=signal, filename=upload.name, data=upload.read())
        return _("Bijlage toegevoegd.")


class AttachmentDownloadView(View):
    def get(self, request, pk, attachment_pk):
        try:
            attachment = get_attachment_for_user(request.user, pk, attachment_pk)
        except Http404:
            log_denied(
                user=request.user, obj_kind="signals.attachment", object_id=attachment_pk, request=request
            )
            raise
        data = services.attachment_read(attachment)
        log_access(
            user=request.user,
            action=AccessAction.DOWNLOAD,
            obj=attachment,
            purpose=f"Signaal {attachment.signal.reference}",
            request=request,
        )
        response = HttpResponse(data, content_type=attachment.content_type)
        quoted = attachment.filename.replace('"', "")
        response["Content-Disposition"] = f'attachment; filename="{quoted}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store"
        return response


# --- import ---------------------------------------------------------------------------------------


class ImportUploadView(View):
    def get(self, request):
        require_perm(request.user, IMPORT_SIGNAL)
        return render(request, "signals/import_upload.html", {"form": ImportUploadForm()})

    def post(self, request):
        require_perm(request.user, IMPORT_SIGNAL)
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = import_batch_upload(actor=request.user, filename=upload.name, data=upload.read())
            except ApplicationError as exc:
                form.add_error("file", exc.message)
            else:
                _say_if_deferred(request, batch)
                return redirect("signals:import_detail", pk=batch.pk)
        return render(request, "signals/import_upload.html", {"form": form}, status=400)


class ImportDetailView(View):
    """Preview (counts, bad rows) with the confirmation, then progress polled by htmx."""

    def get(self, request, pk):
        batch = get_import_batch_for_user(request.user, pk)
        ctx = self._context(batch, ImportConfirmForm())
        if ctx["preview"]:
            ctx["matches"], ctx["matches_cut"] = _import_match_report(request, batch)
        return render(request, "signals/import_detail.html", ctx)

    def post(self, request, pk):
        batch = get_import_batch_for_user(request.user, pk)
        form = ImportConfirmForm(request.POST)
        if "retry" in request.POST:
            try:
                queued = import_batch_retry(actor=request.user, batch=batch)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                _say_if_deferred(request, queued)
                return redirect("signals:import_detail", pk=batch.pk)
        elif form.is_valid():
            try:
                queued = import_batch_confirm(
                    actor=request.user, batch=batch, skip_invalid=form.cleaned_data["skip_invalid"]
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                _say_if_deferred(request, queued)
                return redirect("signals:import_detail", pk=batch.pk)
        return render(request, "signals/import_detail.html", self._context(batch, form), status=400)

    @staticmethod
    def _context(batch, form):
        return {"form": form, "preview": batch.status == ImportStatus.PREVIEW, **_progress_context(batch)}


MATCH_REPORT_ROWS = 500


def _import_match_report(request, batch):
    """The preview's matching report (issue #19 item 5): per row which existing subject the import
    would link to and why, likely existing persons, likely duplicates among the new ones. An
    existing record is named only when the user may see it (the import links to it anyway); every
    record named is logged with the import as purpose. The first ``MATCH_REPORT_ROWS`` rows."""
    rows = import_batch_rows(batch)
    report = matching.match_report(rows[:MATCH_REPORT_ROWS])
    records = [r.existing for r in report if r.existing] + [c for r in report for c in r.likely]
    visible = {(type(o), o.pk) for o in visible_only(request.user, records)}
    for r in report:
        r.existing_visible = r.existing is not None and (type(r.existing), r.existing.pk) in visible
        r.likely = [c for c in r.likely if (type(c), c.pk) in visible]
        if r.existing_visible:
            r.url = subject_selectors.subject_url(r.existing.kind, r.existing.pk)
            r.label = subject_selectors.subject_label(r.existing)
        r.likely_links = [
            (subject_selectors.subject_url(c.kind, c.pk), subject_selectors.subject_label(c))
            for c in r.likely
        ]
    purpose = _("Import %(file)s: controle op bestaande subjecten") % {"file": batch.filename}
    log_shown(
        user=request.user,
        request=request,
        shown=[(r.existing, purpose) for r in report if r.existing_visible]
        + [(c, purpose) for r in report for c in r.likely],
        detail="importcontrole",
    )
    return report, len(rows) > MATCH_REPORT_ROWS


def _say_if_deferred(request, batch) -> None:
    if getattr(batch, "deferred", False):
        messages.warning(request, DEFERRED_MESSAGE)


def _progress_context(batch) -> dict:
    """Progress of a batch; a stale one (its worker died) shows as failed with "opnieuw proberen"."""
    done, total = import_batch_progress(batch)
    stale = import_batch_is_stale(batch)
    return {
        "batch": batch,
        "done": done,
        "total": total,
        "running": batch.status in (ImportStatus.UPLOADED, ImportStatus.QUEUED, ImportStatus.RUNNING)
        and not stale,
        "checking": batch.status == ImportStatus.UPLOADED,
        "stale": stale,
        "can_retry": stale or import_batch_can_retry(batch),
    }


class ImportProgressView(View):
    def get(self, request, pk):
        batch = get_import_batch_for_user(request.user, pk)
        context = _progress_context(batch)
        response = render(request, "signals/partials/import_progress.html", context)
        if not context["running"]:
            # The check or the import finished while the page polled: reload it whole, so the
            # counts, the bad rows and the confirmation appear.
            response["HX-Refresh"] = "true"
        return response


# --- controls -------------------------------------------------------------------------------------


class ControlListView(View):
    def get(self, request):
        require_perm(request.user, VIEW_CONTROL)
        controls = selectors.control_list(user=request.user)[:200]
        return render(
            request,
            "signals/control_list.html",
            {"controls": controls, "can_add": request.user.has_perm(ADD_CONTROL)},
        )


class ControlCreateView(View):
    def get(self, request):
        require_perm(request.user, ADD_CONTROL)
        return render(
            request,
            "signals/control_form.html",
            {"form": ControlForm(initial={"date": timezone.localdate()})},
        )

    def post(self, request):
        require_perm(request.user, ADD_CONTROL)
        form = ControlForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                with transaction.atomic():
                    address = None
                    if d["adres_postcode"] and d["adres_huisnummer"]:
                        prov = matching.Provenance(
                            owner_team=request.user.org_unit, source="controle", actor=request.user
                        )
                        address, _c = matching.address_match_or_create(
                            matching.AddressData(
                                postcode=d["adres_postcode"], house_number=d["adres_huisnummer"]
                            ),
                            prov,
                        )
                    control = services.control_create(
                        actor=request.user,
                        control_type=d["control_type"],
                        date=d["date"],
                        address=address if address is None or is_visible(request.user, address) else None,
                        location_note=d["location_note"],
                        partners_present=d["partners_present"],
                        notes=d["notes"],
                    )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("signals:control_detail", pk=control.pk)
        return render(request, "signals/control_form.html", {"form": form}, status=400)


class ControlDetailView(View):
    def get(self, request, pk, finding_form=None, status=200):
        control = get_control_for_user(request.user, pk)
        if control.address_id:
            log_access(
                user=request.user,
                action=AccessAction.READ,
                obj=control.address,
                purpose=f"Controle {control.pk}",
                detail="controle bekeken",
                request=request,
            )
        return render(
            request,
            "signals/control_detail.html",
            {
                "control": control,
                "findings": list(control.findings.select_related("signal")),
                "finding_form": finding_form or FindingForm(),
                "can_change": request.user.has_perm(CHANGE_CONTROL),
                "can_spawn": request.user.has_perm(ADD_SIGNAL),
            },
            status=status,
        )


class FindingCreateView(View):
    def post(self, request, pk):
        require_perm(request.user, CHANGE_CONTROL)
        control = get_control_for_user(request.user, pk)
        form = FindingForm(request.POST)
        if form.is_valid():
            try:
                services.finding_add(actor=request.user, control=control, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("signals:control_detail", pk=control.pk)
        return ControlDetailView().get(request, pk, finding_form=form, status=400)


class FindingSpawnView(View):
    def post(self, request, pk):
        require_perm(request.user, ADD_SIGNAL)
        finding = get_finding_for_user(request.user, pk)
        try:
            signal = services.finding_spawn_signal(actor=request.user, finding=finding)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("signals:control_detail", pk=finding.control_id)
        messages.success(
            request, _("Signaal %(ref)s is gemaakt van de bevinding.") % {"ref": signal.reference}
        )
        return redirect("signals:detail", pk=signal.pk)

"""Privacy pages: thin interfaces over services and selectors. Without the permission a page
answers 404 (never 403), like every other VIK page."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vik.core.accesslog import Shown, log_access, log_shown, who_viewed
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError
from vik.core.outbox import DEFERRED_MESSAGE

from . import selectors, services
from .constants import ListStatus, RequestStatus
from .documents import dsar_answer_data, dsar_pdf
from .forms import (
    DsarCreateForm,
    PersonFinderForm,
    ReasonForm,
    RecordFinderForm,
    RecordRefForm,
    RectificationForm,
    ReportForm,
    RetentionRuleForm,
)
from .permissions import (
    VIEW_DASHBOARD,
    VIEW_REPORTS,
    get_anomaly_report_for_user,
    get_destruction_list_for_user,
    get_dsar_for_user,
    get_hold_for_user,
    get_restriction_for_user,
    get_rule_for_user,
    require,
)
from .providers import find_persons, find_records, resolve_person


class DashboardView(View):
    def get(self, request):
        require(request.user, VIEW_DASHBOARD)
        user = request.user
        return render(
            request,
            "privacy/dashboard.html",
            {
                "open_requests": selectors.dsar_list(user=user)
                .filter(status=RequestStatus.OPEN)
                .order_by("deadline")[:20],
                "pending_lists": selectors.destruction_list_list(user=user).exclude(status=ListStatus.DONE)[
                    :20
                ],
                "report": selectors.anomaly_report_list(user=user).first(),
                "holds": selectors.hold_list(user=user).filter(released_at__isnull=True).count(),
                "today": timezone.localdate(),
            },
        )


# --- retention rules ---------------------------------------------------------------------------


class LoggingControlsView(View):
    """BIO2 logging controls made visible: every log, what it holds, where, how long, and the
    nightly chain verification with its history. No log content, so nothing to log as a read."""

    def get(self, request):
        context = selectors.logging_controls(user=request.user)
        if context is None:
            raise Http404
        return render(request, "privacy/logs.html", context)


class RuleListView(View):
    def get(self, request):
        require(request.user, "privacy.view_retentionrule")
        return render(request, "privacy/rule_list.html", {"rules": selectors.rule_list(user=request.user)})


class RuleEditView(View):
    def get(self, request, pk):
        require(request.user, "privacy.change_retentionrule")
        rule = get_rule_for_user(request.user, pk)
        return render(
            request, "privacy/rule_edit.html", {"rule": rule, "form": RetentionRuleForm(instance=rule)}
        )

    def post(self, request, pk):
        require(request.user, "privacy.change_retentionrule")
        rule = get_rule_for_user(request.user, pk)
        form = RetentionRuleForm(request.POST, instance=get_rule_for_user(request.user, pk))
        if form.is_valid():
            try:
                services.retention_rule_update(actor=request.user, rule=rule, data=form.cleaned_data)
            except ApplicationError as exc:
                _field_error(form, exc)
            else:
                messages.success(request, _("Bewaarregel opgeslagen."))
                return redirect("privacy:rule_list")
        return render(request, "privacy/rule_edit.html", {"rule": rule, "form": form}, status=400)


# --- legal holds -------------------------------------------------------------------------------


def _find_records(request, purpose: str):
    """The record finder of the hold, restriction, rectification and report pages: on ``?zoek=1``
    search by what people know (name and birth date, BSN, KvK number, postcode and house
    number), never by an internal number. The search and every record it shows are logged, with
    the task at hand as purpose. Returns ``(finder form, found records or None, ok)``."""
    if "zoek" not in request.GET:
        return RecordFinderForm(), None, True
    finder = RecordFinderForm(request.GET)
    if not finder.is_valid():
        return finder, None, False
    d = finder.cleaned_data
    found = find_records(
        name=d["naam"],
        birth_date=d["geboortedatum"],
        bsn=d["bsn"],
        postcode=d["postcode"],
        house_number=d["huisnummer"],
    )
    log_access(
        user=request.user,
        action=AccessAction.SEARCH,
        kind="subjects.person",
        purpose=purpose,
        detail=f"zoeken record: {len(found)} gevonden",
        request=request,
    )
    log_shown(
        user=request.user,
        request=request,
        shown=[(Shown(r.model_label, r.pk), purpose) for r in found],
        detail="zoekresultaat",
    )
    return finder, found, True


class _RecordPickView(View):
    """A list page with a finder and a form that acts on the record picked from its results
    (legal hold, restriction). Subclasses set the template, the list and the service."""

    template = ""
    form_class = RecordRefForm
    purpose = ""

    def context(self, request) -> dict:
        return {}

    def offered(self, found):
        return found

    def _render(self, request, form, status=200):
        finder, found, ok = _find_records(request, str(self.purpose))
        if found is not None:
            found = self.offered(found)
        form.fields["record"].offer(found)
        return render(
            request,
            self.template,
            {
                **self.context(request),
                "form": form,
                "finder": finder,
                "found": found,
                "query": request.GET.urlencode(),
            },
            status=status if ok else 400,
        )

    def _post(self, request, service, success: str, success_url: str):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                service(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                _field_error(form, exc)
            else:
                messages.success(request, success)
                return redirect(success_url)
        return self._render(request, form, status=400)


def _field_error(form, exc: ApplicationError) -> None:
    """A domain error at its field; errors about the record reference land at the picker."""
    field = exc.field
    if field in ("model_label", "object_id") and "record" in form.fields:
        field = "record"
    form.add_error(field if field in form.fields else None, exc.message)


class HoldListView(_RecordPickView):
    template = "privacy/hold_list.html"
    purpose = _("Juridische blokkade: record zoeken")

    def context(self, request):
        return {
            "holds": selectors.hold_list(user=request.user)[:200],
            "can_add": request.user.has_perm("privacy.add_legalhold"),
            "can_release": request.user.has_perm("privacy.change_legalhold"),
        }

    def get(self, request):
        require(request.user, "privacy.view_legalhold")
        return self._render(request, RecordRefForm())

    def post(self, request):
        require(request.user, "privacy.add_legalhold")
        return self._post(
            request, services.legal_hold_set, _("Juridische blokkade vastgelegd."), "privacy:hold_list"
        )


class HoldReleaseView(View):
    def post(self, request, pk):
        require(request.user, "privacy.change_legalhold")
        hold = get_hold_for_user(request.user, pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Geef een reden voor het opheffen van de blokkade."))
            return redirect("privacy:hold_list")
        try:
            services.legal_hold_release(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Blokkade opgeheven."))
        return redirect("privacy:hold_list")


# --- destruction lists -------------------------------------------------------------------------


class DestructionListListView(View):
    def get(self, request):
        require(request.user, "privacy.view_destructionlist")
        return render(
            request,
            "privacy/list_list.html",
            {
                "lists": selectors.destruction_list_list(user=request.user)[:100],
                "can_sweep": request.user.has_perm("privacy.add_destructionlist"),
            },
        )


class SweepRunView(View):
    def post(self, request):
        require(request.user, "privacy.add_destructionlist")
        result = services.retention_sweep()
        if result.destruction_list is None:
            messages.info(
                request,
                _("Er is nu niets te vernietigen (%(h)s met blokkade overgeslagen).")
                % {"h": len(result.held)},
            )
            return redirect("privacy:list_list")
        messages.success(
            request, _("%(n)s records op een nieuwe vernietigingslijst gezet.") % {"n": result.queued}
        )
        return redirect("privacy:list_detail", pk=result.destruction_list.pk)


class DestructionListDetailView(View):
    def get(self, request, pk):
        require(request.user, "privacy.view_destructionlist")
        dl = get_destruction_list_for_user(request.user, pk)
        approved_by_me = dl.approvals.filter(user=request.user).exists()
        return render(
            request,
            "privacy/list_detail.html",
            {
                "dl": dl,
                "items": dl.items.select_related("rule", "tombstone").order_by("pk")[:1000],
                "approvals": dl.approvals.select_related("user"),
                "can_approve": request.user.has_perm("privacy.approve_destruction_records")
                and not approved_by_me,
                "approved_by_me": approved_by_me,
            },
        )


class DestructionListApproveView(View):
    def post(self, request, pk):
        require(request.user, "privacy.approve_destruction_records")
        dl = get_destruction_list_for_user(request.user, pk)
        try:
            dl = services.destruction_list_approve(actor=request.user, destruction_list=dl)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if dl.status == ListStatus.PENDING:
                messages.success(
                    request, _("Goedgekeurd. Er is nog een goedkeuring van iemand anders nodig.")
                )
            else:
                messages.success(request, _("Tweede goedkeuring vastgelegd; de lijst wordt uitgevoerd."))
                if getattr(dl, "deferred", False):
                    messages.warning(request, DEFERRED_MESSAGE)
        return redirect("privacy:list_detail", pk=pk)


class DestructionListCarryOutView(View):
    """Resume a list that stopped halfway (for instance after a worker was killed)."""

    def post(self, request, pk):
        require(request.user, "privacy.approve_destruction_records")
        dl = get_destruction_list_for_user(request.user, pk)
        try:
            services.destruction_list_carry_out(destruction_list=dl, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("De lijst is uitgevoerd."))
        return redirect("privacy:list_detail", pk=pk)


# --- data-subject access requests --------------------------------------------------------------


class DsarListView(View):
    def _render(self, request, form, status=200, finder=None, found=None):
        return render(
            request,
            "privacy/dsar_list.html",
            {
                "requests": selectors.dsar_list(user=request.user)[:200],
                "form": form,
                "finder": finder or PersonFinderForm(),
                "found": found,
                "today": timezone.localdate(),
            },
            status=status,
        )

    def get(self, request):
        require(request.user, "privacy.view_datasubjectrequest")
        if "zoek" not in request.GET:
            return self._render(request, DsarCreateForm())
        finder = PersonFinderForm(request.GET)
        if not finder.is_valid():
            return self._render(request, DsarCreateForm(), status=400, finder=finder)
        d = finder.cleaned_data
        found = find_persons(
            name=d["naam"],
            birth_date=d["geboortedatum"],
            bsn=d["bsn"],
            postcode=d["postcode"],
            house_number=d["huisnummer"],
        )
        # the search names persons: logged, with the request being prepared as the purpose
        log_access(
            user=request.user,
            action=AccessAction.SEARCH,
            kind="subjects.person",
            purpose=_("Inzageverzoek (AVG art. 15): betrokkene zoeken"),
            detail=f"zoeken betrokkene: {len(found)} gevonden",
            request=request,
        )
        return self._render(request, DsarCreateForm(), finder=finder, found=found)

    def post(self, request):
        require(request.user, "privacy.add_datasubjectrequest")
        form = DsarCreateForm(request.POST)
        if form.is_valid():
            try:
                dsr = services.dsar_create(
                    actor=request.user,
                    person_id=form.cleaned_data["person_id"],
                    received_on=form.cleaned_data["received_on"],
                )
            except ApplicationError as exc:
                _field_error(form, exc)
            else:
                messages.success(request, _("Inzageverzoek vastgelegd."))
                return redirect("privacy:dsar_detail", pk=dsr.pk)
        return self._render(request, form, status=400)


class DsarDetailView(View):
    def get(self, request, pk):
        require(request.user, "privacy.view_datasubjectrequest")
        dsr = get_dsar_for_user(request.user, pk)
        return render(
            request,
            "privacy/dsar_detail.html",
            {
                "dsr": dsr,
                "a": dsar_answer_data(dsr),
                "extend_form": ReasonForm(),
                "today": timezone.localdate(),
            },
        )


class DsarAnswerView(View):
    def post(self, request, pk):
        require(request.user, "privacy.change_datasubjectrequest")
        dsr = get_dsar_for_user(request.user, pk)
        try:
            services.dsar_answer(actor=request.user, dsr=dsr, request=request)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Het overzicht is samengesteld en vastgelegd."))
        return redirect("privacy:dsar_detail", pk=pk)


class DsarExtendView(View):
    def post(self, request, pk):
        require(request.user, "privacy.change_datasubjectrequest")
        dsr = get_dsar_for_user(request.user, pk)
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.dsar_extend(actor=request.user, dsr=dsr, reason=form.cleaned_data["reason"])
            except ApplicationError as exc:
                _field_error(form, exc)
            else:
                messages.success(request, _("De termijn is met twee maanden verlengd."))
                return redirect("privacy:dsar_detail", pk=pk)
        return render(
            request,
            "privacy/dsar_detail.html",
            {"dsr": dsr, "a": dsar_answer_data(dsr), "extend_form": form, "today": timezone.localdate()},
            status=400,
        )


def _download(request, dsr, action_detail: str):
    log_access(
        user=request.user,
        action=AccessAction.DOWNLOAD,
        kind="privacy.datasubjectrequest",
        object_id=dsr.pk,
        purpose=f"Inzageverzoek {dsr.pk} (AVG art. 15)",
        detail=action_detail,
        request=request,
    )


class DsarJsonView(View):
    def get(self, request, pk):
        require(request.user, "privacy.view_datasubjectrequest")
        dsr = get_dsar_for_user(request.user, pk)
        if not dsr.answer:
            messages.error(request, _("Stel eerst het overzicht samen."))
            return redirect("privacy:dsar_detail", pk=pk)
        _download(request, dsr, "json")
        resp = HttpResponse(
            json.dumps(dsar_answer_data(dsr), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        resp["Content-Disposition"] = f'attachment; filename="inzageverzoek-{dsr.pk}.json"'
        return resp


class DsarPdfView(View):
    def get(self, request, pk):
        require(request.user, "privacy.view_datasubjectrequest")
        dsr = get_dsar_for_user(request.user, pk)
        if not dsr.answer:
            messages.error(request, _("Stel eerst het overzicht samen."))
            return redirect("privacy:dsar_detail", pk=pk)
        _download(request, dsr, "pdf")
        resp = HttpResponse(dsar_pdf(dsr), content_type="application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="inzageverzoek-{dsr.pk}.pdf"'
        return resp


# --- restriction and rectification -------------------------------------------------------------


class RestrictionListView(_RecordPickView):
    template = "privacy/restriction_list.html"
    purpose = _("Beperking van de verwerking (AVG art. 18): record zoeken")

    def context(self, request):
        return {
            "restrictions": selectors.restriction_list(user=request.user)[:200],
            "can_add": request.user.has_perm("privacy.add_restriction"),
        }

    def get(self, request):
        require(request.user, "privacy.view_restriction")
        return self._render(request, RecordRefForm())

    def post(self, request):
        require(request.user, "privacy.add_restriction")
        return self._post(
            request,
            services.restriction_set,
            _("Beperking van de verwerking vastgelegd."),
            "privacy:restriction_list",
        )


class RestrictionLiftView(View):
    def post(self, request, pk):
        require(request.user, "privacy.change_restriction")
        restriction = get_restriction_for_user(request.user, pk)
        try:
            services.restriction_lift(actor=request.user, restriction=restriction)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Beperking opgeheven."))
        return redirect("privacy:restriction_list")


class RectificationListView(_RecordPickView):
    template = "privacy/rectification_list.html"
    form_class = RectificationForm
    purpose = _("Rectificatie (AVG art. 16): record zoeken")

    def context(self, request):
        return {
            "rows": selectors.rectification_list(user=request.user)[:200],
            "can_add": request.user.has_perm("privacy.add_rectification"),
        }

    def offered(self, found):
        from .providers import rectifiable_labels

        labels = rectifiable_labels()
        return [r for r in found if r.model_label in labels]

    def get(self, request):
        require(request.user, "privacy.view_rectification")
        return self._render(request, RectificationForm())

    def post(self, request):
        require(request.user, "privacy.add_rectification")
        return self._post(
            request,
            services.rectification_apply,
            _("Rectificatie vastgelegd als nieuwe versie met aantekening."),
            "privacy:rectification_list",
        )


# --- privacy-officer reports -------------------------------------------------------------------


class ReportsView(View):
    def get(self, request):
        require(request.user, VIEW_REPORTS)
        today = timezone.localdate()
        data = (
            request.GET
            if "start" in request.GET
            else {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}
        )
        form = ReportForm(data)
        finder, found, ok = _find_records(request, _("Privacytoezicht: wie heeft ingezien, record zoeken"))
        form.fields["record"].offer(found)
        ctx = {"form": form, "finder": finder, "found": found}
        status = 200 if ok else 400
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            ctx["report"] = services.access_report(start=start, end=end)
            ctx["period"] = {"start": start.isoformat(), "end": end.isoformat()}
            picked = form.cleaned_data.get("record")
            if picked:
                kind, pk = picked
                ctx["viewed"] = list(who_viewed(kind=kind, object_id=pk))
                ctx["viewed_ref"] = _record_name(request, kind, pk)
                log_access(
                    user=request.user,
                    action=AccessAction.READ,
                    kind="core.accesslog",
                    object_id=pk,
                    purpose="privacytoezicht: wie heeft ingezien",
                    detail=f"{kind} {pk}",
                    request=request,
                )
        else:
            status = 400
        return render(request, "privacy/reports.html", ctx, status=status)


def _record_name(request, kind: str, pk: int) -> str:
    """The heading of "who viewed": a person's name (logged as shown), else the record's kind
    and number in words ("Signaal nr. 12")."""
    from vik.core.templatetags.vik_human import record_label

    if kind == "subjects.person":
        person = resolve_person(pk)
        if person is not None:
            log_shown(
                user=request.user,
                request=request,
                shown=[(Shown(kind, person.pk), "privacytoezicht: naam bij wie heeft ingezien")],
            )
            return person.display_name
    return record_label(kind, pk)


class AnomalyReportView(View):
    def get(self, request, pk):
        require(request.user, VIEW_REPORTS)
        report = get_anomaly_report_for_user(request.user, pk)
        return render(request, "privacy/anomaly_detail.html", {"report": report, "c": report.content})

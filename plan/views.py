"""Thin views of the plan app: the overview per ambition, adding an action, recording progress."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vik.core.exceptions import ApplicationError

from . import selectors, services
from . import selectors as plan_selectors
from .forms import ActionForm, ProgressForm, YearReportForm
from .models import YearReport
from .permissions import ADD, CHANGE, VIEW, YEAR_REPORT, get_action_for_change, require_perm


class OverviewView(View):
    def get(self, request):
        require_perm(request.user, VIEW)
        today = timezone.localdate()
        return render(
            request,
            "plan/overview.html",
            {
                "rows": selectors.overview(today),
                "today": today,
                "may_add": request.user.has_perm(ADD),
                "may_change": request.user.has_perm(CHANGE),
            },
        )


class ActionCreateView(View):
    def get(self, request):
        require_perm(request.user, ADD)
        return render(request, "plan/action_form.html", {"form": ActionForm()})

    def post(self, request):
        require_perm(request.user, ADD)
        form = ActionForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.action_create(actor=request.user, **d)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("De actie is toegevoegd."))
                return redirect("plan:overview")
        return render(request, "plan/action_form.html", {"form": form}, status=400)


class ActionProgressView(View):
    def get(self, request, pk):
        action = get_action_for_change(request.user, pk)
        form = ProgressForm(initial={"status": action.status})
        return render(request, "plan/action_progress.html", {"action": action, "form": form})

    def post(self, request, pk):
        action = get_action_for_change(request.user, pk)
        form = ProgressForm(request.POST)
        if form.is_valid():
            try:
                services.action_update(actor=request.user, action=action, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("De voortgang is vastgelegd."))
                return redirect("plan:overview")
        return render(request, "plan/action_progress.html", {"action": action, "form": form}, status=400)


class QuarterlyPdfView(View):
    def get(self, request):
        require_perm(request.user, VIEW)
        from django.template.loader import render_to_string

        from vik.core.pdf import render_pdf

        today = timezone.localdate()
        html = render_to_string(
            "plan/quarterly_pdf.html",
            {
                "rows": plan_selectors.overview(today),
                "today": today,
                "year": today.year,
                "quarter": (today.month - 1) // 3 + 1,
            },
        )
        response = HttpResponse(render_pdf(html, kind="plan.quarterly"), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="voortgang-plan-{today:%Y-%m-%d}.pdf"'
        return response


class YearReportView(View):
    def _render(self, request, form, status=200):
        reports = YearReport.objects.defer("pdf", "xlsx")[:20]
        return render(request, "plan/year_report.html", {"form": form, "reports": reports}, status=status)

    def get(self, request):
        require_perm(request.user, YEAR_REPORT)
        return self._render(request, YearReportForm(initial={"year": timezone.localdate().year - 1}))

    def post(self, request):
        require_perm(request.user, YEAR_REPORT)
        form = YearReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.year_report_request(actor=request.user, year=form.cleaned_data["year"])
            except ApplicationError as exc:
                form.add_error("year", exc.message)
            else:
                from vik.core.outbox import DEFERRED_MESSAGE

                messages.success(
                    request, DEFERRED_MESSAGE if report.deferred else _("Het jaarbeeld wordt gemaakt.")
                )
                return redirect("plan:year_report")
        return self._render(request, form, status=400)


class YearReportDownloadView(View):
    TYPES = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }

    def get(self, request, pk, fmt):
        require_perm(request.user, YEAR_REPORT)
        report = YearReport.objects.filter(pk=pk, status="done").first()
        if report is None or fmt not in self.TYPES:
            raise Http404
        data = bytes(getattr(report, fmt) or b"")
        response = HttpResponse(data, content_type=self.TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="jaarbeeld-ondermijning-{report.year}.{fmt}"'
        return response

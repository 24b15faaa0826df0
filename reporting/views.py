"""Thin views of the reporting app: the form, the receipt and the reporter's own reports,
"Herken de signalen", and the break-glass view of an anonymous reporter's identity."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from signals.models import Phenomenon
from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.core.exceptions import ApplicationError

from . import selectors, services
from .forms import GuideForm, IdentityReasonForm, ReportForm
from .hints import HINTS
from .models import InternalReport
from .permissions import (
    ADD_REPORT,
    CHANGE_GUIDE,
    VIEW_IDENTITY,
    VIEW_OWN_REPORT,
    get_own_report,
    require_perm,
)


class ReportCreateView(View):
    def get(self, request):
        require_perm(request.user, ADD_REPORT)
        form = ReportForm(initial={"observed_on": timezone.localdate()})
        return render(request, "reporting/form.html", {"form": form})

    def post(self, request):
        require_perm(request.user, ADD_REPORT)
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                report = services.report_create(
                    reporter=request.user,
                    description=d["description"],
                    location=d["location"],
                    observed_on=d["observed_on"],
                    phenomena=list(d["phenomena"]),
                    anonymous=d["anonymous"],
                    files=[services.UploadedFile(name=f.name, data=f.read()) for f in d["files"]],
                )
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return redirect("reporting:receipt", pk=report.pk)
        return render(request, "reporting/form.html", {"form": form}, status=400)


class ReceiptView(View):
    def get(self, request, pk):
        report = get_own_report(request.user, pk)
        return render(
            request,
            "reporting/receipt.html",
            {"report": report, "status": services.reporter_status(report.signal)},
        )


class MyReportsView(View):
    def get(self, request):
        require_perm(request.user, VIEW_OWN_REPORT)
        rows = [(r, services.reporter_status(r.signal)) for r in selectors.own_reports(request.user)]
        return render(request, "reporting/mine.html", {"rows": rows})


class GuideView(View):
    def get(self, request):
        if not (request.user.has_perm(ADD_REPORT) or request.user.has_perm(CHANGE_GUIDE)):
            raise Http404
        guide = selectors.current_guide()
        phenomena = [(p, HINTS.get(p.code, "")) for p in Phenomenon.objects.filter(active=True)]
        return render(
            request,
            "reporting/guide.html",
            {
                "guide": guide,
                "sections": selectors.guide_sections(guide),
                "phenomena": phenomena,
                "may_edit": request.user.has_perm(CHANGE_GUIDE),
            },
        )


class GuideEditView(View):
    def get(self, request):
        require_perm(request.user, CHANGE_GUIDE)
        guide = selectors.current_guide()
        form = GuideForm(initial={"body": guide.body if guide else ""})
        return render(
            request, "reporting/guide_edit.html", {"form": form, "versions": selectors.guide_versions()}
        )

    def post(self, request):
        require_perm(request.user, CHANGE_GUIDE)
        form = GuideForm(request.POST)
        if form.is_valid():
            try:
                services.guide_save(actor=request.user, body=form.cleaned_data["body"])
            except ApplicationError as exc:
                form.add_error("body", exc.message)
            else:
                messages.success(request, _("De nieuwe versie is opgeslagen."))
                return redirect("reporting:guide")
        return render(
            request,
            "reporting/guide_edit.html",
            {"form": form, "versions": selectors.guide_versions()},
            status=400,
        )


class ReporterIdentityView(View):
    """Break-glass: the identity of an anonymous reporter, only with a reason, always logged."""

    def _report(self, request, pk):
        require_perm(request.user, VIEW_IDENTITY)
        try:
            return InternalReport.objects.select_related("reporter", "department").get(pk=int(pk))
        except (InternalReport.DoesNotExist, TypeError, ValueError):
            raise Http404

    def get(self, request, pk):
        report = self._report(request, pk)
        return render(request, "reporting/identity.html", {"report": report, "form": IdentityReasonForm()})

    def post(self, request, pk):
        report = self._report(request, pk)
        form = IdentityReasonForm(request.POST)
        if not form.is_valid():
            return render(request, "reporting/identity.html", {"report": report, "form": form}, status=400)
        log_access(
            user=request.user,
            action=AccessAction.BREAK_GLASS,
            obj=report,
            purpose=form.cleaned_data["reason"],
            detail="identiteit melder",
            request=request,
        )
        return render(
            request, "reporting/identity.html", {"report": report, "form": None, "reporter": report.reporter}
        )

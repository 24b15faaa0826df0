"""The register of processing activities (AVG art. 30), the mapping of purposes onto activities,
and the processing log (Logboek Dataverwerkingen) for the privacy officer. The privacy officer
edits (a change is a new version), the functional admin reads; anyone else gets 404."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vik.core import ldv, register
from vik.core.constants import LegalBasis, MappingKind
from vik.core.exceptions import ApplicationError
from vik.core.models import ProcessingActivity
from vik.core.pdf import render_pdf

from .forms import ProcessingActivityForm, ProcessingLogQueryForm, PurposeMappingForm
from .permissions import require

VIEW_REGISTER = "core.view_processingactivity"
EDIT_REGISTER = "core.edit_processing_register"
VIEW_PROCESSING_LOG = "core.view_access_log"


def _activity(pk) -> ProcessingActivity:
    activity = ProcessingActivity.objects.filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


class RegisterListView(View):
    def get(self, request):
        require(request.user, VIEW_REGISTER)
        return render(request, "privacy/register_list.html", {"activities": register.register_rows()})


class RegisterDetailView(View):
    def get(self, request, pk):
        require(request.user, VIEW_REGISTER)
        activity = _activity(pk)
        versions = list(activity.versions.select_related("created_by").order_by("-number"))
        mappings = activity.mappings.order_by("kind", "key")
        return render(
            request,
            "privacy/register_detail.html",
            {"activity": activity, "versions": versions, "current": versions[0], "mappings": mappings},
        )


class RegisterEditView(View):
    """The privacy officer changes an activity: the form is saved as a new version."""

    def _form_initial(self, activity):
        current = register.current_version(activity)
        return {f: getattr(current, f) for f in register.VERSION_FIELDS}

    def get(self, request, pk):
        require(request.user, EDIT_REGISTER)
        activity = _activity(pk)
        form = ProcessingActivityForm(initial=self._form_initial(activity))
        return render(request, "privacy/register_edit.html", {"activity": activity, "form": form})

    def post(self, request, pk):
        require(request.user, EDIT_REGISTER)
        activity = _activity(pk)
        form = ProcessingActivityForm(request.POST)
        if form.is_valid():
            try:
                version = register.activity_revise(actor=request.user, activity=activity, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Versie %(n)s vastgelegd.") % {"n": version.number})
                return redirect("privacy:register_detail", pk=activity.pk)
        return render(request, "privacy/register_edit.html", {"activity": activity, "form": form}, status=400)


def _basis_labels(bases) -> str:
    labels = dict(LegalBasis.choices)
    return "; ".join(str(labels.get(b, b)) for b in bases)


def _cell(value) -> str:
    """Spreadsheet formula injection: a value starting with = + - @ is written as text."""
    text = "" if value is None else str(value)
    return "'" + text if text and text[0] in "=+-@\t\r" else text


class RegisterExportView(View):
    """The register as CSV (semicolons, UTF-8 with BOM for Excel) or PDF: every activity's version
    in force."""

    def get(self, request, fmt):
        require(request.user, VIEW_REGISTER)
        rows = register.register_rows()
        stamp = timezone.localdate().strftime("%Y%m%d")
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, delimiter=";")
            writer.writerow(
                [
                    "identificatie",
                    "versie",
                    "geldig_vanaf",
                    "naam",
                    "doel",
                    "grondslagen",
                    "categorieen_betrokkenen",
                    "categorieen_gegevens",
                    "ontvangers",
                    "bewaartermijn",
                ]
            )
            for v in rows:
                writer.writerow(
                    [
                        _cell(x)
                        for x in (
                            v.activity.uri,
                            v.number,
                            timezone.localtime(v.valid_from).strftime("%d-%m-%Y"),
                            v.name,
                            v.purpose,
                            _basis_labels(v.legal_bases),
                            v.subject_categories,
                            v.data_categories,
                            v.recipients,
                            v.retention_class,
                        )
                    ]
                )
            resp = HttpResponse(
                ("\ufeff" + buf.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
            )
            resp["Content-Disposition"] = f'attachment; filename="verwerkingsregister-{stamp}.csv"'
            return resp
        if fmt == "pdf":
            html = render_to_string(
                "privacy/register_pdf.html", {"rows": rows, "today": timezone.localdate()}, request=None
            )
            resp = HttpResponse(render_pdf(html, kind="privacy.register"), content_type="application/pdf")
            resp["Content-Disposition"] = f'attachment; filename="verwerkingsregister-{stamp}.pdf"'
            return resp
        raise Http404


class MappingListView(View):
    """Which processing activity each case kind, reason category and part of VIK belongs to;
    the privacy officer re-points a purpose at another activity."""

    def get(self, request, form=None, status=200):
        require(request.user, VIEW_REGISTER)
        from vik.core.constants import ReasonCategory
        from vik.core.registry import registry

        labels = {f"case:{k.code}": k.label for k in registry.case_kinds.values()}
        labels.update({f"reason:{c.value}": c.label for c in ReasonCategory})
        mappings = list(register.mapping_list())
        known = {f"{m.kind}:{m.key}" for m in mappings}
        unmapped = [
            (MappingKind.CASE, k.code, k.label)
            for k in registry.case_kinds.values()
            if f"case:{k.code}" not in known
        ] + [
            (MappingKind.REASON, c.value, c.label) for c in ReasonCategory if f"reason:{c.value}" not in known
        ]
        rows = [(m, labels.get(f"{m.kind}:{m.key}", "")) for m in mappings]
        return render(
            request,
            "privacy/mapping_list.html",
            {
                "rows": rows,
                "unmapped": unmapped,
                "activities": ProcessingActivity.objects.order_by("code"),
                "form": form,
                "can_edit": request.user.has_perm(EDIT_REGISTER),
            },
            status=status,
        )

    def post(self, request):
        require(request.user, EDIT_REGISTER)
        form = PurposeMappingForm(request.POST)
        if form.is_valid():
            register.mapping_set(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                key=form.cleaned_data["key"],
                activity=form.cleaned_data["activity"],
            )
            messages.success(request, _("Koppeling opgeslagen."))
            return redirect("privacy:mapping_list")
        return self.get(request, form=form, status=400)


def _window(day, end: bool):
    if day is None:
        return None
    moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
    return timezone.make_aware(moment)


class ProcessingLogView(View):
    """The processing log read in the LDV "lezen" shape: by data subject (VIK computes its
    pseudonym; the page shows pseudonyms, never names), by activity or by trace, in a window."""

    def get(self, request):
        require(request.user, VIEW_PROCESSING_LOG)
        form = ProcessingLogQueryForm(request.GET or None)
        page, status = None, 200
        if request.GET and form.is_valid():
            d = form.cleaned_data
            rows = ldv.records_query(
                subject_pseudonym=ldv.pseudonym(d["subject_kind"], d["subject_id"])
                if d["subject_id"]
                else "",
                activity_id=d["activity"].pk if d["activity"] else None,
                trace_id=d["trace_id"] or "",
                start=_window(d["start"], end=False),
                end=_window(d["end"], end=True),
            )
            page = Paginator(rows, 100).get_page(request.GET.get("pagina"))
        elif request.GET:
            status = 400
        if page is not None:
            names = dict(ProcessingActivity.objects.values_list("uri", "code"))
            for record in page:
                record.activity_code = names.get(record.activity_uri, record.activity_uri)
        return render(request, "privacy/processing_log.html", {"form": form, "page": page}, status=status)

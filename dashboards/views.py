"""Dashboards, the map and the phenomenon/area analysis. Views parse the filter, call selectors and
render; figures are need-to-know filtered in the selectors."""

from __future__ import annotations

import csv
import hashlib
import io
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.core.purpose import current_purpose

from . import selectors
from .constants import DISPLACEMENT_METRES, DISPLACEMENT_MONTHS, MAP_TABLE_ROWS, OUTLINES_MAX_AGE
from .forms import AnalysisForm, FilterForm
from .models import Area
from .permissions import can_view_management, can_view_points, require_management, require_view


def _parse(request, form_class=FilterForm, *, light: bool = False):
    """The filter form, built once (its choices cost one query; ``light``: only the codes
    given, for requests that do not show the form)."""
    form = form_class(request.GET, light=light)
    if not form.is_valid():
        return form, None
    return form, form.filters()


def _common(request, form, filters, *, active: str) -> dict:
    query = urlencode(filters.as_query()) if filters else ""
    return {
        "form": form,
        "filters": filters,
        "query": query,
        "active": active,
        "can_management": can_view_management(request.user),
        "now": timezone.localtime(),
    }


def _with_dom(figures):
    return [
        {"fig": f, "dom": f"fig-{f.key}", "rows": f.display_rows(), "chart": f.chart_data()} for f in figures
    ]


#: The lazily loaded panels of the dashboard: (name, url name, heading of the fallback page).
LAZY_PANELS = [("measures", "dashboards:panel_measures", _lazy("Maatregelen, termijnen en afpakken"))]


class DashboardView(View):
    """The analyst's dashboard: live figures over the rows the viewer may see. The signal and the
    partner figures come with the page; the measures panel is loaded by htmx
    (``hx-trigger="load"``) from its own endpoint, each request within the query budget, with a
    plain link as the fallback without JavaScript."""

    def get(self, request):
        require_view(request.user)
        form, filters = _parse(request)
        context = _common(request, form, filters, active="overview")
        if filters is None:
            return render(request, "dashboards/overview.html", context, status=400)
        context["figures"] = _with_dom(selectors.signal_figures(user=request.user, f=filters))
        context["panels"] = [
            {"name": name, "url": reverse(url_name), "label": label} for name, url_name, label in LAZY_PANELS
        ]
        context["figures_after"] = _with_dom(selectors.partner_figures(user=request.user, f=filters))
        context["view_param"] = ""
        return render(request, "dashboards/overview.html", context)


class PanelView(View):
    """One panel of the dashboard: an htmx fragment, or a whole page when opened by its link."""

    panel = ""

    def get(self, request):
        require_view(request.user)
        label = next(label for name, _u, label in LAZY_PANELS if name == self.panel)
        form, filters = _parse(request, light=True)
        if filters is None:
            context = {"form": form, "panel_label": label}
            if request.htmx:
                return HttpResponse(render_to_string("dashboards/partials/panel.html", context), status=400)
            context.update(_common(request, form, filters, active="overview"))
            return render(request, "dashboards/panel.html", context, status=400)
        context = {
            "figures": _with_dom(selectors.PANELS[self.panel](user=request.user, f=filters)),
            "query": urlencode(filters.as_query()),
            "view_param": "",
            "panel_label": label,
        }
        if request.htmx:
            # without the request: the fragment needs no shell (menu, notification count)
            return HttpResponse(render_to_string("dashboards/partials/panel.html", context))
        context.update(_common(request, form, filters, active="overview"))
        return render(request, "dashboards/panel.html", context)


class ManagementDashboardView(View):
    """Counts over all teams (within the viewer's compartments) from the rollup, small cells suppressed."""

    def get(self, request):
        require_management(request.user)
        form, filters = _parse(request)
        context = _common(request, form, filters, active="management")
        context["rollup"] = selectors.rollup_state()
        if filters is None:
            return render(request, "dashboards/management.html", context, status=400)
        context["figures"] = _with_dom(selectors.management_figures(user=request.user, f=filters))
        context["view_param"] = "management"
        return render(request, "dashboards/management.html", context)


def _sanitize(value: str) -> str:
    """Spreadsheet formula injection: a value starting with = + - @ is written as text."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


class FigureExportView(View):
    """CSV/XLSX of one figure's table, exactly as shown (hidden cells stay hidden); logged."""

    def get(self, request, key: str):
        management = request.GET.get("weergave") == "management"
        if management:
            require_management(request.user)
        else:
            require_view(request.user)
        if key not in selectors.FIGURES:
            raise Http404
        fmt = request.GET.get("formaat", "csv")
        if fmt not in ("csv", "xlsx"):
            return HttpResponse(
                _("Onbekend bestandsformaat: kies csv of xlsx."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        form, filters = _parse(request, light=True)
        if filters is None:
            errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
            return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
        figure = selectors.figure_by_key(user=request.user, f=filters, key=key, management=management)
        if figure is None:
            raise Http404
        log_access(
            user=request.user,
            action=AccessAction.EXPORT,
            kind="dashboards.figure",
            detail=f"{key} {fmt} {'management' if management else 'analist'}; {len(figure.rows)} rijen; filters: {urlencode(filters.as_query())}",
            request=request,
        )
        header = [str(c) for c in figure.columns]
        rows = [[_sanitize(str(v)) for v in row] for row in figure.display_rows()]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"vik-{key}-{stamp}"
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, delimiter=";")
            writer.writerow(header)
            writer.writerows(rows)
            response = HttpResponse(
                ("\ufeff" + buf.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        import openpyxl

        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet(key[:31])
        ws.append([str(figure.title)])
        ws.append(header)
        for row in rows:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class MapView(View):
    """Buurt outlines as the base layer (no tile server), coloured by the viewer's own figures;
    points only for users who may open addresses and have stated a purpose (logged)."""

    def get(self, request):
        require_view(request.user)
        form, filters = _parse(request)
        context = _common(request, form, filters, active="map")
        if filters is None:
            return render(request, "dashboards/map.html", context, status=400)
        points_allowed = can_view_points(request.user)
        purpose = current_purpose(request)
        show_points = points_allowed and purpose is not None
        data = selectors.map_data(user=request.user, f=filters, points=show_points)
        if show_points:
            log_access(
                user=request.user,
                action=AccessAction.SEARCH,
                kind="subjects.address",
                purpose=str(purpose),
                detail=f"kaart: {len(data['points'])} adrespunten; filters: {urlencode(filters.as_query())}",
                request=request,
            )
        # The fragment URL per row from one reverse (not a {% url %} per buurt: a region has ~2,000).
        buurt_url = reverse("dashboards:buurt", kwargs={"code": "CODE"})
        suffix = f"?{context['query']}" if context.get("query") else ""
        rows = [
            {**b, "url": buurt_url.replace("CODE", b["code"]) + suffix}
            for b in selectors.busiest_first(data["buurten"])
        ]
        outlines_query = urlencode(
            {"gebied": filters.area, "v": selectors.outlines_version(area=filters.area)}
        )
        # A region has ~2,000 buurten: the table shows the busiest ones, all of them on request.
        show_all = request.GET.get("alle") == "1"
        all_query = urlencode({**filters.as_query(), "alle": "1"})
        context.update(
            {
                "map_data": selectors.map_script_data(data),
                "buurten": rows if show_all else rows[:MAP_TABLE_ROWS],
                "buurten_total": len(rows),
                "table_limited": not show_all and len(rows) > MAP_TABLE_ROWS,
                "all_url": f"{request.path}?{all_query}",
                "points_allowed": points_allowed,
                "show_points": show_points,
                "buurt_url": buurt_url,
                "outlines_url": f"{reverse('dashboards:outlines')}?{outlines_query}",
            }
        )
        return render(request, "dashboards/map.html", context)


class OutlinesView(View):
    """The buurt outlines as GeoJSON for the map's base layer: CBS reference data (no figures, the
    same for every user), so the browser may keep it privately for a day. The map links to it with
    the outlines' version in the URL, so a newly loaded area file is fetched at once."""

    def get(self, request):
        require_view(request.user)
        area = (request.GET.get("gebied") or "").strip().upper()
        if area and not Area.objects.filter(code=area).exists():
            return JsonResponse({"error": "unknown_area", "message": _("Onbekende gebiedscode.")}, status=400)
        version = selectors.outlines_version(area=area)
        etag = f'"{hashlib.sha256(version.encode()).hexdigest()[:32]}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponseNotModified()
        else:
            response = JsonResponse(selectors.buurt_outlines(area=area))
        response["ETag"] = etag
        response.vik_cache_private = OUTLINES_MAX_AGE  # see SecurityHeadersMiddleware
        return response


class BuurtDetailView(View):
    """htmx fragment: one buurt's figures and a link to the filtered signal list."""

    def get(self, request, code: str):
        require_view(request.user)
        form, filters = _parse(request)
        if filters is None:
            return render(request, "dashboards/partials/buurt.html", {"form": form}, status=400)
        detail = selectors.buurt_detail(user=request.user, f=filters, code=code.upper())
        if detail is None:
            raise Http404
        detail["list_url"] = f"{reverse('signals:list')}?{urlencode(detail['list_query'])}"
        template = "dashboards/partials/buurt.html" if request.htmx else "dashboards/buurt.html"
        return render(request, template, {"detail": detail, "query": urlencode(filters.as_query())})


class AnalysisView(View):
    """For a chosen phenomenon and area: the trend, recurring subjects and objects (need-to-know
    filtered, with a purpose, logged), the measures taken and displacement hints."""

    def get(self, request):
        require_view(request.user)
        form, filters = _parse(request, AnalysisForm)
        context = _common(request, form, filters, active="analysis")
        context.update({"months": DISPLACEMENT_MONTHS, "metres": DISPLACEMENT_METRES})
        if filters is None:
            return render(request, "dashboards/analysis.html", context, status=400)
        months = form.cleaned_data.get("maanden") or DISPLACEMENT_MONTHS
        metres = form.cleaned_data.get("meter") or DISPLACEMENT_METRES
        context.update({"months": months, "metres": metres})
        if not (filters.phenomenon or filters.area):
            context["choose"] = True
            return render(request, "dashboards/analysis.html", context)
        purpose = current_purpose(request)
        selected = selectors.analysis_selection(user=request.user, f=filters)
        figures = [
            selectors.trend(user=request.user, f=filters, selected=selected),
            selectors.measures_taken(user=request.user, f=filters),
        ]
        context["figures"] = _with_dom(figures)
        context["view_param"] = ""
        context["purpose"] = purpose
        if purpose is not None:
            recurring = selectors.recurring_subjects(user=request.user, f=filters, selected=selected)
            log_access(
                user=request.user,
                action=AccessAction.SEARCH,
                kind="subjects.analysis",
                purpose=str(purpose),
                detail=f"fenomeen- en gebiedsanalyse: {len(recurring)} terugkerende subjecten; filters: {urlencode(filters.as_query())}",
                request=request,
            )
            context["recurring"] = recurring
        context["hints"] = selectors.displacement_hints(
            user=request.user, f=filters, months=months, metres=metres
        )
        return render(request, "dashboards/analysis.html", context)

"""Home-page tile for a reporter: the way to the form and their own last reports."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def dashboard(user) -> dict | None:
    if not user.has_perm("reporting.add_internalreport"):
        return None
    from . import selectors, services

    rows = [(r, services.reporter_status(r.signal)) for r in selectors.own_reports(user)[:5]]
    html = render_to_string("reporting/partials/dashboard.html", {"rows": rows})
    return {"title": _("Melden"), "html": html}

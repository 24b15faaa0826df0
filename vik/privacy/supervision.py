"""The privacy officer's page "wie heeft ingezien": who viewed a record. Its own use is logged too.

The log names records pseudonymously (kind and id). The page finds a record by kind and number
and shows its name only to a viewer who may see that record now (or holds a live break-glass
grant on it); that showing is itself a read, logged with the supervision purpose. Every search
writes a ``search`` row. URL name and path stay ``core:who_viewed`` at
``/privacy/wie-heeft-ingezien/`` (``core_urlpatterns`` in ``vik/privacy/urls.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from vik.core.accesslog import log_access, logged_kinds, record_for_viewer, rows_about_page
from vik.core.calendar import subtract_period
from vik.core.constants import AccessAction, AccessResult
from vik.core.models import AccessLog, LogRef

PURPOSE = "privacytoezicht: wie heeft ingezien"


class WhoViewedView(View):
    def get(self, request):
        if not request.user.has_perm("core.view_access_log"):
            raise Http404
        kinds = logged_kinds()
        kind = request.GET.get("soort", "")
        number = _number(request.GET.get("nummer", ""))
        rows = []
        selected = None
        searched = False
        everything = request.GET.get("alles") == "1"
        next_url = ""
        if kind in dict(kinds) and number is not None:
            searched = True
            log_access(
                user=request.user,
                action=AccessAction.SEARCH,
                purpose=PURPOSE,
                detail=f"{kind} {number}",
                request=request,
            )
            selected = LogRef.objects.filter(kind=kind, object_id=number).first()
        else:
            ref_id = _number(request.GET.get("ref", ""))
            if ref_id is not None:
                selected = LogRef.objects.filter(pk=ref_id).first()
        record = None
        if selected is not None:
            since = None if everything else _start_of(subtract_period(timezone.localdate(), months=12))
            before = _page_key(request.GET.get("voor", ""))
            rows, older = rows_about_page(selected.pk, since=since, before=before, size=WHO_VIEWED_PAGE)
            if older:
                query = {"ref": selected.pk, "voor": f"{older[0].isoformat()}_{older[1]}"}
                if everything:
                    query["alles"] = "1"
                next_url = f"?{urlencode(query)}"
            log_access(
                user=request.user,
                action=AccessAction.READ,
                kind="core.accesslog",
                object_id=selected.pk,
                purpose=PURPOSE,
                detail=f"{selected.kind} {selected.object_id}",
                request=request,
            )
            record = record_for_viewer(user=request.user, kind=selected.kind, object_id=selected.object_id)
            if record is not None:
                log_access(
                    user=request.user, action=AccessAction.READ, obj=record, purpose=PURPOSE, request=request
                )
        return render(
            request,
            "privacy/who_viewed.html",
            {
                "kinds": kinds,
                "kind": kind,
                "number": number or "",
                "searched": searched,
                "rows": _shown_rows(rows),
                "selected": selected,
                "selected_kind": dict(kinds).get(selected.kind, selected.kind) if selected else "",
                "record_name": str(record) if record is not None else "",
                "everything": everything,
                "next_url": next_url,
                "page_size": WHO_VIEWED_PAGE,
                "paged": bool(request.GET.get("voor")),
            },
        )


#: Rows per page of "wie heeft ingezien" (newest first; older pages by keyset).
WHO_VIEWED_PAGE = 100


@dataclass(frozen=True)
class ShownRow:
    """One row of the table, its labels and local time resolved once (a page holds 100 rows:
    ``get_FOO_display`` re-translates every choice per call and the ``date`` filter parses its
    format per call, which together cost more than the query)."""

    at: str
    actor_label: str
    role: str
    action: str
    purpose: str
    result: str
    ip: str


def _shown_rows(rows: list[AccessLog]) -> list[ShownRow]:
    actions = {value: str(label) for value, label in AccessAction.choices}
    results = {value: str(label) for value, label in AccessResult.choices}
    return [
        ShownRow(
            at=timezone.localtime(r.at).strftime("%d-%m-%Y %H:%M:%S"),
            actor_label=r.actor_label,
            role=r.role,
            action=actions.get(r.action, r.action),
            purpose=r.purpose,
            result=results.get(r.result, r.result),
            ip=r.ip,
        )
        for r in rows
    ]


def _number(value: str) -> int | None:
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _page_key(value: str) -> tuple | None:
    """``<ISO timestamp>_<id>`` of the last row shown, or None when absent or malformed."""
    at_text, _sep, id_text = value.rpartition("_")
    if not at_text or not id_text.isdigit():
        return None
    try:
        at = datetime.fromisoformat(at_text)
    except ValueError:
        return None
    if timezone.is_naive(at):
        return None
    return at, int(id_text)


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))

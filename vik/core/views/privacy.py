"""The privacy officer's pages: who viewed a record. Its own use is logged too."""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from ..accesslog import log_access, rows_about_page
from ..calendar import subtract_period
from ..constants import AccessAction
from ..models import LogRef


class WhoViewedView(View):
    def get(self, request):
        if not request.user.has_perm("core.view_access_log"):
            raise Http404
        kind = request.GET.get("kind", "")
        q = (request.GET.get("q") or "").strip()
        refs = []
        rows = []
        selected = None
        everything = request.GET.get("alles") == "1"
        next_url = ""
        if q:
            refs = list(LogRef.objects.filter(label__icontains=q).order_by("kind", "label")[:50])
        ref_id = request.GET.get("ref")
        if ref_id and ref_id.isdigit():
            selected = LogRef.objects.filter(pk=int(ref_id)).first()
            if selected is not None:
                since = None if everything else _start_of(subtract_period(timezone.localdate(), months=12))
                before = _page_key(request.GET.get("voor", ""))
                rows, older = rows_about_page(selected.pk, since=since, before=before, size=WHO_VIEWED_PAGE)
                if older:
                    query = {"q": q, "ref": selected.pk, "voor": f"{older[0].isoformat()}_{older[1]}"}
                    if everything:
                        query["alles"] = "1"
                    next_url = f"?{urlencode(query)}"
                log_access(
                    user=request.user,
                    action=AccessAction.READ,
                    kind="core.accesslog",
                    object_id=selected.pk,
                    purpose="privacytoezicht: wie heeft ingezien",
                    detail=f"{selected.kind} {selected.object_id}",
                    request=request,
                )
        return render(
            request,
            "core/who_viewed.html",
            {
                "q": q,
                "kind": kind,
                "refs": refs,
                "rows": rows,
                "selected": selected,
                "everything": everything,
                "next_url": next_url,
                "page_size": WHO_VIEWED_PAGE,
                "paged": bool(request.GET.get("voor")),
            },
        )


#: Rows per page of "wie heeft ingezien" (newest first; older pages by keyset).
WHO_VIEWED_PAGE = 100


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

"""The privacy officer's pages: who viewed a record. Its own use is logged too."""

from __future__ import annotations

from datetime import datetime, time

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from ..accesslog import log_access, who_viewed
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
        if q:
            refs = list(LogRef.objects.filter(label__icontains=q).order_by("kind", "label")[:50])
        ref_id = request.GET.get("ref")
        if ref_id and ref_id.isdigit():
            selected = LogRef.objects.filter(pk=int(ref_id)).first()
            if selected is not None:
                everything = request.GET.get("alles") == "1"
                since = None if everything else _start_of(subtract_period(timezone.localdate(), months=12))
                rows = list(who_viewed(kind=selected.kind, object_id=selected.object_id, since=since))
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
            {"q": q, "kind": kind, "refs": refs, "rows": rows, "selected": selected},
        )


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))

"""The privacy officer's pages: who viewed a record. Its own use is logged too."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views import View

from ..accesslog import log_access, who_viewed
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
                rows = list(who_viewed(kind=selected.kind, object_id=selected.object_id))
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


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied

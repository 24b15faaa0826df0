"""The privacy officer's pages: who viewed a record. Its own use is logged too.

The log names records pseudonymously (kind and id). The page finds a record by kind and number
and shows its name only to a viewer who may see that record now (or holds a live break-glass
grant on it); that showing is itself a read, logged with the supervision purpose. Every search
writes a ``search`` row."""

from __future__ import annotations

from datetime import datetime, time
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from ..accesslog import log_access, logged_kinds, record_for_viewer, rows_about_page
from ..calendar import subtract_period
from ..constants import AccessAction
from ..exceptions import ApplicationError
from ..forms import BreakGlassRequestForm
from ..models import LogRef
from ..purpose import purpose_set
from ..services import break_glass_open

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
            "core/who_viewed.html",
            {
                "kinds": kinds,
                "kind": kind,
                "number": number or "",
                "searched": searched,
                "rows": rows,
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


class BreakGlassOpenView(View):
    """The privacy officer opens one record with a recorded reason (reached from the 404 page of
    that record). The grant, its log row and the chair's notification come from
    :func:`vik.core.services.break_glass_open`; the reason also becomes the work purpose, so
    that the record's page (which asks for one) opens at once."""

    def post(self, request):
        if not can_break_glass(request.user):
            raise Http404
        form = BreakGlassRequestForm(request.POST)
        nxt = _safe_next(request, request.POST.get("next", ""))
        if form.is_valid():
            obj = break_glass_target(form.cleaned_data["kind"], form.cleaned_data["object_id"])
            if obj is None:
                raise Http404
            try:
                grant = break_glass_open(
                    actor=request.user, obj=obj, reason=form.cleaned_data["reason"], request=request
                )
            except ApplicationError as exc:
                form.add_error("reason" if exc.field == "reason" else None, exc.message)
            else:
                purpose_set(request=request, reason=f"Break-glass: {grant.reason}")
                messages.warning(
                    request,
                    _(
                        "Break-glass geopend tot %(t)s. De voorzitter is ingelicht; uw inzage wordt vastgelegd."
                    )
                    % {"t": timezone.localtime(grant.expires_at).strftime("%H:%M")},
                )
                return redirect(nxt or "core:home")
        return render(request, "core/break_glass_404.html", {"form": form, "next": nxt}, status=400)


def can_break_glass(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm("core.break_glass"))


def break_glass_target(kind: str, object_id: int):
    """The record a break-glass form names: only models under need-to-know."""
    from django.apps import apps

    from ..models import ProtectedModel

    try:
        model = apps.get_model(kind)
    except (LookupError, ValueError):
        return None
    if not issubclass(model, ProtectedModel):
        return None
    return model._default_manager.filter(pk=object_id).first()


def _safe_next(request, nxt: str) -> str:
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return ""

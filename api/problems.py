"""RFC 9457 problem details for every API error, with Dutch title/detail and invalidParams."""

from __future__ import annotations

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from vik.core.accesslog import log_denied
from vik.core.exceptions import ApplicationError, RecordHidden

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: "Ongeldige invoer",
    401: "Niet geauthenticeerd",
    403: "Geen toestemming",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Niet aanvaardbaar",
    409: "Conflict",
    413: "Verzoek te groot",
    415: "Mediatype niet ondersteund",
    422: "Niet verwerkbaar",
    428: "Doel vereist",
    429: "Te veel verzoeken",
    500: "Interne fout",
}


# The services name model fields; the API answers with its own (camelCase, Dutch) names.
FIELD_NAMES = {
    "received_date": "ontvangenOp",
    "phenomena": "fenomenen",
    "summary": "samenvatting",
    "source": "bron",
    "external_ref": "externKenmerk",
    "wpg_conditions": "wpgVoorwaarden",
    "legal_regime": "juridischRegime",
    "reason": "toelichting",
    "note": "toelichting",
}


def _title(code: int) -> str:
    return _(TITLES.get(code, "Fout"))


def problem(code: int, detail: str, *, invalid: list[dict] | None = None, headers=None, title: str = ""):
    body = {"type": "about:blank", "title": title or _title(code), "status": code, "detail": str(detail)}
    if invalid:
        body["invalidParams"] = invalid
    response = Response(body, status=code, headers=headers, content_type=PROBLEM_TYPE)
    return response


def _flatten(detail, prefix: str = "") -> list[dict]:
    out: list[dict] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix or "body"
            out += _flatten(value, name)
    elif isinstance(detail, list):
        if detail and all(not isinstance(d, (dict, list)) for d in detail):
            for d in detail:
                out.append(
                    {"name": prefix or "body", "code": getattr(d, "code", "invalid"), "reason": str(d)}
                )
        else:
            for i, d in enumerate(detail):
                out += _flatten(d, f"{prefix}.{i}" if prefix else str(i))
    else:
        out.append(
            {"name": prefix or "body", "code": getattr(detail, "code", "invalid"), "reason": str(detail)}
        )
    return out


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        field = FIELD_NAMES.get(exc.field or "", exc.field or "body")
        return problem(
            400,
            exc.message,
            invalid=[{"name": field, "code": "invalid", "reason": exc.message}],
        )
    if isinstance(exc, RecordHidden):
        # As on the web: asking for a record one may not see by its number is logged as denied.
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            log_denied(
                user=user,
                obj_kind=exc.kind,
                object_id=exc.object_id,
                request=request,
                purpose=request.headers.get("x-vik-doel", "")[:200],
            )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Dit record bestaat niet of u heeft er geen toegang toe."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        invalid = _flatten(exc.detail)
        return problem(code, _("De invoer is ongeldig: zie invalidParams."), invalid=invalid, headers=headers)
    detail = getattr(exc, "detail", "")
    if isinstance(exc, exceptions.Throttled):
        detail = _("Te veel verzoeken; probeer het over %(s)s seconden opnieuw.") % {
            "s": exc.wait and int(exc.wait + 0.999) or 1
        }
    elif isinstance(exc, exceptions.ParseError):
        detail = _("De body is geen geldige JSON.")
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        detail = _("Stuur de body als application/json.")
    elif isinstance(exc, exceptions.MethodNotAllowed):
        detail = _("Deze methode is hier niet toegestaan.")
    elif isinstance(exc, exceptions.NotAuthenticated):
        detail = _("Stuur een OAuth2-token (Authorization: Bearer) of een API-sleutel.")
    elif isinstance(exc, exceptions.NotAcceptable):
        detail = _("Deze API antwoordt alleen in JSON.")
    return problem(code, detail, headers=headers)


def not_found_view(request, *args, **kwargs):
    """404 for unknown paths under /api/ (including a trailing slash): problem+json, no redirect."""
    from django.http import JsonResponse

    from .middleware import API_VERSION

    response = JsonResponse(
        {
            "type": "about:blank",
            "title": _title(404),
            "status": 404,
            "detail": _("Deze URL bestaat niet in de API."),
        },
        status=status.HTTP_404_NOT_FOUND,
        content_type=PROBLEM_TYPE,
    )
    response["API-Version"] = API_VERSION
    return response

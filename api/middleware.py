"""API-wide response rules (NL API Design Rules): the API-Version header, no-store, and problem
details for errors raised outside the views (an oversized body, an unknown URL)."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _

API_VERSION = "1.0.0"
API_PREFIX = "/api/"


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        try:
            response = self.get_response(request)
        except RequestDataTooBig:
            response = JsonResponse(
                {
                    "type": "about:blank",
                    "title": _("Verzoek te groot"),
                    "status": 413,
                    "detail": _("De body is groter dan de API toestaat."),
                },
                status=413,
                content_type="application/problem+json",
            )
        response["API-Version"] = API_VERSION
        response["Cache-Control"] = "no-store"
        if request.path.endswith("/openapi.json"):
            response["Access-Control-Allow-Origin"] = "*"
        # The API never sets a session or CSRF cookie.
        for name in list(response.cookies):
            del response.cookies[name]
        return response

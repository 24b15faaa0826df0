"""DRF building blocks of the API: parser with a body limit, cursor pagination, per-client rate
limits, and a serializer base that refuses unknown fields."""

from __future__ import annotations

import time

from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.throttling import BaseThrottle

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .authentication import ApiAuth


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = gettext_lazy("De body is groter dan de API toestaat.")
    default_code = "too_large"


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.API_MAX_BODY_BYTES
        try:
            length = int(request.headers.get("content-length") or 0) if request is not None else 0
        except ValueError:
            length = 0
        if length > limit:
            raise PayloadTooLarge()
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise PayloadTooLarge()
        import io

        return super().parse(io.BytesIO(data), media_type, parser_context)


class Cursor(CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "pageSize"
    cursor_query_param = "cursor"
    ordering = "-id"


class ClientRateThrottle(BaseThrottle):
    """Fixed one-minute windows per client in Redis (the shared cache): ``API_RATE_PER_MINUTE``
    requests; then 429 with Retry-After up to the end of the window."""

    def allow_request(self, request, view) -> bool:
        auth = request.auth
        if not isinstance(auth, ApiAuth):
            return True
        limit = settings.API_RATE_PER_MINUTE
        now = time.time()
        window = int(now // 60)
        key = f"api:rate:{auth.client.pk}:{window}"
        try:
            cache.add(key, 0, timeout=70)
            count = cache.incr(key)
        except ValueError:
            count = 1
        if count is None:  # cache down: degrade open rather than refuse every partner
            return True
        self._wait = 60 - (now - window * 60)
        return count <= limit

    def wait(self):
        return getattr(self, "_wait", 60)


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (a typo must not silently drop data), reported together
    with any other field errors."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"body": [_("Verwacht een JSON-object.")]})
        unknown = {name: [_("Onbekend veld.")] for name in sorted(set(data) - set(self.fields))}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {"body": exc.detail}
            raise serializers.ValidationError({**detail, **unknown})
        if unknown:
            raise serializers.ValidationError(unknown)
        return value

"""The HTTP layer every registry client shares: configuration, the purpose and trace headers,
timeouts, retries with backoff (only where a repeat cannot do harm), a circuit breaker shared by
all processes (in the cache, i.e. Redis), and the translation of error bodies into one clear Dutch
message. The stdlib is enough here; no HTTP library is added to the project.

Nothing personal is ever logged: a log line names the registry, the status and the *shape*
problem of an answer, never a BSN, a name or a URL with query parameters.
"""

from __future__ import annotations

import hashlib
import json
import logging
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError

logger = logging.getLogger("registries")

LABELS = {"brp": "BRP", "bewoning": "BRP Bewoning", "bag": "BAG", "kvk": "KvK"}
STANDIN_HEADER = "X-VIK-Standin"
HEADER_MAX = 242  # column width of the gemma-verwerkingenlogging API; gateways truncate there


class RegistryError(ApplicationError):
    """Base: the registry could not answer the question. ``message`` is Dutch and shown as is."""

    registry: str = ""


class RegistryUnavailable(RegistryError):
    """Not configured, down, too slow, paused by the circuit breaker, or a 5xx: manual entry."""


class RegistryRefused(RegistryError):
    """The registry refused this question (4xx): the message says why."""


class RegistryContractError(RegistryError):
    """The answer did not match the documented contract; nothing is used from it."""


def _trace():
    from vik.core.tracing import current_or_new

    return current_or_new()


@dataclass(frozen=True)
class CallContext:
    """Who asks and why: travels along as gateway headers and into the query log. The trace is
    the current request's or job's (``vik.core.tracing``): each call is a child span of it."""

    user_id: str
    purpose: str
    trace_id: str = field(default_factory=lambda: _trace().trace_id)
    tracestate: str = field(default_factory=lambda: _trace().tracestate)

    def traceparent(self) -> tuple[str, str]:
        from vik.core.tracing import new_span_id

        span = new_span_id()
        return f"00-{self.trace_id}-{span}-01", span

    def trace_headers(self) -> dict[str, str]:
        traceparent, _span = self.traceparent()
        headers = {"traceparent": traceparent}
        if self.tracestate:
            headers["tracestate"] = self.tracestate
        return headers


def _clip(value: str) -> str:
    return " ".join(str(value).split())[:HEADER_MAX]


def configured(name: str) -> bool:
    return bool(settings.REGISTRIES.get(name, {}).get("url"))


# --- circuit breaker ----------------------------------------------------------------------------


def _breaker_key(name: str, part: str) -> str:
    # per registry *and* endpoint: a changed URL starts with a closed breaker
    url = settings.REGISTRIES.get(name, {}).get("url", "")
    return f"registries:breaker:{name}:{hashlib.sha1(url.encode()).hexdigest()[:10]}:{part}"


def breaker_open(name: str) -> bool:
    until = cache.get(_breaker_key(name, "open_until"))
    return bool(until and until > time.time())


def _record_failure(name: str) -> None:
    key = _breaker_key(name, "failures")
    cache.add(key, 0, timeout=settings.REGISTRIES_BREAKER_SECONDS * 4)
    try:
        failures = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.REGISTRIES_BREAKER_SECONDS * 4)
        failures = 1
    if failures >= settings.REGISTRIES_BREAKER_FAILURES:
        cache.set(
            _breaker_key(name, "open_until"),
            time.time() + settings.REGISTRIES_BREAKER_SECONDS,
            timeout=settings.REGISTRIES_BREAKER_SECONDS,
        )
        logger.warning("registry %s paused after %s consecutive failures", name, failures)


def _record_success(name: str) -> None:
    cache.delete_many([_breaker_key(name, "failures"), _breaker_key(name, "open_until")])


def breaker_reset(name: str) -> None:
    _record_success(name)


# --- errors -------------------------------------------------------------------------------------


def _problem_message(label: str, status: int, body: Any) -> str:
    """problem+json (BRP, BAG), KvK's {"fout": [...]} and the BAG key gateway's own body, in Dutch."""
    code = ""
    names: list[str] = []
    if isinstance(body, dict):
        code = str(body.get("code") or "")
        params = body.get("invalidParams") or body.get("invalid-params") or []
        if isinstance(params, list):
            names = sorted({str(p.get("name")) for p in params if isinstance(p, dict) and p.get("name")})
        fout = body.get("fout")
        if isinstance(fout, list) and fout and isinstance(fout[0], dict):
            code = str(fout[0].get("code") or "")
    if status == 429 or code == "tooManyRequests":
        return _("De %(r)s krijgt op dit moment te veel vragen. Probeer het over een minuut opnieuw.") % {
            "r": label
        }
    if code == "tooManyResults":
        return _("De %(r)s vond te veel personen of adressen. Maak de zoekvraag specifieker.") % {"r": label}
    if status in (401, 403) and code == "unauthorizedField":
        return _("VIK is niet geautoriseerd voor een of meer gevraagde gegevens uit de %(r)s.") % {"r": label}
    if status in (401, 403):
        return _(
            "VIK is niet (meer) aangesloten op de %(r)s: de sleutel of het certificaat wordt geweigerd. "
            "Meld dit bij de functioneel beheerder."
        ) % {"r": label}
    if status == 400 and names:
        return _("De %(r)s wees de vraag af; controleer: %(names)s.") % {
            "r": label,
            "names": ", ".join(names),
        }
    if code in ("IPD0004", "IPD0006", "IPD0010"):
        return _("De KvK wees het nummer af als ongeldig.")
    if code in ("IPD1002", "IPD1003"):
        return _("De KvK kan deze gegevens tijdelijk niet leveren. Probeer het later opnieuw.")
    if code == "IPD0005":
        return _("De KvK kan dit product voor deze inschrijving niet leveren.")
    if status == 404:
        return _("Niet gevonden in de %(r)s.") % {"r": label}
    return _("De %(r)s wees de vraag af (status %(s)s).") % {"r": label, "s": status}


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: Any


class RegistryClient:
    """One registry. Subclasses add the operations and turn answers into typed results."""

    name = ""

    def __init__(self, context: CallContext):
        self.context = context
        self.config = settings.REGISTRIES.get(self.name, {})
        self.label = LABELS[self.name]

    # headers: the gateway's purpose and logging convention (REGISTRIES.md §5) and W3C trace context
    def headers(self) -> dict[str, str]:
        names = settings.REGISTRIES_HEADERS
        h = {
            "Accept": "application/json, application/hal+json, application/problem+json",
            **self.context.trace_headers(),
            names["gebruiker"]: _clip(self.context.user_id or "onbekend"),
            names["doelbinding"]: _clip(settings.REGISTRIES_DOELBINDING),
            names["verwerking"]: _clip(f"{settings.REGISTRIES_VERWERKING}: {self.context.purpose}"),
        }
        if settings.REGISTRIES_OIN:
            h[names["oin"]] = _clip(settings.REGISTRIES_OIN)
        if self.config.get("api_key"):
            h[self.config["api_key_header"]] = self.config["api_key"]
        token = self._oauth_token()
        if token:
            h["Authorization"] = f"Bearer {token}"
        return h

    def _oauth_token(self) -> str:
        """OAuth2 client credentials (RvIG): a token is fetched once and kept in the cache until
        shortly before it expires. The secret and the token never reach a log line."""
        oauth = self.config.get("oauth") or {}
        if not oauth.get("token_url"):
            return ""
        key = (
            "registries:token:"
            + hashlib.sha1(f"{oauth['token_url']}|{oauth['client_id']}".encode()).hexdigest()
        )
        token = cache.get(key)
        if token:
            return token
        form = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": oauth["client_id"],
                "client_secret": oauth["client_secret"],
                "scope": oauth["scope"],
                "resourceServer": oauth["resource_server"],
            }
        ).encode()
        req = urllib.request.Request(
            oauth["token_url"], data=form, method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
                **self.context.trace_headers(),
            },
        )  # fmt: skip
        try:
            with urllib.request.urlopen(
                req, timeout=settings.REGISTRIES_TIMEOUT, context=self._ssl_context()
            ) as raw:
                body = json.loads(raw.read().decode("utf-8"))
        except urllib.error.HTTPError as err:
            logger.warning("registry %s token refused: status %s", self.name, err.code)
            exc = RegistryRefused(_problem_message(self.label, 401, None))
            exc.registry = self.name
            raise exc
        except (OSError, ValueError) as err:
            logger.warning("registry %s token call failed: %s", self.name, type(err).__name__)
            raise self._unavailable(_("aanmelden bij de tokendienst mislukt"))
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise self.contract_error("token answer has no access_token")
        lifetime = body.get("expires_in") if isinstance(body.get("expires_in"), int) else 300
        cache.set(key, token, timeout=max(10, lifetime - 60))
        return token

    def _ssl_context(self) -> ssl.SSLContext | None:
        if not self.config.get("url", "").startswith("https:"):
            return None
        ctx = ssl.create_default_context(cafile=settings.REGISTRIES_CA_BUNDLE or None)
        if settings.REGISTRIES_CLIENT_CERT:
            ctx.load_cert_chain(settings.REGISTRIES_CLIENT_CERT, settings.REGISTRIES_CLIENT_KEY or None)
        return ctx

    def _unavailable(self, reason: str) -> RegistryUnavailable:
        exc = RegistryUnavailable(
            _(
                "De %(r)s is nu niet bereikbaar (%(why)s). U kunt de gegevens met de hand invullen; "
                "het record krijgt dan de markering 'niet geverifieerd'."
            )
            % {"r": self.label, "why": reason}
        )
        exc.registry = self.name
        return exc

    def contract_error(self, reason: str) -> RegistryContractError:
        logger.warning("registry %s answer rejected: %s", self.name, reason)
        exc = RegistryContractError(
            _(
                "Het antwoord van de %(r)s klopte niet met het afgesproken formaat en is niet gebruikt. "
                "Er is niets gewijzigd."
            )
            % {"r": self.label},
            extra={"reason": reason},
        )
        exc.registry = self.name
        return exc

    def request(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, Any] | None = None,
        payload: dict | None = None,
        idempotent: bool,
        not_found_ok: bool = False,
    ) -> Response:
        """One call with retries. ``idempotent`` GETs are retried on timeouts and 5xx/429; a POST
        query (BRP) is retried only when the server says it did not process it (429, 503)."""
        base = self.config.get("url", "")
        if not base:
            raise self._unavailable(_("niet geconfigureerd"))
        if breaker_open(self.name):
            raise self._unavailable(_("tijdelijk gepauzeerd na herhaalde storingen"))
        url = base.rstrip("/") + path
        if query:
            url += "?" + urllib.parse.urlencode(query, doseq=True)
        data = None
        headers = self.headers()
        if payload is not None:
            data = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        attempts = 1 + max(0, settings.REGISTRIES_RETRIES)
        last_reason = ""
        for attempt in range(attempts):
            if attempt:
                time.sleep(settings.REGISTRIES_BACKOFF * (2 ** (attempt - 1)))
            req = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with urllib.request.urlopen(
                    req, timeout=settings.REGISTRIES_TIMEOUT, context=self._ssl_context()
                ) as raw:
                    response = Response(raw.status, dict(raw.headers.items()), raw.read())
            except urllib.error.HTTPError as err:
                response = Response(err.code, dict(err.headers.items()), err.read())
            except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as err:
                reason = getattr(err, "reason", err)
                last_reason = _("geen verbinding") if not isinstance(reason, TimeoutError) else _("time-out")
                if "timed out" in str(reason):
                    last_reason = _("time-out")
                logger.warning("registry %s call failed: %s", self.name, type(err).__name__)
                if idempotent:
                    continue
                break
            if response.status == 429 or response.status >= 500:
                last_reason = _("status %(s)s") % {"s": response.status}
                logger.warning("registry %s answered %s", self.name, response.status)
                retryable = idempotent or response.status in (429, 503)
                if retryable and attempt < attempts - 1:
                    continue
                if response.status == 429:
                    _record_success(self.name)  # the registry is up, only busy: no pause
                    raise self._refused(429, response)
                break
            self._check_standin(response)
            _record_success(self.name)
            if 200 <= response.status < 300:
                response.body = self._json(response.body)
                return response
            if response.status == 404 and not_found_ok:
                response.body = None
                return response
            raise self._refused(response.status, response)
        _record_failure(self.name)
        raise self._unavailable(last_reason or _("onbekende fout"))

    def _check_standin(self, response: Response) -> None:
        if (
            any(k.lower() == STANDIN_HEADER.lower() for k in response.headers)
            and not settings.REGISTRIES_STANDIN
        ):
            raise self.contract_error("answer came from the VIK stand-in while REGISTRIES_STANDIN is off")

    def _json(self, raw: bytes) -> Any:
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self.contract_error("body is not JSON")

    def _refused(self, status: int, response: Response) -> RegistryRefused:
        try:
            body = json.loads(response.body.decode("utf-8")) if response.body else None
        except (UnicodeDecodeError, ValueError, AttributeError):
            body = None
        code = body.get("code") if isinstance(body, dict) else None
        logger.info("registry %s refused: status %s code %s", self.name, status, code)
        exc = RegistryRefused(
            _problem_message(self.label, status, body), extra={"status": status, "code": code}
        )
        exc.registry = self.name
        return exc


# --- small contract helpers used by the clients ------------------------------------------------------


def need(client: RegistryClient, obj: Any, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise client.contract_error(f"{where}.{key} missing")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
        raise client.contract_error(f"{where}.{key} has the wrong type")
    return value


def opt(client: RegistryClient, obj: dict, key: str, kind: type | tuple[type, ...], where: str, default=None):
    if key not in obj or obj[key] is None:
        return default
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind in (int, str):
        raise client.contract_error(f"{where}.{key} has the wrong type")
    return value

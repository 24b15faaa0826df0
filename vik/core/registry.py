"""Providers that domain apps register with the core when they start (apps.py ``ready``).
(Retention and data-subject providers live in ``vik/privacy/providers.py``.)

The core never imports a domain app. Views that gather from every app (timeline, global search,
purpose check, seed data, dashboards, data-subject export, retention) ask these registries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class TimelineEntry:
    """One line on a subject's timeline. ``sealed`` entries show only their title (for example
    "Bibob-relevant") to users outside the compartment."""

    date: Any  # date or datetime
    kind: str  # signal, measure, deadline, bibob, meeting, link, ...
    title: str
    url: str = ""
    detail: str = ""
    sealed: bool = False


@dataclass
class CaseKind:
    """A kind of case a purpose can point at (signal, measure, Bibob dossier, meeting)."""

    code: str
    label: str
    resolve: Callable[[Any, int], Any]  # (user, pk) -> object the user may see, or raise Http404


@dataclass
class LogInfo:
    """One log VIK keeps, as the logging-controls page shows it (BIO2 12.4). Texts are Dutch.
    ``retention_codes`` name ``RetentionRule`` codes (the privacy app fills in their terms);
    ``retention_note`` says who decides where no rule applies. Figures only where cheap:
    ``estimated`` marks a count taken from the planner's statistics."""

    key: str
    name: str
    holds: str
    where: str
    protection: str = ""
    retention_codes: tuple[str, ...] = ()
    retention_note: str = ""
    count: int | None = None
    estimated: bool = False
    oldest: Any = None
    newest: Any = None


@dataclass
class Registry:
    case_kinds: dict[str, CaseKind] = field(default_factory=dict)
    timeline: list[Callable] = field(default_factory=list)  # (user, subject) -> list[TimelineEntry]
    # (user, kind) -> {name: expression}: what an app shows on the subject page, fetched in the
    # subject's own query (the app's panel or timeline provider reads the annotation)
    subject_annotations: list[Callable] = field(default_factory=list)
    seeders: list[tuple[int, str, Callable]] = field(default_factory=list)  # (order, name, fn(stdout))
    nav: list[tuple[int, str, str, str]] = field(default_factory=list)  # (order, label, url name, perm)
    dashboards: list[Callable] = field(default_factory=list)
    # url name of a nav entry -> further (url name, perm) it may point at instead, in order: the
    # entry shows once, linking to the first page the user may open (one "Privacy" entry for the
    # privacy officer, the records manager, the chair's legal holds and the admin's rules)
    nav_alternatives: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    logs: list[tuple[int, Callable]] = field(default_factory=list)  # (order, fn() -> list[LogInfo])


registry = Registry()


def register_case_kind(code: str, label: str, resolve: Callable[[Any, int], Any]) -> None:
    registry.case_kinds[code] = CaseKind(code, label, resolve)


def register_log(order: int, fn: Callable) -> None:
    """A log an app keeps, for the logging-controls page: ``fn()`` returns ``list[LogInfo]``."""
    if all(f is not fn for _, f in registry.logs):
        registry.logs.append((order, fn))
        registry.logs.sort(key=lambda t: t[0])


def register_seeder(order: int, name: str, fn: Callable) -> None:
    if all(n != name for _, n, _ in registry.seeders):
        registry.seeders.append((order, name, fn))
        registry.seeders.sort(key=lambda t: t[0])


def register_nav(
    order: int, label: str, url_name: str, perm: str, *, alternatives: list[tuple[str, str]] | None = None
) -> None:
    """A main-menu entry. ``perm`` "" shows it to every signed-in user. ``alternatives`` are
    (url name, perm) pairs tried in order when the user lacks ``perm``. A url name in the
    ``admin`` namespace is shown only to staff (the admin answers 404 to everyone else)."""
    if all(u != url_name for _, _, u, _ in registry.nav):
        registry.nav.append((order, label, url_name, perm))
        registry.nav.sort(key=lambda t: t[0])
    if alternatives:
        registry.nav_alternatives[url_name] = list(alternatives)


def register_subject_annotations(fn: Callable) -> None:
    if fn not in registry.subject_annotations:
        registry.subject_annotations.append(fn)


def subject_annotations(user: Any, kind: str) -> dict[str, Any]:
    """The annotations every app asks for on the subject page's query of a record of ``kind``:
    one query for the record and what the apps show about it, instead of one query per app."""
    out: dict[str, Any] = {}
    for fn in registry.subject_annotations:
        out.update(fn(user, kind) or {})
    return out


def register_timeline(fn: Callable) -> None:
    if fn not in registry.timeline:
        registry.timeline.append(fn)

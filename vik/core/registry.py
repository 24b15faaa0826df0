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
class Registry:
    case_kinds: dict[str, CaseKind] = field(default_factory=dict)
    timeline: list[Callable] = field(default_factory=list)  # (user, subject) -> list[TimelineEntry]
    seeders: list[tuple[int, str, Callable]] = field(default_factory=list)  # (order, name, fn(stdout))
    nav: list[tuple[int, str, str, str]] = field(default_factory=list)  # (order, label, url name, perm)
    dashboards: list[Callable] = field(default_factory=list)


registry = Registry()


def register_case_kind(code: str, label: str, resolve: Callable[[Any, int], Any]) -> None:
    registry.case_kinds[code] = CaseKind(code, label, resolve)


def register_seeder(order: int, name: str, fn: Callable) -> None:
    if all(n != name for _, n, _ in registry.seeders):
        registry.seeders.append((order, name, fn))
        registry.seeders.sort(key=lambda t: t[0])


def register_nav(order: int, label: str, url_name: str, perm: str) -> None:
    if all(u != url_name for _, _, u, _ in registry.nav):
        registry.nav.append((order, label, url_name, perm))
        registry.nav.sort(key=lambda t: t[0])


def register_timeline(fn: Callable) -> None:
    if fn not in registry.timeline:
        registry.timeline.append(fn)

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
    # url name of a nav entry -> further (url name, perm) it may point at instead, in order: the
    # entry shows once, linking to the first page the user may open (one "Privacy" entry for the
    # privacy officer, the records manager, the chair's legal holds and the admin's rules)
    nav_alternatives: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


registry = Registry()


def register_case_kind(code: str, label: str, resolve: Callable[[Any, int], Any]) -> None:
    registry.case_kinds[code] = CaseKind(code, label, resolve)


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


def register_timeline(fn: Callable) -> None:
    if fn not in registry.timeline:
        registry.timeline.append(fn)

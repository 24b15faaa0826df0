"""Fill the legal calendar's store of declared days from the database.

:mod:`vik.core.calendar` is pure code without Django imports; it keeps the days declared equal
to a feestdag by royal decree (Atw art. 3(3)) in a module-level store. This module is the only
bridge from the ``DeclaredDay`` table to that store. Call :func:`load_declared_days_from_db`
at start-up and whenever a ``DeclaredDay`` row is created, changed or deleted.
"""

from __future__ import annotations

from datetime import date

from vik.core.calendar import declared_days, set_declared_days


def load_declared_days_from_db() -> frozenset[date]:
    """Replace the calendar's declared days with all ``DeclaredDay`` dates; return the new set."""
    # Imported here so this module can be imported before the app registry is ready
    # (e.g. from AppConfig.ready or signal wiring).
    from vik.core.models import DeclaredDay

    set_declared_days(DeclaredDay.objects.values_list("date", flat=True))
    return declared_days()


_VERSION_KEY = "vik:declared-days-version"
_loaded_version: list[object] = [None]


def declared_days_changed() -> None:
    """Call after a DeclaredDay changes: every process reloads on its next request or task."""
    from django.core.cache import cache

    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, timeout=None)
    load_declared_days_from_db()


def refresh_if_stale() -> None:
    """Reload the declared days when another process changed them (one cache read)."""
    from django.core.cache import cache
    from django.db.utils import DatabaseError

    version = cache.get(_VERSION_KEY, 0)
    if getattr(cache, "degraded", False):
        # Redis is down: no other process can tell us about a change, so read the (few) declared
        # days from the database on every request until it is back, then reload once more.
        try:
            load_declared_days_from_db()
        except DatabaseError:
            pass
        _loaded_version[0] = None
        return
    if version == _loaded_version[0]:
        return
    try:
        load_declared_days_from_db()
    except DatabaseError:
        return
    _loaded_version[0] = version

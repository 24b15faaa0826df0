"""The reference lists (sources, phenomena) with a cache for lookups by code.

The data migration seeds them; ``ensure_reference_lists`` re-creates missing seeded codes after a
test flush (post_migrate) without touching what the functional admin changed."""

from __future__ import annotations

from .constants import SEED_PHENOMENA, SEED_SOURCES


def ensure_reference_lists(**kwargs) -> None:
    from .models import Phenomenon, SignalSource

    have = set(SignalSource.objects.values_list("code", flat=True))
    SignalSource.objects.bulk_create(
        [SignalSource(code=c, label=lbl) for c, lbl in SEED_SOURCES if c not in have]
    )
    have = set(Phenomenon.objects.values_list("code", flat=True))
    Phenomenon.objects.bulk_create(
        [Phenomenon(code=c, label=lbl) for c, lbl in SEED_PHENOMENA if c not in have]
    )


def on_post_migrate(sender, **kwargs) -> None:
    if sender.name != "signals":
        return
    ensure_reference_lists()


def sources_by_code(*, active_only: bool = True) -> dict:
    from .models import SignalSource

    qs = SignalSource.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    return {s.code: s for s in qs}


def phenomena_by_code(*, active_only: bool = True) -> dict:
    from .models import Phenomenon

    qs = Phenomenon.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    return {p.code: p for p in qs}

"""Celery interfaces: they import the service inside and call it."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="registries.reverify")
def reverify() -> str:
    from .services import reverify_unverified

    counts = reverify_unverified()
    return ", ".join(f"{k} {v}" for k, v in counts.items())

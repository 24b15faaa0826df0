"""Re-create the default configuration after a database flush.

The data migrations (0003 deadline rules and escalation matrix, 0004 the beat entry) run once; a
test flush (``TransactionTestCase``) empties the tables and then emits ``post_migrate``. This
handler re-runs the same idempotent migration functions with the live app registry, so the
rules always exist (existing rows, possibly edited by the functional admin, are left alone)."""

from __future__ import annotations

import importlib

from django.apps import apps as global_apps


def ensure_defaults(**_kwargs) -> None:
    for name, fn in (
        ("0003_seed_deadline_rules_and_matrix", "seed"),
        ("0004_deadline_scan_periodic_task", "create"),
        ("0007_seed_legal_date_rules", "seed"),
    ):
        module = importlib.import_module(f"measures.migrations.{name}")
        getattr(module, fn)(global_apps, None)


def on_post_migrate(sender, **kwargs) -> None:
    if getattr(sender, "name", "") == "measures":
        from django.db import connection

        if "measures_deadlinerule" in connection.introspection.table_names():
            ensure_defaults()

# ruff: noqa: S608 -- SQL here is assembled from fixed fragments and identifiers in code; values are bound parameters.
"""Bulk loading with PostgreSQL COPY (psycopg 3 ``cursor.copy``), driven by the Django model's
own field list so that a column another engineer adds later is filled with its default (or
reported when it has none) instead of breaking the generator."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from psycopg.types.json import Jsonb

from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.utils import timezone


class MissingValue(Exception):
    """A required column without default that the generator does not know how to fill."""


_NOW = timezone.now()


def fallback(field: models.Field):
    """The value for a column the generator did not set: the field default, else a neutral
    valid value. Raises MissingValue for a required foreign key."""
    if field.has_default():
        return field.get_default()
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return _NOW
    if field.null:
        return None
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, ArrayField):
        return []
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.ForeignKey):
        raise MissingValue(f"{field.model._meta.label}.{field.name}")
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 0
    if isinstance(field, models.DecimalField):
        return Decimal("0")
    if isinstance(field, models.DateTimeField):
        return _NOW
    if isinstance(field, models.DateField):
        return date.today()
    if isinstance(field, (models.CharField, models.TextField)):
        return ""
    raise MissingValue(f"{field.model._meta.label}.{field.name}")


class Table:
    """Column list and per-column defaults of one model, and a COPY writer for it."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.name = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self._json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self._defaults: dict[str, object] = {}
        self._missing: dict[str, str] = {}
        for f in self.fields:
            try:
                value = fallback(f)
            except MissingValue as exc:
                self._missing[f.attname] = str(exc)
                value = None
            self._defaults[f.attname] = value

    def row(self, values: dict) -> tuple:
        out = []
        for f in self.fields:
            key = f.attname
            if key in values:
                value = values[key]
            elif key in self._missing and key != "id":
                raise MissingValue(self._missing[key])
            else:
                value = self._defaults[key]
                if callable(value):
                    value = value()
                elif isinstance(value, (list, dict)):
                    value = type(value)(value)
            if key in self._json and value is not None:
                value = Jsonb(value)
            out.append(value)
        return tuple(out)


def reserve_ids(cur, table: str, n: int) -> int:
    """Lock the table against other writers and return the first of ``n`` fresh ids; the
    sequence is moved past them so that later ORM inserts never collide."""
    cur.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
    cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    seq = cur.fetchone()[0]
    cur.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
    top = cur.fetchone()[0]
    if seq is None:
        return top + 1
    cur.execute(f"SELECT last_value, is_called FROM {seq}")
    last, called = cur.fetchone()
    start = max(top, last if called else last - 1) + 1
    cur.execute("SELECT setval(%s, %s, true)", [seq, start + max(n, 1) - 1])
    return start


def copy_rows(table: Table, rows: Iterable[dict], progress=None) -> int:
    """COPY the rows (dicts keyed by attname) into the model's table; returns the count."""
    count = 0
    cols = ", ".join(f'"{c}"' for c in table.columns)
    with connection.cursor() as c:
        raw = c.cursor
        with raw.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
            for values in rows:
                copy.write_row(table.row(values))
                count += 1
                if progress is not None and count % 1000 == 0:
                    progress(1000)
    if progress is not None:
        progress(count % 1000)
    return count


def iso(dt: datetime) -> str:
    return dt.isoformat()

"""The retention toolkit every domain app's privacy module uses (docs/privacy-providers.md).

- :func:`retention_session` opens the documented path through the append-only history triggers;
- :func:`delete_with_history` / :func:`drop_history` remove change-audit entries, which hold the
  same content in plain text;
- :func:`unlink_foreign_references` clears nullable references from other apps before a delete;
- :func:`withheld_for_compartment` is the access-request entry for a sealed compartment;
- :func:`retention_text` says how long a record class is kept.

Importable before the app registry is ready (the models are imported inside the functions).
Generic: it knows no domain app (the subjects-specific :func:`subjects.privacy.person_ids` stays
with subjects)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django.utils.translation import gettext as _

from vik.core.constants import Compartment

from .constants import WithholdingGround
from .providers import Withheld

#: What an anonymised text field holds.
ANONYMISED = "[geanonimiseerd]"


def delete_with_history(qs: models.QuerySet[Any]) -> int:
    """Delete rows together with their django-auditlog entries, which hold the same content in
    plain text. Returns the number of rows deleted (0 when they are already gone)."""
    from auditlog.models import LogEntry

    from django.contrib.contenttypes.models import ContentType

    pks = [str(pk) for pk in qs.values_list("pk", flat=True)]
    if not pks:
        return 0
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(qs.model), object_pk__in=pks
    ).delete()
    deleted: int = qs.model._default_manager.filter(pk__in=pks).delete()[0]
    return deleted


def drop_history(model: type[models.Model], pks: Iterable[object]) -> None:
    """Delete the django-auditlog entries of rows that are kept but emptied (anonymisation)."""
    from auditlog.models import LogEntry

    from django.contrib.contenttypes.models import ContentType

    keys = [str(pk) for pk in pks]
    if keys:
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=keys
        ).delete()


@contextmanager
def retention_session() -> Iterator[None]:
    """Open the documented retention path through the append-only history triggers (measures,
    bibob, meetings): ``SET LOCAL vik.retention = 'on'`` lets their trigger functions allow
    DELETE and UPDATE for the rest of *this transaction only*; it is switched off again on the way
    out (on an error the rollback undoes it). Must run inside the destruction item's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("retention_session() must run inside a transaction")
    with connection.cursor() as cur:
        cur.execute("SET LOCAL vik.retention = 'on'")
    yield  # on an error the transaction (or savepoint) rolls back, and the setting with it
    with connection.cursor() as cur:
        cur.execute("SET LOCAL vik.retention = 'off'")


def unlink_foreign_references(model: type[models.Model], pk: int) -> None:
    """Before a record is destroyed, clear nullable references to it from *other* apps (an agenda
    item of the casustafel pointing at a measure): the referring record keeps its own content and
    retention, it only loses the link. Non-nullable references are left for the delete to
    refuse (the caller's transaction then rolls back and the list stops there)."""
    for rel in model._meta.related_objects:
        if rel.many_to_many or not rel.field.null:
            continue
        other = rel.related_model
        if isinstance(other, str):  # "self": a reference inside the same model's app
            continue
        if other._meta.app_label == model._meta.app_label:
            continue
        other._default_manager.filter(**{rel.field.name: pk}).update(**{rel.field.name: None})


def withheld_for_compartment(compartment: str, what: str) -> Withheld | None:
    """The ``Withheld`` entry for a record of a sealed compartment, or None for ``general``."""
    if compartment == Compartment.MMA:
        return Withheld(
            _("%(what)s uit een melding van Meld Misdaad Anoniem") % {"what": what},
            WithholdingGround.SOURCE_PROTECTION,
        )
    if compartment == Compartment.POLICE:
        return Withheld(
            _("%(what)s uit politiegegevens (Wpg)") % {"what": what},
            WithholdingGround.POLICE_CONSULTATION,
            _("de politie wordt eerst geraadpleegd"),
        )
    if compartment == Compartment.BIBOB:
        return Withheld(_("%(what)s uit een Bibob-onderzoek") % {"what": what}, WithholdingGround.BIBOB)
    return None


def retention_text(code: str) -> str:
    """How long a record of retention class ``code`` is kept, as the rule row says today."""
    from .models import RetentionRule

    rule = RetentionRule.objects.filter(code=code, active=True).first()
    if rule is None:
        return ""
    text: str = _("%(period)s na %(event)s, daarna %(action)s") % {
        "period": rule.period_display,
        "event": rule.runs_from,
        "action": str(rule.get_action_display()).lower(),
    }
    return text

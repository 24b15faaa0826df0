"""Test providers on a vik.core model (core.Notification stands in for a domain record class) and
a fake person resolver, so that the privacy mechanism is tested without any domain app."""

from __future__ import annotations

import pytest

from django.contrib.auth.models import Permission
from django.utils import timezone

from tests.factories.core import UserFactory
from vik.core.models import Notification
from vik.privacy.constants import WithholdingGround
from vik.privacy.models import RetentionRule
from vik.privacy.providers import (
    DataSubject,
    DsarItem,
    DsarSection,
    Withheld,
    register_dsar_section,
    register_person_resolver,
    register_rectifier,
    register_retention_class,
    unregister_dsar_section,
    unregister_person_resolver,
    unregister_rectifier,
    unregister_retention_class,
)

LABEL = "core.notification"
PERSON_PK = 4711
MMA_SECRET = "Tipgever woont naast de garage aan de Grotestraat"


class Killer:
    """Raises inside the N-th destroy call, after deleting: a worker dying mid-item."""

    def __init__(self):
        self.fail_on: int | None = None
        self.calls = 0


@pytest.fixture
def notice_class(db):
    killer = Killer()

    def due(rule, today):
        cutoff = rule.anchor_cutoff(today)
        for pk, created in Notification.objects.values_list("pk", "created_at"):
            anchor = timezone.localtime(created).date()
            if anchor <= cutoff:
                yield LABEL, pk, anchor

    def destroy(model_label, pk):
        killer.calls += 1
        Notification.objects.filter(pk=pk).delete()
        if killer.fail_on == killer.calls:
            raise RuntimeError("worker killed")

    def anonymise(model_label, pk):
        Notification.objects.filter(pk=pk).update(message="[geanonimiseerd]", link="")

    def rectify(pk, field_name, new_text):
        note = Notification.objects.get(pk=pk)
        original = getattr(note, field_name)
        setattr(note, field_name, new_text)
        note.save(update_fields=[field_name])
        return original

    register_retention_class("test_notice", "Testmeldingen", due=due, destroy=destroy, anonymise=anonymise)
    register_rectifier(LABEL, rectify)
    yield killer
    unregister_retention_class("test_notice")
    unregister_rectifier(LABEL)


@pytest.fixture
def notice_rule(db):
    def _make(**kwargs):
        values = {
            "code": "test_notice",
            "label": "Testmeldingen",
            "period_value": 1,
            "period_unit": "years",
            "runs_from": "aanmaak",
            "action": "delete",
            "legal_basis": "test",
            "uses_legal_calendar": False,
        }
        values.update(kwargs)
        RetentionRule.objects.filter(code=values["code"]).delete()
        return RetentionRule.objects.create(**values)

    return _make


@pytest.fixture
def records_manager(db, team):
    user = UserFactory(username="archivaris", org_unit=team, clearances=[])
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="privacy",
            codename__in=["approve_destruction_records", "view_destructionlist"],
        )
    )
    return user


def person_section(person, user):
    return DsarSection(
        code="test_signals",
        label="Signalen",
        items=[
            DsarItem(
                title="Signaal 12: overlast bedrijfspand",
                date="2024-05-02",
                purpose="Signaal ondermijning",
                fields={"rol": "betrokkene", "status": "in analyse"},
                retention="5 jaar na sluiting",
            )
        ],
        withheld=[
            Withheld("1 melding van Meld Misdaad Anoniem", WithholdingGround.SOURCE_PROTECTION),
            Withheld("Gegevens over 2 andere personen", WithholdingGround.THIRD_PARTY),
            Withheld("1 politiebericht (Wpg)", WithholdingGround.POLICE_CONSULTATION, "raadpleging gestart"),
        ],
        log_refs=[("signals.signal", 12)],
    )


@pytest.fixture
def person_provider(db):
    def resolve(pk):
        if pk == PERSON_PK:
            return DataSubject(
                pk=PERSON_PK, display_name="Jan de Testpersoon", identity={"geboortedatum": "1980-01-02"}
            )
        return None

    register_person_resolver(resolve)
    register_dsar_section("test_signals", "Signalen", person_section)
    yield PERSON_PK
    unregister_person_resolver(resolve)
    unregister_dsar_section("test_signals")

"""seed_demo's signals part: realistic, linked, with M. tips and a control, and idempotent."""

import pytest

from signals import seed
from signals.models import Control, Finding, Signal, SignalSubject
from vik.core.demo import seed_org_units_and_users

pytestmark = pytest.mark.django_db


def test_seed_creates_a_year_of_signals_once(monkeypatch):
    monkeypatch.setattr(seed, "COUNT", 25)
    seed_org_units_and_users()
    summary = seed.seed_signals()
    assert summary == "25 signalen, 2 controles"
    demo = Signal.objects.filter(external_ref__startswith="DEMO-")
    assert demo.count() == 25
    assert (
        SignalSubject.objects.filter(signal__in=demo, address__isnull=False).count() >= 25
    )  # every signal has a place
    assert Control.objects.filter(control_type="dor_dol").exists()
    assert Finding.objects.filter(signal__isnull=False).count() == 1
    assert all(s.visible_to == ["t:veiligheid"] for s in demo)
    assert demo.filter(compartment="mma").exists() and demo.filter(compartment="police").exists()
    assert seed.seed_signals() == "al aanwezig"
    assert Signal.objects.filter(external_ref__startswith="DEMO-").count() == 25

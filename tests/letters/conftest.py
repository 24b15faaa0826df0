from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 4, 13)  # a Monday


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 4, 13, 10, tzinfo=AMS), tick=False) as traveller:
        yield traveller


@pytest.fixture
def analyst2(make_user):
    return make_user("analyst", username="analyst2")


@pytest.fixture
def measure(users):
    from tests.factories.measures import make_measure

    return make_measure(users["analyst"], rapportage_date=date(2026, 4, 1))


def docx_with(*lines: str) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)

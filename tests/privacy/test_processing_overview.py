"""Issue #24: the answer to a data-subject request includes the processing overview from the
processing log (which activities, how often, in which period)."""

from __future__ import annotations

import pytest

from tests.privacy.conftest import PERSON_PK
from vik.core.accesslog import log_access
from vik.core.constants import AccessAction
from vik.privacy.documents import dsar_html
from vik.privacy.services import dsar_answer, dsar_create

pytestmark = pytest.mark.django_db


def test_dsar_answer_lists_the_activities_the_persons_data_was_processed_for(users, person_provider):
    analyst, officer = users["analyst"], users["privacy_officer"]
    for _ in range(2):
        log_access(
            user=analyst,
            action=AccessAction.READ,
            kind="subjects.person",
            object_id=PERSON_PK,
            activity="bibob",
        )
    log_access(
        user=analyst,
        action=AccessAction.READ,
        kind="subjects.person",
        object_id=PERSON_PK + 1,
        activity="dashboards",
    )
    dsr = dsar_create(actor=officer, person_id=PERSON_PK)
    answer = dsar_answer(actor=officer, dsr=dsr)
    rows = {r["activity"]: r for r in answer["verwerkingen"]}
    assert rows["Bibob-onderzoek"]["count"] == 2
    assert "Wet Bibob" in rows["Bibob-onderzoek"]["legal_bases"]
    assert "Sturingsinformatie en analyses" not in rows  # another person's processing
    dsr.refresh_from_db()
    html = dsar_html(dsr)
    assert "Waarvoor de gegevens zijn verwerkt" in html and "Bibob-onderzoek" in html

"""Issue #19 item 8: long pages start with a short table of contents whose every link leads to a
section on the page (plain anchors, no script), and the casustafel page shows its agenda first."""

from __future__ import annotations

import re

import pytest

from django.utils import timezone

from tests.factories.bibob import make_dossier
from tests.factories.measures import make_measure
from tests.factories.meetings import add_free, make_meeting

pytestmark = pytest.mark.django_db


def _toc_targets(html: str) -> list[str]:
    nav = re.search(r'<nav class="vik-toc".*?</nav>', html, re.S)
    assert nav, "no table of contents"
    return re.findall(r'href="#([^"]+)"', nav.group(0))


def test_long_pages_have_a_table_of_contents_that_leads_somewhere(users, login, police_org):
    analyst, chair, bibob = users["analyst"], users["chair"], users["bibob"]
    measure = make_measure(analyst, rapportage_date=timezone.localdate())
    meeting = make_meeting(chair=chair, orgs=[police_org])
    add_free(meeting, chair, title="Eerste punt")
    dossier = make_dossier(bibob, title="Exploitatievergunning horeca")
    for user, url in (
        (analyst, f"/maatregelen/{measure.pk}/"),
        (chair, f"/casustafel/{meeting.pk}/"),
        (bibob, f"/bibob/{dossier.pk}/"),
    ):
        resp = login(user).get(url)
        assert resp.status_code == 200, url
        html = resp.content.decode()
        targets = _toc_targets(html)
        assert len(targets) >= 3, url
        for target in targets:
            assert f'id="{target}"' in html, (url, target)
    html = login(chair).get(f"/casustafel/{meeting.pk}/").content.decode()
    assert html.index('id="h-agenda"') < html.index('id="h-docs"')  # the agenda first

"""Every refused record lookup writes a ``denied`` access-log row, for every role (issue #15
item 5). The walk over every URL × refused role (404, never 403, and one denied row per refused
record) is part of the URL matrix, ``test_url_matrix.test_url_policy``; this file checks what
such a row holds."""

from __future__ import annotations

import pytest

from django.urls import reverse

from vik.core.models import AccessLog, LogRef

pytestmark = pytest.mark.django_db


def test_a_refused_subject_lookup_names_the_record_with_purpose_and_ip(login, with_purpose, make_user):
    """The denied row of a role without any subjects permission carries the record kind and id,
    the purpose and the IP (for the privacy officer's anomaly report)."""
    from tests.factories.subjects import PersonFactory

    person = PersonFactory()
    for role in ("partner", "functional_admin", "privacy_officer"):
        user = make_user(role)
        client = with_purpose(login(user), "Nagaan van een melding over deze persoon")
        resp = client.get(reverse("subjects:person_detail", kwargs={"pk": person.pk}), REMOTE_ADDR="10.1.2.3")
        assert resp.status_code == 404
        row = AccessLog.objects.get(actor_id=user.pk)
        assert (row.action, row.result, row.ref_kind, row.ip) == (
            "denied",
            "denied",
            "subjects.person",
            "10.1.2.3",
        )
        assert "Nagaan van een melding" in row.purpose
        assert LogRef.objects.get(pk=row.ref_id).object_id == person.pk

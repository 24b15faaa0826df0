"""Letters built through the services, as users do."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone

from letters import services


def docx_with(*lines: str) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def sent_voornemen(*, analyst, checker, mayor, body: list[str] | None = None, address=None):
    """A 13b measure whose voornemen letter was generated, (optionally) re-uploaded with
    ``body``, checked, approved and sent today."""
    from tests.factories.measures import make_measure

    today = timezone.localdate()
    measure = make_measure(analyst, rapportage_date=today - timedelta(days=3), address=address)
    letter = services.letter_generate(
        actor=analyst, measure=measure, kind="voornemen_sluiting", planned_date=today, signatory=mayor
    )
    if body:
        services.letter_upload(actor=analyst, letter=letter, data=docx_with(*body))
    services.letter_submit(actor=analyst, letter=letter)
    services.letter_check(actor=checker, letter=letter)
    services.letter_approve(actor=mayor, letter=letter)
    return services.letter_send(actor=analyst, letter=letter, sent_on=today)

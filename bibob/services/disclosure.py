"""Disclosure of Bibob information (art. 28 Wet Bibob)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from vik.core.exceptions import ApplicationError
from vik.core.models import User

from ..constants import ALLOWED_DISCLOSURES, LegalGround, Recipient
from ..models import BibobDossier, DisclosureRecord
from ..permissions import PERM_DISCLOSE
from .common import _lock, _not_future, _require

# --- disclosure (art. 28 Wet Bibob) ------------------------------------------------------------


@transaction.atomic
def disclosure_record(
    *,
    actor: User,
    dossier: BibobDossier,
    recipient: str,
    legal_ground: str,
    recipient_name: str,
    content: str,
    disclosed_on: date,
    about_itself_only: bool = False,
) -> DisclosureRecord:
    """Record a disclosure outside the compartment. Only the recipients and grounds of art. 28 are
    allowed; anything else is refused and nothing is recorded."""
    _require(actor, PERM_DISCLOSE)
    dossier = _lock(dossier)
    if recipient not in ALLOWED_DISCLOSURES:
        raise ApplicationError(
            _("Verstrekking aan deze ontvanger is niet toegestaan (art. 28 Wet Bibob)."), field="recipient"
        )
    if legal_ground not in ALLOWED_DISCLOSURES[recipient]:
        raise ApplicationError(
            _("Deze grondslag past niet bij deze ontvanger (art. 28 Wet Bibob)."), field="legal_ground"
        )
    if recipient == Recipient.THIRD_PARTY and not about_itself_only:
        raise ApplicationError(
            _("Aan een derde mag alleen informatie over die derde zelf worden verstrekt."),
            field="about_itself_only",
        )
    if recipient == Recipient.APPLICANT and not (dossier.voornemens.exists() or hasattr(dossier, "decision")):
        raise ApplicationError(
            _("Aan betrokkene alleen in de motivering van een voornemen of besluit."), field="recipient"
        )
    if legal_ground == LegalGround.OBJECTION_APPEAL and not hasattr(dossier, "decision"):
        raise ApplicationError(
            _("Er is nog geen besluit waartegen bezwaar of beroep loopt."), field="legal_ground"
        )
    recipient_name = " ".join((recipient_name or "").split())
    content = " ".join((content or "").split())
    if not recipient_name:
        raise ApplicationError(_("Noem de ontvanger."), field="recipient_name")
    if not content:
        raise ApplicationError(_("Beschrijf wat is verstrekt."), field="content")
    _not_future(disclosed_on, "disclosed_on")
    return DisclosureRecord.objects.create(
        dossier=dossier,
        recipient=recipient,
        recipient_name=recipient_name[:200],
        legal_ground=legal_ground,
        content=content[:500],
        disclosed_on=disclosed_on,
        actor=actor,
    )

"""Demo data: a held casustafel with approved minutes and an upcoming one with a draft agenda,
built from the seeded signals when they exist. Idempotent: a second run changes nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from vik.core.constants import Compartment, OrgKind
from vik.core.exceptions import ApplicationError
from vik.core.models import OrgUnit, User

from .constants import DecisionKind, ItemKind, MeetingState
from .models import Meeting

HELD_LOCATION = "Stadhuis Almelo, kamer 2.14 (demo: gehouden)"
UPCOMING_LOCATION = "Stadhuis Almelo, kamer 2.14 (demo: gepland)"
PARTNERS = ["politie", "riec", "odt", "srt", "twenterand"]


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _signals(chair: User) -> list:
    from signals.models import Signal
    from vik.core.access import restrict

    return list(
        restrict(Signal.objects.all(), chair)
        .exclude(status__in=["DISMISSED", "CLOSED"])
        .exclude(compartment__in=[Compartment.BIBOB, Compartment.MMA])
        .filter(agenda_items__isnull=True)
        .order_by("received_date", "id")[:4]
    )


@transaction.atomic
def seed_meetings() -> str:
    chair = User.objects.filter(username="voorzitter").first()
    if chair is None:
        return "casustafel: geen voorzitter (demo-gebruikers ontbreken), overgeslagen"
    if Meeting.objects.filter(location__in=[HELD_LOCATION, UPCOMING_LOCATION]).exists():
        return "casustafel: al aanwezig"
    from . import services

    orgs = list(OrgUnit.objects.filter(code__in=PARTNERS, kind=OrgKind.PARTNER))
    police = next((o for o in orgs if o.code == "politie"), None)
    riec = next((o for o in orgs if o.code == "riec"), None)
    signals = _signals(chair)

    # 1. The meeting of four weeks ago: held, decisions and actions recorded, minutes approved.
    held = services.meeting_create(
        actor=chair,
        starts_at=_at(-28),
        location=HELD_LOCATION,
        participant_orgs=orgs,
        participant_users=[chair],
    )
    items = []
    for signal in signals[:2]:
        try:
            items.append(services.item_add(actor=chair, meeting=held, kind=ItemKind.SIGNAL, ref_id=signal.pk))
        except ApplicationError:
            continue
    items.append(
        services.item_add(
            actor=chair,
            meeting=held,
            kind=ItemKind.FREE,
            title="Integrale controle bedrijventerrein Bornsestraat",
            summary="Voorbereiding van de integrale controle van bedrijfspanden en garageboxen.",
        )
    )
    for n, item in enumerate(items):
        share = [o for o in ([police] if item.compartment == Compartment.POLICE else [police, riec]) if o]
        services.item_update(
            actor=chair,
            item=item,
            title=item.title,
            summary=item.summary or "Signaal van ondermijning; bespreking van de vervolgstappen.",
            visible_orgs=share if n != 1 else [o for o in [police] if o],
        )
    services.meeting_transition(actor=chair, meeting=held, to_state=MeetingState.AGENDA_LOCKED)
    services.meeting_transition(actor=chair, meeting=held, to_state=MeetingState.HELD)
    held.refresh_from_db()
    for item in items:
        try:
            services.decision_record(
                actor=chair, item=item, kind=DecisionKind.LOCAL, text="Gemeente pakt dit lokaal op."
            )
        except ApplicationError:
            services.decision_record(
                actor=chair, item=item, kind=DecisionKind.OTHER, text="Volgende casustafel opnieuw bespreken."
            )
        owner = police if police and item.visible_orgs.filter(pk=police.pk).exists() else None
        services.action_create(
            actor=chair,
            item=item,
            description="Informatie over het pand delen met de gemeente"
            if owner
            else "Bestuurlijke rapportage opvragen",
            owner_org=owner or chair.org_unit,
            owner_user=User.objects.filter(username="politie").first() if owner else chair,
            due_date=timezone.localdate() - timedelta(days=3),
        )
    services.meeting_transition(actor=chair, meeting=held, to_state=MeetingState.MINUTES_DRAFT)
    services.meeting_transition(actor=chair, meeting=held, to_state=MeetingState.MINUTES_APPROVED)

    # 2. The next meeting, in ten days: a draft agenda.
    upcoming = services.meeting_create(
        actor=chair,
        starts_at=_at(10),
        location=UPCOMING_LOCATION,
        participant_orgs=orgs,
        participant_users=[chair],
    )
    for signal in signals[2:4]:
        try:
            services.item_add(actor=chair, meeting=upcoming, kind=ItemKind.SIGNAL, ref_id=signal.pk)
        except ApplicationError:
            continue
    services.item_add(
        actor=chair,
        meeting=upcoming,
        kind=ItemKind.FREE,
        title="Terugkoppeling ODT: signalen uit milieutoezicht",
        summary="De Omgevingsdienst Twente licht de signalen uit het toezicht van het afgelopen kwartaal toe.",
    )
    return f"casustafel: 2 overleggen ({len(items)} besproken punten, {len(signals[2:4]) + 1} op de conceptagenda)"

"""Demo measures for ``seed_demo`` (registered in apps.py), driven through the real services so
that every event and term is what the procedure would produce. Idempotent: demo measures are
recognised by their prefix."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

DEMO_PREFIX = "Demo: "


def _demo_subjects(team):
    from subjects.models import Address, Person
    from subjects.names import name_key

    addresses = list(Address.objects.filter(owner_team=team, merged_into_id__isnull=True).order_by("id")[:12])
    persons = list(Person.objects.filter(owner_team=team, merged_into_id__isnull=True).order_by("id")[:4])
    if len(addresses) < 12:
        from vik.core.access import init_visibility

        streets = [
            "Grotestraat",
            "Wierdensestraat",
            "Ootmarsumsestraat",
            "Bornsestraat",
            "Schuttersveld",
            "Windmolenbroek",
        ]
        for i in range(len(addresses), 12):
            a = Address.objects.create(
                street=streets[i % len(streets)],
                house_number=10 + i,
                postcode=f"76{(i % 9) + 1}1AB",
                town="Almelo",
                gemeente_code="GM0141",
                owner_team=team,
                source="demo (maatregelen)",
            )
            init_visibility(a)
            addresses.append(a)
    if len(persons) < 2:
        from vik.core.access import init_visibility

        for first, last in [("Ricardo", "Hendriks"), ("Dennis", "Kok")][len(persons) :]:
            p = Person.objects.create(
                voornamen=first,
                geslachtsnaam=last,
                name_normalised=name_key(last),
                owner_team=team,
                source="demo (maatregelen)",
            )
            init_visibility(p)
            persons.append(p)
    return addresses, persons


def seed_demo() -> str:
    """Measures in every state, including one with a deadline today and one overdue. Idempotent:
    does nothing when the demo measures exist."""
    from vik.core.access import share_grant
    from vik.core.models import OrgUnit, User

    from .constants import EventType, MeasureKind
    from .models import Measure
    from .services import forfeiture_invordering, forfeiture_record, measure_create, measure_event_record

    if Measure.objects.filter(title__startswith=DEMO_PREFIX).exists():
        return "al aanwezig"
    analyst = User.objects.filter(username="analist").first()
    mayor = User.objects.filter(username="burgemeester").first()
    team = OrgUnit.objects.filter(code="veiligheid").first()
    if analyst is None or mayor is None or team is None:
        return "overgeslagen (demo-gebruikers ontbreken)"
    bestuur = OrgUnit.objects.filter(code="bestuur").first()
    addresses, persons = _demo_subjects(team)
    today = timezone.localdate()
    ago = lambda n: today - timedelta(days=n)  # noqa: E731
    lod = {"amount_per_violation": "5000", "maximum_amount": "20000"}

    front = [
        (EventType.VOORNEMEN, 120, {}),
        (EventType.ZIENSWIJZE_ONTVANGEN, 110, {}),
        (EventType.BESLUIT, 100, {}),
        (EventType.BEKENDMAKING, 98, {}),
    ]
    scripts = [
        (MeasureKind.CLOSURE_13B_HOME, "hennepkwekerij zolder", 0, 3, []),
        (
            MeasureKind.CLOSURE_13B_PREMISES,
            "handel vanuit garagebox (zienswijze vandaag)",
            1,
            20,
            [(EventType.VOORNEMEN, 14, {"zienswijze_days": 14})],
        ),
        (
            MeasureKind.CLOSURE_13B_HOME,
            "harddrugs in woning (zienswijzetermijn verstreken)",
            2,
            30,
            [(EventType.VOORNEMEN, 20, {"zienswijze_days": 14})],
        ),
        (
            MeasureKind.CLOSURE_13B_HOME,
            "softdrugs woning, waarschuwing",
            3,
            40,
            [(EventType.WAARSCHUWING, 35, {})],
        ),
        (
            MeasureKind.CLOSURE_13B_PREMISES,
            "coffeeshop-achterdeur (zienswijze ontvangen)",
            4,
            40,
            [(EventType.VOORNEMEN, 30, {}), (EventType.ZIENSWIJZE_ONTVANGEN, 20, {})],
        ),
        (
            MeasureKind.CLOSURE_13B_HOME,
            "opslag harddrugs (zienswijze verlopen)",
            5,
            60,
            [(EventType.VOORNEMEN, 50, {}), (EventType.ZIENSWIJZE_VERLOPEN, 30, {})],
        ),
        (
            MeasureKind.CLOSURE_13B_PREMISES,
            "besluit genomen",
            6,
            60,
            [
                (EventType.VOORNEMEN, 55, {}),
                (EventType.ZIENSWIJZE_ONTVANGEN, 45, {}),
                (EventType.BESLUIT, 5, {}),
            ],
        ),
        (
            MeasureKind.CLOSURE_13B_HOME,
            "bekendgemaakt, bezwaartermijn loopt",
            7,
            60,
            [
                (EventType.VOORNEMEN, 55, {}),
                (EventType.ZIENSWIJZE_ONTVANGEN, 45, {}),
                (EventType.BESLUIT, 12, {}),
                (EventType.BEKENDMAKING, 10, {}),
            ],
        ),
        (
            MeasureKind.CLOSURE_13B_PREMISES,
            "begunstigingstermijn loopt",
            8,
            130,
            front + [(EventType.BEGUNSTIGING, 5, {"days": 14})],
        ),
        (
            MeasureKind.CLOSURE_13B_HOME,
            "gesloten, bezwaar en voorlopige voorziening",
            9,
            130,
            front
            + [
                (EventType.BEGUNSTIGING, 96, {"days": 14}),
                (EventType.SLUITING_START, 80, {}),
                (EventType.BEZWAAR, 70, {}),
                (EventType.VV_AANGEVRAAGD, 60, {}),
                (EventType.VV_AFGEWEZEN, 40, {}),
            ],
        ),
        (
            MeasureKind.CLOSURE_13B_PREMISES,
            "heropend, kostenverhaal",
            10,
            400,
            [
                (EventType.VOORNEMEN, 390, {}),
                (EventType.ZIENSWIJZE_VERLOPEN, 370, {}),
                (EventType.BESLUIT, 360, {}),
                (EventType.BEKENDMAKING, 358, {}),
                (EventType.BEGUNSTIGING, 357, {"days": 14}),
                (EventType.SLUITING_START, 340, {}),
                (EventType.SLUITING_EINDE, 157, {}),
                (EventType.KOSTENVERHAAL, 150, {"amount": "1850,00"}),
            ],
        ),
        (
            MeasureKind.CLOSURE_13B_HOME,
            "afgerond",
            11,
            500,
            [
                (EventType.VOORNEMEN, 490, {}),
                (EventType.ZIENSWIJZE_VERLOPEN, 470, {}),
                (EventType.BESLUIT, 460, {}),
                (EventType.BEKENDMAKING, 455, {}),
                (EventType.SLUITING_START, 440, {}),
                (EventType.SLUITING_EINDE, 256, {}),
                (EventType.AFRONDING, 250, {}),
            ],
        ),
        (
            MeasureKind.CLOSURE_13B_PREMISES,
            "afgezien na zienswijze",
            0,
            90,
            [
                (EventType.VOORNEMEN, 80, {}),
                (EventType.ZIENSWIJZE_ONTVANGEN, 70, {}),
                (EventType.INTREKKING, 60, {}),
            ],
        ),
        (
            MeasureKind.CLOSURE_PROSTITUTION,
            "illegale prostitutie, gesloten",
            1,
            130,
            # no matrix for this closure: the besluit states its duration itself
            [
                *front[:2],
                (EventType.BESLUIT, 100, {"duration_months": 6}),
                front[3],
                (EventType.SLUITING_START, 90, {}),
            ],
        ),
        (
            MeasureKind.CLOSURE_GAMBLING,
            "illegaal gokken, besluit",
            2,
            50,
            [
                (EventType.VOORNEMEN, 45, {}),
                (EventType.ZIENSWIJZE_VERLOPEN, 25, {}),
                (EventType.BESLUIT, 3, {"duration_months": 3}),
            ],
        ),
        (
            MeasureKind.LOB,
            "illegale bouw hennepruimte, bestuursdwang",
            3,
            200,
            [
                (EventType.VOORNEMEN, 190, {}),
                (EventType.ZIENSWIJZE_VERLOPEN, 170, {}),
                (EventType.BESLUIT, 160, {}),
                (EventType.BEKENDMAKING, 158, {}),
                (EventType.BEGUNSTIGING, 158, {"days": 14}),
                (EventType.BESTUURSDWANG, 130, {}),
                (EventType.KOSTENVERHAAL, 100, {"amount": "3200"}),
            ],
        ),
        (
            MeasureKind.CLOSURE_GAMBLING,
            "gokpand, sluiting beëindigd",
            5,
            300,
            [
                (EventType.VOORNEMEN, 290, {}),
                (EventType.ZIENSWIJZE_VERLOPEN, 270, {}),
                (EventType.BESLUIT, 260, {"duration_months": 6}),
                (EventType.BEKENDMAKING, 258, {}),
                (EventType.SLUITING_START, 240, {}),
                (EventType.SLUITING_EINDE, 58, {}),
            ],
        ),
        (
            MeasureKind.LOB,
            "illegale opslag chemicaliën, bestuursdwang toegepast",
            6,
            60,
            [
                (
                    EventType.BESTUURSDWANG,
                    50,
                    {"urgency_reason": "Acuut brand- en explosiegevaar (art. 5:31 Awb)"},
                )
            ],
        ),
        (
            MeasureKind.LOB,
            "opslag vuurwerk, last nagekomen",
            4,
            60,
            [
                (EventType.VOORNEMEN, 55, {}),
                (EventType.ZIENSWIJZE_VERLOPEN, 35, {}),
                (EventType.BESLUIT, 30, {}),
                (EventType.BEKENDMAKING, 28, {}),
                (EventType.LAST_NAGEKOMEN, 10, {}),
            ],
        ),
        (
            MeasureKind.LOD,
            "drugshandel op straat",
            None,
            200,
            [
                (EventType.VOORNEMEN, 190, {}),
                (EventType.ZIENSWIJZE_VERLOPEN, 170, {}),
                (EventType.BESLUIT, 160, lod),
                (EventType.BEKENDMAKING, 158, {}),
                (EventType.LAST_IN_WERKING, 158, {}),
            ],
        ),
        (
            MeasureKind.LOD,
            "inbrekerswerktuigen, maximum verbeurd",
            None,
            400,
            [
                (EventType.VOORNEMEN, 390, {}),
                (EventType.ZIENSWIJZE_VERLOPEN, 370, {}),
                (EventType.BESLUIT, 360, {"amount_per_violation": "2500", "maximum_amount": "5000"}),
                (EventType.BEKENDMAKING, 358, {}),
                (EventType.LAST_IN_WERKING, 358, {}),
            ],
        ),
        (
            MeasureKind.LOD,
            "illegale seksinrichting, last beëindigd",
            None,
            300,
            [
                (EventType.VOORNEMEN, 290, {}),
                (EventType.ZIENSWIJZE_VERLOPEN, 270, {}),
                (EventType.BESLUIT, 260, lod),
                (EventType.BEKENDMAKING, 258, {}),
                (EventType.LAST_IN_WERKING, 258, {}),
                (EventType.LAST_BEEINDIGD, 20, {}),
            ],
        ),
    ]
    created = 0
    for i, (kind, title, addr_index, start, steps) in enumerate(scripts):
        person = persons[i % len(persons)] if kind in (MeasureKind.LOD, MeasureKind.LOB) else None
        measure = measure_create(
            actor=analyst,
            kind=kind,
            title=DEMO_PREFIX + title,
            rapportage_date=ago(start),
            address=addresses[addr_index] if addr_index is not None else None,
            person=person,
            responsible=analyst,
            owner_team=team,
        )
        if bestuur is not None:
            share_grant(obj=measure, target=bestuur, actor=analyst, reason="ter besluitvorming")
        for code, days_ago, params in steps:
            actor = mayor if code == EventType.BESLUIT else analyst
            measure_event_record(
                actor=actor, measure=measure, event=code, on=ago(days_ago), params=dict(params)
            )
        measure.refresh_from_db()
        if kind == MeasureKind.LOD and "maximum" in title:
            forfeiture_record(
                actor=analyst, measure=measure, forfeited_on=ago(300), description="werktuigen bij zich"
            )
            forfeiture_record(
                actor=analyst, measure=measure, forfeited_on=ago(200), description="opnieuw aangetroffen"
            )
        elif kind == MeasureKind.LOD and "straat" in title:
            f = forfeiture_record(
                actor=analyst, measure=measure, forfeited_on=ago(100), description="dealen Grotestraat"
            )
            forfeiture_invordering(actor=analyst, forfeiture=f, on=ago(50))
            forfeiture_record(
                actor=analyst, measure=measure, forfeited_on=ago(10), description="dealen stationsplein"
            )
        created += 1
    return f"{created} maatregelen"

"""What the measures app registers with the core: subject timeline entries, the home widget
"Mijn termijnen" and the demo seeder."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from vik.core.access import restrict
from vik.core.registry import TimelineEntry

_SUBJECT_FIELD = {"person": "person", "organisation": "organisation", "address": "address"}


def subject_timeline(user, subject) -> list[TimelineEntry]:
    """Measures on this person/organisation/address with their legal dates (events and open
    deadlines), only those the user may see. One query: each measure carries its events and open
    deadlines as arrays."""
    from .constants import EventType
    from .models import Deadline, Measure, MeasureEvent

    field = _SUBJECT_FIELD.get(str(getattr(subject, "kind", "")))
    if field is None:
        return []
    events = (
        MeasureEvent.objects.filter(measure=OuterRef("pk"))
        .order_by("seq")
        .values(row=JSONObject(date="date", code="code"))
    )
    deadlines = (
        Deadline.objects.filter(measure=OuterRef("pk"), done=False)
        .order_by("due_date", "id")
        .values(row=JSONObject(due_date="due_date", label="label"))
    )
    measures = (
        restrict(Measure.objects.filter(**{field: subject}), user)
        .only("pk", "kind")
        .annotate(event_rows=ArraySubquery(events), deadline_rows=ArraySubquery(deadlines))
    )
    event_labels = dict(EventType.choices)
    entries: list[TimelineEntry] = []
    for m in measures:
        url = reverse("measures:detail", kwargs={"pk": m.pk})
        for ev in m.event_rows:
            entries.append(
                TimelineEntry(
                    date=date.fromisoformat(ev["date"]),
                    kind="measure",
                    title=f"{m.reference} {m.get_kind_display()}: {event_labels.get(ev['code'], ev['code'])}",
                    url=url,
                )
            )
        for d in m.deadline_rows:
            entries.append(
                TimelineEntry(
                    date=date.fromisoformat(d["due_date"]),
                    kind="deadline",
                    title=f"{m.reference}: {d['label']}",
                    url=url,
                    detail=_("uiterste datum"),
                )
            )
    return entries


def deadlines_widget(user):
    if not user.has_perm("measures.view_measure"):
        return None
    from vik.core.deadline_state import date_and_badge_html, deadline_state

    from .selectors import my_deadlines

    today = timezone.localdate()
    mine = my_deadlines(user=user, today=today)
    rows = (mine.overdue + mine.today + mine.this_week)[:6]
    summary = format_html(
        '<p><span class="vik-tag vik-tag--danger">{} {}</span> <span class="vik-tag vik-tag--warn">{} {}</span> '
        '<span class="vik-tag">{} {}</span></p>',
        len(mine.overdue),
        _("verstreken"),
        len(mine.today),
        _("vandaag"),
        len(mine.this_week),
        _("deze week"),
    )
    items = format_html_join(
        "",
        '<li><a class="utrecht-link" href="{}">{}</a> – {} {}</li>',
        (
            (
                reverse("measures:detail", kwargs={"pk": d.measure_id}),
                d.measure.reference,
                d.label,
                date_and_badge_html(deadline_state(d.due_date, today=today)),
            )
            for d in rows
        ),
    )
    html = format_html(
        '{}<ul>{}</ul><p><a class="utrecht-link" href="{}">{}</a></p>',
        summary,
        items,
        reverse("measures:my_deadlines"),
        _("Alle termijnen"),
    )
    return {"title": _("Mijn termijnen"), "html": html}


# --- demo data ------------------------------------------------------------------------------------

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

    from .constants import EventType as E
    from .constants import MeasureKind as K
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
        (E.VOORNEMEN, 120, {}),
        (E.ZIENSWIJZE_ONTVANGEN, 110, {}),
        (E.BESLUIT, 100, {}),
        (E.BEKENDMAKING, 98, {}),
    ]
    scripts = [
        (K.CLOSURE_13B_HOME, "hennepkwekerij zolder", 0, 3, []),
        (
            K.CLOSURE_13B_PREMISES,
            "handel vanuit garagebox (zienswijze vandaag)",
            1,
            20,
            [(E.VOORNEMEN, 14, {"zienswijze_days": 14})],
        ),
        (
            K.CLOSURE_13B_HOME,
            "harddrugs in woning (zienswijzetermijn verstreken)",
            2,
            30,
            [(E.VOORNEMEN, 20, {"zienswijze_days": 14})],
        ),
        (K.CLOSURE_13B_HOME, "softdrugs woning, waarschuwing", 3, 40, [(E.WAARSCHUWING, 35, {})]),
        (
            K.CLOSURE_13B_PREMISES,
            "coffeeshop-achterdeur (zienswijze ontvangen)",
            4,
            40,
            [(E.VOORNEMEN, 30, {}), (E.ZIENSWIJZE_ONTVANGEN, 20, {})],
        ),
        (
            K.CLOSURE_13B_HOME,
            "opslag harddrugs (zienswijze verlopen)",
            5,
            60,
            [(E.VOORNEMEN, 50, {}), (E.ZIENSWIJZE_VERLOPEN, 30, {})],
        ),
        (
            K.CLOSURE_13B_PREMISES,
            "besluit genomen",
            6,
            60,
            [(E.VOORNEMEN, 55, {}), (E.ZIENSWIJZE_ONTVANGEN, 45, {}), (E.BESLUIT, 5, {})],
        ),
        (
            K.CLOSURE_13B_HOME,
            "bekendgemaakt, bezwaartermijn loopt",
            7,
            60,
            [
                (E.VOORNEMEN, 55, {}),
                (E.ZIENSWIJZE_ONTVANGEN, 45, {}),
                (E.BESLUIT, 12, {}),
                (E.BEKENDMAKING, 10, {}),
            ],
        ),
        (
            K.CLOSURE_13B_PREMISES,
            "begunstigingstermijn loopt",
            8,
            130,
            front + [(E.BEGUNSTIGING, 5, {"days": 14})],
        ),
        (
            K.CLOSURE_13B_HOME,
            "gesloten, bezwaar en voorlopige voorziening",
            9,
            130,
            front
            + [
                (E.BEGUNSTIGING, 96, {"days": 14}),
                (E.SLUITING_START, 80, {}),
                (E.BEZWAAR, 70, {}),
                (E.VV_AANGEVRAAGD, 60, {}),
                (E.VV_AFGEWEZEN, 40, {}),
            ],
        ),
        (
            K.CLOSURE_13B_PREMISES,
            "heropend, kostenverhaal",
            10,
            400,
            [
                (E.VOORNEMEN, 390, {}),
                (E.ZIENSWIJZE_VERLOPEN, 370, {}),
                (E.BESLUIT, 360, {}),
                (E.BEKENDMAKING, 358, {}),
                (E.BEGUNSTIGING, 357, {"days": 14}),
                (E.SLUITING_START, 340, {}),
                (E.SLUITING_EINDE, 157, {}),
                (E.KOSTENVERHAAL, 150, {"amount": "1850,00"}),
            ],
        ),
        (
            K.CLOSURE_13B_HOME,
            "afgerond",
            11,
            500,
            [
                (E.VOORNEMEN, 490, {}),
                (E.ZIENSWIJZE_VERLOPEN, 470, {}),
                (E.BESLUIT, 460, {}),
                (E.BEKENDMAKING, 455, {}),
                (E.SLUITING_START, 440, {}),
                (E.SLUITING_EINDE, 256, {}),
                (E.AFRONDING, 250, {}),
            ],
        ),
        (
            K.CLOSURE_13B_PREMISES,
            "afgezien na zienswijze",
            0,
            90,
            [(E.VOORNEMEN, 80, {}), (E.ZIENSWIJZE_ONTVANGEN, 70, {}), (E.INTREKKING, 60, {})],
        ),
        (
            K.CLOSURE_PROSTITUTION,
            "illegale prostitutie, gesloten",
            1,
            130,
            # no matrix for this closure: the besluit states its duration itself
            [*front[:2], (E.BESLUIT, 100, {"duration_months": 6}), front[3], (E.SLUITING_START, 90, {})],
        ),
        (
            K.CLOSURE_GAMBLING,
            "illegaal gokken, besluit",
            2,
            50,
            [(E.VOORNEMEN, 45, {}), (E.ZIENSWIJZE_VERLOPEN, 25, {}), (E.BESLUIT, 3, {"duration_months": 3})],
        ),
        (
            K.LOB,
            "illegale bouw hennepruimte, bestuursdwang",
            3,
            200,
            [
                (E.VOORNEMEN, 190, {}),
                (E.ZIENSWIJZE_VERLOPEN, 170, {}),
                (E.BESLUIT, 160, {}),
                (E.BEKENDMAKING, 158, {}),
                (E.BEGUNSTIGING, 158, {"days": 14}),
                (E.BESTUURSDWANG, 130, {}),
                (E.KOSTENVERHAAL, 100, {"amount": "3200"}),
            ],
        ),
        (
            K.CLOSURE_GAMBLING,
            "gokpand, sluiting beëindigd",
            5,
            300,
            [
                (E.VOORNEMEN, 290, {}),
                (E.ZIENSWIJZE_VERLOPEN, 270, {}),
                (E.BESLUIT, 260, {"duration_months": 6}),
                (E.BEKENDMAKING, 258, {}),
                (E.SLUITING_START, 240, {}),
                (E.SLUITING_EINDE, 58, {}),
            ],
        ),
        (
            K.LOB,
            "illegale opslag chemicaliën, bestuursdwang toegepast",
            6,
            60,
            [(E.BESTUURSDWANG, 50, {"urgency_reason": "Acuut brand- en explosiegevaar (art. 5:31 Awb)"})],
        ),
        (
            K.LOB,
            "opslag vuurwerk, last nagekomen",
            4,
            60,
            [
                (E.VOORNEMEN, 55, {}),
                (E.ZIENSWIJZE_VERLOPEN, 35, {}),
                (E.BESLUIT, 30, {}),
                (E.BEKENDMAKING, 28, {}),
                (E.LAST_NAGEKOMEN, 10, {}),
            ],
        ),
        (
            K.LOD,
            "drugshandel op straat",
            None,
            200,
            [
                (E.VOORNEMEN, 190, {}),
                (E.ZIENSWIJZE_VERLOPEN, 170, {}),
                (E.BESLUIT, 160, lod),
                (E.BEKENDMAKING, 158, {}),
                (E.LAST_IN_WERKING, 158, {}),
            ],
        ),
        (
            K.LOD,
            "inbrekerswerktuigen, maximum verbeurd",
            None,
            400,
            [
                (E.VOORNEMEN, 390, {}),
                (E.ZIENSWIJZE_VERLOPEN, 370, {}),
                (E.BESLUIT, 360, {"amount_per_violation": "2500", "maximum_amount": "5000"}),
                (E.BEKENDMAKING, 358, {}),
                (E.LAST_IN_WERKING, 358, {}),
            ],
        ),
        (
            K.LOD,
            "illegale seksinrichting, last beëindigd",
            None,
            300,
            [
                (E.VOORNEMEN, 290, {}),
                (E.ZIENSWIJZE_VERLOPEN, 270, {}),
                (E.BESLUIT, 260, lod),
                (E.BEKENDMAKING, 258, {}),
                (E.LAST_IN_WERKING, 258, {}),
                (E.LAST_BEEINDIGD, 20, {}),
            ],
        ),
    ]
    created = 0
    for i, (kind, title, addr_index, start, steps) in enumerate(scripts):
        person = persons[i % len(persons)] if kind in (K.LOD, K.LOB) else None
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
            actor = mayor if code == E.BESLUIT else analyst
            measure_event_record(
                actor=actor, measure=measure, event=code, on=ago(days_ago), params=dict(params)
            )
        measure.refresh_from_db()
        if kind == K.LOD and "maximum" in title:
            forfeiture_record(
                actor=analyst, measure=measure, forfeited_on=ago(300), description="werktuigen bij zich"
            )
            forfeiture_record(
                actor=analyst, measure=measure, forfeited_on=ago(200), description="opnieuw aangetroffen"
            )
        elif kind == K.LOD and "straat" in title:
            f = forfeiture_record(
                actor=analyst, measure=measure, forfeited_on=ago(100), description="dealen Grotestraat"
            )
            forfeiture_invordering(actor=analyst, forfeiture=f, on=ago(50))
            forfeiture_record(
                actor=analyst, measure=measure, forfeited_on=ago(10), description="dealen stationsplein"
            )
        created += 1
    return f"{created} maatregelen"

"""Demo data (seed_demo, order 20): a year of synthetic signals for Almelo linked to the seeded
subjects, some M. tips, and controls with findings. Idempotent: demo signals carry an external
reference ``DEMO-NNNN`` and are created only once."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from subjects.models import Address, Organisation, Person, Vehicle
from subjects.services import address_create
from vik.core import synthetic
from vik.core.access import is_visible
from vik.core.models import OrgUnit, User

from . import services
from .constants import ControlPartner, ControlType, FindingType, FollowUp, LegalRegime, SignalStatus
from .models import Control, Phenomenon, Signal, SignalSource
from .reference import ensure_reference_lists

COUNT = 160

TEMPLATES = {
    "hennep": [
        (
            "Sterke hennepgeur en dichtgeplakte ramen bij woning",
            "Buurtbewoners melden al weken een sterke geur en een zoemend geluid. Ramen op de zolder zijn afgeplakt.",
        ),
        (
            "Afwijkend stroomverbruik gemeld door netbeheerder",
            "De netbeheerder meldt een verbruik dat past bij een kwekerij; de meter lijkt te zijn omgeleid.",
        ),
    ],
    "drugs": [
        (
            "Veel kortdurend bezoek aan woning, vermoeden drugshandel",
            "Bezoekers blijven enkele minuten, vaak laat op de avond, met auto's met buitenlandse kentekens.",
        ),
        (
            "Dealen op straat bij winkelcentrum",
            "Jongeren worden aangesproken en er wordt iets overhandigd bij de achteringang van het winkelcentrum.",
        ),
    ],
    "kamerverhuur": [
        (
            "Vermoeden van illegale kamerverhuur aan arbeidsmigranten",
            "In een eengezinswoning lijken meer dan tien personen te verblijven; er staan busjes van een uitzendbureau voor de deur.",
        ),
    ],
    "mensenhandel": [
        (
            "Signalen van uitbuiting van arbeidsmigranten",
            "Bewoners werken lange dagen en moeten huur en vervoer aan dezelfde persoon betalen.",
        ),
    ],
    "prostitutie": [
        (
            "Vermoeden van illegale prostitutie in woning",
            "Advertenties op internet verwijzen naar dit adres; wisselende vrouwen verblijven er kort.",
        ),
    ],
    "gokken": [
        (
            "Illegale gokkasten in achterruimte van café",
            "In een afgesloten ruimte achter het café staan speelautomaten zonder vergunning.",
        ),
    ],
    "zorgfraude": [
        (
            "Zorgaanbieder declareert zorg die niet geleverd lijkt te worden",
            "Cliënten van beschermd wonen zeggen geen begeleiding te krijgen; de aanbieder declareert volledige uren.",
        ),
    ],
    "witwassen": [
        (
            "Contante aankoop van bedrijfspand zonder duidelijke herkomst van geld",
            "Het pand is contant betaald door een pas opgerichte BV met een bestuurder zonder zichtbaar inkomen.",
        ),
    ],
    "vuurwerk": [
        (
            "Opslag van illegaal vuurwerk in garagebox",
            "Melder ziet regelmatig dozen met Poolse opschriften de garagebox in gaan.",
        ),
    ],
    "horeca": [
        (
            "Shishalounge open buiten vergunde tijden, exploitant onduidelijk",
            "De zaak is tot diep in de nacht open; op de vergunning staat een andere exploitant dan die er werkt.",
        ),
    ],
    "vastgoed": [
        (
            "Snelle doorverkoop van panden via steeds andere BV's",
            "Drie panden in dezelfde straat zijn binnen een jaar meerdere keren doorverkocht met grote prijsverschillen.",
        ),
    ],
    "heling": [
        (
            "Opkoper niet aangemeld bij het DOL, mogelijke heling van fietsen",
            "Er worden veel dure e-bikes aangeboden zonder aankoopbewijs.",
        ),
    ],
    "inbrekerswerktuigen": [
        (
            "Persoon aangetroffen met inbrekerswerktuigen in auto",
            "Bij een controle zijn een koevoet, een slagpin en schroevendraaiers in de kofferbak aangetroffen.",
        ),
    ],
    "geweld": [
        (
            "Geweldsincident bij bedrijfspand, mogelijke afpersing",
            "De eigenaar wil geen aangifte doen; er zijn eerder ruiten ingegooid.",
        ),
    ],
    "fraude": [
        (
            "Vermoeden van adresfraude: meer inschrijvingen dan bewoners",
            "Op het adres staan veel meer personen ingeschreven dan er kunnen wonen.",
        ),
    ],
}
SOURCE_WEIGHTS = [
    ("politie", 30),
    ("mma", 15),
    ("odt", 10),
    ("intern", 15),
    ("controle", 8),
    ("riec", 5),
    ("srt", 7),
    ("belastingdienst", 3),
    ("gemeente", 4),
    ("overig", 3),
]
MMA_CODES = ["drugs", "hennep", "vuurwerk", "gokken", "fraude", "horeca", "kamerverhuur"]


def _demo_addresses(team: OrgUnit, actor: User, rng: random.Random) -> list[Address]:
    """The subjects seeder (order 10) normally made them; otherwise make a few here."""
    addresses = list(
        Address.objects.filter(merged_into_id__isnull=True, owner_team=team).order_by("id")[:300]
    )
    if addresses:
        return addresses
    return [
        address_create(actor=actor, owner_team=team, source="demo", **synthetic.almelo_address(rng))
        for _i in range(12)
    ]


def seed_signals() -> str:
    ensure_reference_lists()
    if Signal.objects.filter(external_ref__startswith="DEMO-").exists():
        return "al aanwezig"
    team = OrgUnit.objects.filter(code="veiligheid").first()
    analyst = User.objects.filter(username="analist").first()
    if team is None or analyst is None:
        return "overgeslagen: team veiligheid of gebruiker analist ontbreekt"
    chair = User.objects.filter(username="voorzitter").first() or analyst
    analyst2 = User.objects.filter(username="analist2").first() or analyst
    rng = random.Random(20)
    today = timezone.localdate()
    sources = {s.code: s for s in SignalSource.objects.all()}
    phenomena = {p.code: p for p in Phenomenon.objects.all()}
    addresses = _demo_addresses(team, analyst, rng)
    persons = list(Person.objects.filter(merged_into_id__isnull=True, owner_team=team).order_by("id")[:300])
    organisations = list(
        Organisation.objects.filter(merged_into_id__isnull=True, owner_team=team).order_by("id")[:200]
    )
    vehicles = list(Vehicle.objects.filter(merged_into_id__isnull=True, owner_team=team).order_by("id")[:100])
    codes, weights = zip(*SOURCE_WEIGHTS, strict=True)
    made = 0
    for i in range(COUNT):
        source = sources[rng.choices(codes, weights=weights)[0]]
        code = rng.choice(MMA_CODES) if source.code == "mma" else rng.choice(list(TEMPLATES))
        summary, narrative = rng.choice(TEMPLATES[code])
        extra = [phenomena[code]]
        if code in ("hennep", "drugs") and rng.random() < 0.3:
            extra.append(phenomena["witwassen"])
        address = rng.choice(addresses)
        links = [(address, "locatie")]
        if persons and rng.random() < 0.6:
            links.append((rng.choice(persons), "verdachte"))
        if (
            organisations
            and code in ("horeca", "vastgoed", "witwassen", "zorgfraude", "gokken")
            and rng.random() < 0.7
        ):
            links.append((rng.choice(organisations), "exploitant"))
        if vehicles and rng.random() < 0.15:
            links.append((rng.choice(vehicles), "voertuig"))
        police = source.code == "politie"
        if source.code == "mma":
            summary = f"M-melding over {phenomena[code].label.lower()} in {address.town or 'Almelo'}"
            narrative = f"Anonieme melder: {narrative.lower()}"
        received = today - timedelta(days=rng.randint(0, 364))
        signal = services.signal_create(
            actor=analyst,
            source=source,
            received_date=received,
            phenomena=extra,
            summary=f"{summary} ({address.street})" if source.code != "mma" else summary,
            narrative=narrative,
            reliability_source=rng.choice("ABBCXX"),
            reliability_information=rng.choice("12334"),
            legal_regime=LegalRegime.WPG if police else LegalRegime.AVG,
            wpg_conditions="Verstrekt op grond van art. 16 Wpg voor de bestuurlijke aanpak; niet verder verstrekken."
            if police
            else "",
            external_ref=f"DEMO-{i + 1:04d}",
            owner_team=team,
            links=links,
        )
        _advance(signal, rng, analyst, chair, analyst2, age=(today - received).days)
        made += 1
    controls = _seed_controls(team, analyst, addresses, rng)
    return f"{made} signalen, {controls} controles"


def _advance(
    signal: Signal, rng: random.Random, analyst: User, chair: User, analyst2: User, *, age: int
) -> None:
    """Older signals have moved further through the workflow."""
    steps = 0 if age < 7 else rng.choice([1, 2, 2, 3, 3, 4, 5]) if age > 30 else rng.choice([0, 1, 2])
    if steps >= 1:
        candidate = rng.choice([analyst, analyst2])
        services.signal_assign(
            actor=analyst, signal=signal, assignee=candidate if is_visible(candidate, signal) else analyst
        )
        signal = services.signal_transition(
            actor=analyst, signal=signal, to_status=SignalStatus.TRIAGE, reason="Triage gestart"
        )
    if steps >= 2:
        if rng.random() < 0.2:
            services.signal_transition(
                actor=analyst,
                signal=signal,
                to_status=SignalStatus.DISMISSED,
                reason="Voldoet niet aan de objectieve indicatoren van ondermijning",
            )
            return
        if signal.is_mma:
            signal = services.signal_transition(
                actor=analyst,
                signal=signal,
                to_status=SignalStatus.POLICE_ALIGNMENT_PENDING,
                reason="Afstemming met politie nodig",
            )
            if rng.random() < 0.5:
                return
            signal = services.signal_record_police_alignment(
                actor=chair,
                signal=signal,
                note="Besproken in lokaal ondermijningsoverleg; politie heeft geen bezwaar tegen bestuurlijke opvolging",
            )
        else:
            signal = services.signal_transition(
                actor=analyst,
                signal=signal,
                to_status=SignalStatus.ENRICHMENT,
                reason="Verrijken met registraties",
            )
    if steps >= 3:
        signal = services.signal_transition(
            actor=analyst, signal=signal, to_status=SignalStatus.CASUSTAFEL_AGENDA, reason="Voor bespreking"
        )
        services.signal_flag_casustafel(actor=chair, signal=signal, flag=True)
    if steps >= 4:
        outcome = rng.choice(["local", "local", "riec", "close"])
        signal = services.signal_record_casustafel_outcome(
            actor=chair, signal=signal, outcome=outcome, reason="Besloten in casustafel"
        )
    if steps >= 5 and signal.status == SignalStatus.CASE_OPEN:
        services.signal_transition(
            actor=analyst,
            signal=signal,
            to_status=SignalStatus.INTERVENTION,
            reason="Bestuurlijke interventie voorbereid",
        )


def _seed_controls(team: OrgUnit, analyst: User, addresses: list[Address], rng: random.Random) -> int:
    if Control.objects.filter(notes__startswith="[demo]").exists():
        return 0
    today = timezone.localdate()
    horeca = services.control_create(
        actor=analyst,
        control_type=ControlType.HORECA,
        date=today - timedelta(days=40),
        address=addresses[0],
        partners_present=[ControlPartner.POLICE, ControlPartner.FIRE, ControlPartner.TAX],
        notes="[demo] Integrale horecacontrole in de Twentse week tegen ondermijning.",
    )
    services.finding_add(
        actor=analyst,
        control=horeca,
        finding_type=FindingType.PERMIT,
        description="Andere leidinggevende aanwezig dan op de exploitatievergunning staat.",
    )
    f2 = services.finding_add(
        actor=analyst,
        control=horeca,
        finding_type=FindingType.EXCISE,
        description="Tabak zonder accijnszegel in de opslag aangetroffen.",
    )
    services.finding_spawn_signal(actor=analyst, finding=f2)
    dor = services.control_create(
        actor=analyst,
        control_type=ControlType.DOR_DOL,
        date=today - timedelta(days=15),
        address=addresses[min(1, len(addresses) - 1)],
        partners_present=[ControlPartner.POLICE],
        notes="[demo] Steekproef opkopers: registratie in DOR en aanmelding bij het DOL.",
    )
    services.finding_add(
        actor=analyst,
        control=dor,
        finding_type=FindingType.REGISTER_INCOMPLETE,
        description="Bij 6 van de 20 inkopen ontbreekt het legitimatienummer van de verkoper.",
        follow_up=FollowUp.WARNING,
    )
    services.finding_add(
        actor=analyst,
        control=dor,
        finding_type=FindingType.HOLDING_PERIOD,
        description="Telefoon binnen de bewaartermijn doorverkocht.",
        follow_up=FollowUp.LOD,
    )
    return 2

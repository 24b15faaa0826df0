"""Demo data (``seed_demo``): a few hundred synthetic persons, organisations, addresses and
vehicles in Almelo, linked, owned by team Veiligheid in the general compartment, including a few
deliberate near-duplicates for the merge demo and a business address that is a hub. Nothing here
is real data. Idempotent: skipped when the seed has run before."""

from __future__ import annotations

import random
from datetime import date, timedelta

from vik.core import synthetic
from vik.core.constants import Compartment
from vik.core.models import OrgUnit, User

from .constants import LegalForm, LinkType, Reliability
from .models import Person
from .services import address_create, link_create, organisation_create, person_create, vehicle_create

SEED_SOURCE = "demo (synthetisch)"
PERSONS = 200
ADDRESSES = 120
ORGANISATIONS = 45
VEHICLES = 40


def _actor() -> tuple[User, OrgUnit]:
    team = OrgUnit.objects.get(code="veiligheid")
    actor = User.objects.filter(username="analist").first() or User.objects.filter(org_unit=team).first()
    if actor is None:
        raise RuntimeError("seed_subjects needs the demo users (team veiligheid)")
    return actor, team


def seed_subjects() -> str:
    if Person.objects.filter(source=SEED_SOURCE).exists():
        return "al aanwezig"
    from auditlog.context import set_actor

    actor, team = _actor()
    rng = random.Random(20260141)
    common = {"actor": actor, "owner_team": team, "compartment": Compartment.GENERAL, "source": SEED_SOURCE}
    with set_actor(actor):
        addresses = []
        used = set()
        while len(addresses) < ADDRESSES:
            data = synthetic.almelo_address(rng)
            key = (data["postcode"], data["house_number"], data["house_letter"])
            if key in used:
                continue
            used.add(key)
            addresses.append(address_create(**common, **data))
        hub = address_create(
            **common,
            street="Twentepoort Oost",
            house_number=1,
            postcode="7609RG",
            town="Almelo",
            bag_nummeraanduiding=synthetic.bag_id(rng, "20"),
            gemeente_code="GM0141",
            wijk_code="WK014109",
        )

        persons = []
        for _ in range(PERSONS):
            name = synthetic.person_name(rng)
            persons.append(
                person_create(
                    **common,
                    **name,
                    birth_date=synthetic.birth_date(rng),
                    birth_place=rng.choice(
                        [
                            "Almelo",
                            "Almelo",
                            "Enschede",
                            "Hengelo",
                            "Wierden",
                            "Rotterdam",
                            "Ankara",
                            "Casablanca",
                        ]
                    ),
                    bsn=synthetic.bsn(rng) if rng.random() < 0.7 else "",
                )
            )
        # Near-duplicates for the merge demo: a typo, an accent, a voorvoegsel typed into the surname.
        jan = person_create(
            **common,
            voornamen="Jan Hendrik",
            geslachtsnaam="Jansen",
            birth_date=date(1979, 3, 14),
            birth_place="Almelo",
            bsn=synthetic.bsn(rng),
        )
        jan2 = person_create(**common, voornamen="Jan", geslachtsnaam="Janssen", birth_date=date(1979, 3, 14))
        ayse = person_create(**common, voornamen="Ayşe", geslachtsnaam="Yılmaz", birth_date=date(1988, 7, 2))
        ayse2 = person_create(
            **common,
            voornamen="Ayse",
            geslachtsnaam="Yilmaz",
            birth_date=date(1988, 7, 2),
            aliases=["Ayse Y."],
        )
        berg = person_create(
            **common, voornamen="Pieter", geslachtsnaam="van der Berg", birth_date=date(1965, 11, 30)
        )
        berg2 = person_create(
            **common,
            voornamen="P.",
            voorvoegsel="van den",
            geslachtsnaam="Berg",
            birth_date=date(1965, 11, 30),
        )
        persons += [jan, jan2, ayse, ayse2, berg, berg2]

        organisations = []
        for _ in range(ORGANISATIONS):
            organisations.append(
                organisation_create(
                    **common,
                    name=synthetic.organisation_name(rng),
                    kvk_number=synthetic.kvk_number(rng),
                    legal_form=rng.choice(
                        [LegalForm.BV, LegalForm.EENMANSZAAK, LegalForm.VOF, LegalForm.STICHTING]
                    ),
                    risk_branch=rng.choice(["horeca", "auto", "kappers", "kamerverhuur", "recycling", ""]),
                    sbi_codes=[rng.choice(["5610", "4511", "9602", "6820", "3832", "4120"])],
                )
            )
        wessels = organisation_create(
            **common,
            name="Autohandel Wessels B.V.",
            kvk_number="61234567",
            legal_form=LegalForm.BV,
            risk_branch="auto",
        )
        wessels2 = organisation_create(
            **common, name="Autohandel Wessels", trade_names=["Wessels Auto's"], risk_branch="auto"
        )
        organisations += [wessels, wessels2]

        vehicles = [vehicle_create(**common, **synthetic.vehicle(rng)) for _ in range(VEHICLES)]

        links = 0
        today = date(2026, 1, 1)

        def link(a, b, kind, **kw):
            nonlocal links
            link_create(
                actor=actor,
                owner_team=team,
                source_obj=a,
                target_obj=b,
                link_type=kind,
                source=SEED_SOURCE,
                **kw,
            )
            links += 1

        for person in persons:
            home = rng.choice(addresses)
            start = today - timedelta(days=rng.randint(100, 5000))
            if rng.random() < 0.3:
                old = rng.choice(addresses)
                if old.pk != home.pk:
                    link(
                        person,
                        old,
                        LinkType.WOONT_OP,
                        start_date=start - timedelta(days=rng.randint(400, 3000)),
                        end_date=start - timedelta(days=1),
                        reliability=Reliability.A,
                    )
            link(person, home, LinkType.WOONT_OP, start_date=start, reliability=Reliability.A)
        for org in organisations[:30]:
            link(
                org,
                hub,
                LinkType.GEVESTIGD_OP,
                start_date=today - timedelta(days=rng.randint(30, 2000)),
                reliability=Reliability.B,
            )
        for org in organisations[30:]:
            link(
                org,
                rng.choice(addresses),
                LinkType.GEVESTIGD_OP,
                start_date=today - timedelta(days=rng.randint(30, 2000)),
            )
        for org in organisations:
            for director in rng.sample(persons, rng.choice([1, 1, 2])):
                link(
                    director,
                    org,
                    LinkType.BESTUURDER_VAN,
                    start_date=today - timedelta(days=rng.randint(30, 3000)),
                    reliability=rng.choice(["A", "B", "C"]),
                )
        for vehicle in vehicles:
            link(
                rng.choice(persons),
                vehicle,
                LinkType.EIGENAAR_VAN,
                start_date=today - timedelta(days=rng.randint(10, 1500)),
            )
        pairs = set()
        for _ in range(40):
            a, b = rng.sample(persons, 2)
            if (a.pk, b.pk) not in pairs:
                pairs.add((a.pk, b.pk))
                link(
                    a,
                    b,
                    rng.choice([LinkType.FAMILIE_VAN, LinkType.ZAKENPARTNER_VAN]),
                    reliability=rng.choice(["B", "C", "X"]),
                )
        link(jan, addresses[0], LinkType.HUURDER_VAN, start_date=date(2021, 5, 1))
        link(
            jan2, vehicles[0], LinkType.GEBRUIKER_VAN, start_date=date(2024, 2, 1), reliability=Reliability.B
        )
        link(jan2, wessels2, LinkType.WERKZAAM_BIJ, start_date=date(2023, 9, 1))
    total = len(persons) + len(organisations) + len(addresses) + 1 + len(vehicles)
    return f"{total} subjecten en objecten, {links} relaties"

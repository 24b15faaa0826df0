"""The plan's own ambitions and actions (seed: "Plan van aanpak ondermijning Almelo", annex
"schematisch overzicht ambities en acties"). Quarters as written in the annex; "medio", "juni",
"september" and "vanaf <jaar>" are mapped to their quarter, "doorlopend" and "n.t.b." have none.
Used by the data migration; changing it later changes nothing in an existing database."""

AMBITIONS = [
    (1, "Verder verbeteren van de informatiepositie zodat we beschikken over een actueel ondermijningsbeeld"),
    (2, "Vergroten van de weerbaarheid: bestuurlijk, ambtelijk en van inwoners en ondernemers"),
    (3, "Intensiveren van de lokale en regionale integrale aanpak"),
    (
        4,
        "Verminderen van georganiseerde criminaliteit met behulp van bestuurlijke, strafrechtelijke en fiscale instrumenten",
    ),
]

# (ambition, action, year, quarter, label as in the annex, status)
ACTIONS = [
    (1, "Structureel gebruik maken van dashboards", 2022, 3, "Q3 2022", "gepland"),
    (1, "Training en uitrol gebruik zichtopondermijning.nl", 2022, 3, "Q3 2022", "gepland"),
    (
        1,
        "Onderzoek naar de mogelijkheden van een VIK (veiligheidsinformatieknooppunt)",
        2022,
        3,
        "Q3 2022",
        "gereed",
    ),
    (1, "VIK operationeel", 2023, 2, "medio 2023", "gereed"),
    (
        2,
        "Training lokale Bibob-onderzoekers (vastgoed, subsidies, uitvoering sociaal, bijzondere wetten, vergunningverlening en naleving)",
        None,
        None,
        "doorlopend",
        "lopend",
    ),
    (2, "'Project Buitengebied' van Meld Misdaad Anoniem", 2022, 1, "maart 2022 (tot juli 2022)", "gepland"),
    (2, "Interactieve sessie over ondermijning met de nieuwe gemeenteraad", 2022, 2, "juni 2022", "gepland"),
    (2, "Opnemen onderwerp ondermijning op Kennisnet", 2022, 3, "Q3 2022", "gepland"),
    (
        2,
        "Bewustwordingscampagne van M. over vastgoed in relatie tot ondermijning",
        2022,
        3,
        "september 2022",
        "gepland",
    ),
    (
        2,
        "Tweejaarlijkse bewustwordingsbijeenkomst voor ondernemers met het Platform Veilig Ondernemen (PVO)",
        2023,
        1,
        "vanaf 2023",
        "gepland",
    ),
    (2, "Jaarlijkse gemeentebrede communicatiecampagne over ondermijning", 2023, 1, "vanaf 2023", "gepland"),
    (
        2,
        "Integratie onderwerp ondermijning in de integriteitstraining voor nieuw personeel",
        2023,
        1,
        "Q1 2023",
        "gepland",
    ),
    (
        2,
        "Overzicht van functies die kwetsbaar zijn voor ondermijnende invloeden; onderzoek naar screening van nieuwe medewerkers",
        2023,
        1,
        "Q1 2023",
        "gepland",
    ),
    (
        2,
        "Tweejaarlijkse interne communicatiecampagne over integriteit in de context van ondermijning",
        2023,
        2,
        "Q2 2023",
        "gepland",
    ),
    (
        2,
        "Training nieuwe medewerkers van kwetsbare gemeentelijke teams in het herkennen van ondermijning en het doen van meldingen",
        2023,
        3,
        "Q3 2023",
        "gepland",
    ),
    (
        2,
        "Training medewerkers die veel 'op straat' zijn of veel contact hebben met inwoners en ondernemers in het herkennen van signalen en het doen van meldingen",
        2023,
        3,
        "Q3 2023",
        "gepland",
    ),
    (2, "Halfjaarlijkse campagne over mensenhandel i.s.m. KMT", None, None, "n.t.b.", "gepland"),
    (
        2,
        "Thematisch agenderen van ondermijning in de werkgroepen Keurmerk Veilig Ondernemen Bedrijventerreinen (KVO-B)",
        None,
        None,
        "n.t.b.",
        "gepland",
    ),
    (3, "Ontwikkeling en uitrol aanpak 'Jeugd en Veiligheid'", 2022, 2, "eerste helft 2022", "gepland"),
    (3, "Aansluiting ODT bij het lokaal ondermijningsoverleg", 2022, 2, "Q2 2022", "gepland"),
    (
        3,
        "Met het RIEC ON verkennen hoe niet-Bibob-gerelateerde ondermijningsinformatie makkelijker gedeeld kan worden met andere overheden en private partijen",
        2023,
        1,
        "Q1 2023",
        "gepland",
    ),
    (
        3,
        "Verbetering samenwerking en informatie-uitwisseling met andere gemeenten",
        None,
        None,
        "n.t.b.",
        "gepland",
    ),
    (4, "Inzet bestuurlijke instrumenten", None, None, "doorlopend", "lopend"),
    (
        4,
        "Participeren in regionale werkgroepen over de inzet van bestuurlijke instrumenten in Twente",
        None,
        None,
        "doorlopend",
        "lopend",
    ),
    (
        4,
        "Controles in het kader van het Digitaal opkopersregister (DOR) en het Digitaal opkopersloket (DOL)",
        2022,
        4,
        "Q4 2022",
        "gepland",
    ),
    (
        4,
        "(Meer) en beter uitvoering geven aan 'bestuurlijk afpakken' door innovatiever te werken i.s.m. het RIEC ON en het OM",
        None,
        None,
        "n.t.b.",
        "gepland",
    ),
]


def seed(Ambition, PlanAction) -> None:
    ambitions = {}
    for number, title in AMBITIONS:
        ambitions[number], _ = Ambition.objects.get_or_create(number=number, defaults={"title": title})
    for number, title, year, quarter, label, status in ACTIONS:
        PlanAction.objects.get_or_create(
            ambition=ambitions[number],
            title=title,
            defaults={
                "planned_year": year,
                "planned_quarter": quarter,
                "planned_label": label,
                "status": status,
            },
        )

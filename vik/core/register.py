"""The register of processing activities (AVG art. 30) and the mapping of every purpose onto one.

Services change the register (a change is a new version, never an update of the old one) and the
mapping; selectors read them. The seed describes VIK's own processing and is applied after every
migrate (idempotent: it only creates what is missing, so the privacy officer's edits stay).

How a log row finds its activity (``purpose_keys`` and ``vik.core.accesslog``): a row whose
purpose is the user's werkcontext takes the activity of that case kind or reason category; any
other row (a page that logs its own case or task as purpose) takes the activity of the part of
VIK that wrote it (``page`` mapping, by URL name, then by app namespace).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .constants import LegalBasis as LB
from .constants import MappingKind, ReasonCategory
from .exceptions import ApplicationError

G = LB.AVG_6_1_E
# code, name, purpose, legal bases, subjects, data, recipients, retention
SEED: list[tuple[str, str, str, list[str], str, str, str, str]] = [
    (
        "signaalverwerking",
        "Ontvangen en beoordelen van signalen",
        "Signalen en meldingen over mogelijke ondermijning vastleggen, beoordelen en opvolgen.",
        [G, LB.AVG_10_UAVG, LB.GEMEENTEWET_174, LB.WPG],
        "Personen en organisaties genoemd in signalen; melders (medewerkers)",
        "NAW, geboortedatum, BSN (versleuteld), KvK-gegevens, adressen, kentekens, omschrijving van feiten",
        "Team Veiligheid; partners van de casustafel voor zover gedeeld",
        "Signalen: 5 jaar na afsluiting (bewaarregel signalen)",
    ),
    (
        "subjectregistratie",
        "Registratie en analyse van subjecten",
        "Personen, organisaties, adressen en voertuigen en hun relaties vastleggen om ondermijning te duiden.",
        [G, LB.AVG_10_UAVG],
        "Betrokken personen, organisaties, bewoners en eigenaren",
        "NAW, geboortedatum, BSN (versleuteld), KvK-gegevens, BAG-adressen, kentekens, relaties",
        "Team Veiligheid",
        "Zolang een signaal, maatregel of dossier ernaar verwijst; daarna vernietigen",
    ),
    (
        "sluiting-13b",
        "Sluiting op grond van art. 13b Opiumwet",
        "Voorbereiden, nemen en uitvoeren van besluiten tot sluiting van woningen en lokalen.",
        [G, LB.OPIUMWET_13B, LB.AWB, LB.AVG_10_UAVG],
        "Bewoners, eigenaren, exploitanten, belanghebbenden",
        "NAW, adres, politierapportage (bestuurlijke rapportage), besluiten en zienswijzen",
        "Burgemeester, politie, verhuurder/eigenaar, bestuursrechter",
        "Maatregelen: 7 jaar na afronding (bewaarregel maatregelen)",
    ),
    (
        "last-onder-dwangsom",
        "Last onder dwangsom",
        "Opleggen, invorderen en opheffen van lasten onder dwangsom.",
        [G, LB.GEMEENTEWET_125, LB.AWB],
        "Overtreders, belanghebbenden",
        "NAW, adres, KvK-gegevens, overtreding, besluiten, invordering",
        "Burgemeester/college, invordering, bestuursrechter",
        "Maatregelen: 7 jaar na afronding (bewaarregel maatregelen)",
    ),
    (
        "bestuursdwang",
        "Last onder bestuursdwang en sluitingen",
        "Opleggen en uitvoeren van bestuursdwang, waaronder sluitingen wegens prostitutie of gokken.",
        [G, LB.GEMEENTEWET_125, LB.GEMEENTEWET_174, LB.AWB],
        "Overtreders, exploitanten, eigenaren",
        "NAW, adres, KvK-gegevens, overtreding, besluiten, kostenverhaal",
        "Burgemeester/college, bestuursrechter",
        "Maatregelen: 7 jaar na afronding (bewaarregel maatregelen)",
    ),
    (
        "bibob",
        "Bibob-onderzoek",
        "Integriteitsbeoordeling van aanvragers van vergunningen en subsidies (Wet Bibob).",
        [LB.BIBOB, LB.AVG_10_UAVG, LB.AVG_6_1_C],
        "Aanvragers, zakelijke relaties, bestuurders, financiers",
        "NAW, KvK-gegevens, financiële gegevens, strafrechtelijke gegevens, advies Landelijk Bureau Bibob",
        "Bestuursorgaan, Landelijk Bureau Bibob; derden alleen volgens art. 28 Wet Bibob",
        "Bibob-dossiers: 5 jaar na de beschikking (bewaarregel Bibob)",
    ),
    (
        "casustafel",
        "Casustafel ondermijning",
        "Casussen bespreken met partners, afspraken en acties vastleggen.",
        [G, LB.GEMEENTEWET_174, LB.AVG_10_UAVG, LB.WPG],
        "Personen en organisaties op de agenda",
        "NAW, samenvatting van signalen en maatregelen, afspraken",
        "Partners van de casustafel (politie, RIEC, OM, Omgevingsdienst) per agendapunt",
        "Verslagen: 5 jaar (bewaarregel casustafel)",
    ),
    (
        "dashboards",
        "Sturingsinformatie en analyses",
        "Aantallen, kaarten en analyses voor sturing van de aanpak; kleine aantallen onderdrukt.",
        [G],
        "Personen en organisaties in signalen en maatregelen (geaggregeerd)",
        "Aantallen per wijk en fenomeen; adressen alleen op de kaart met een doel",
        "Gemeentebestuur, RIEC (geaggregeerd)",
        "Afgeleide gegevens: volgen de bronregistraties",
    ),
    (
        "registerbevraging",
        "Bevragen van basisregistraties",
        "Gegevens uit BRP, BAG en Handelsregister opvragen en vergelijken om subjecten te verifiëren.",
        [G, LB.AVG_6_1_C],
        "Ingeschrevenen in BRP, bewoners, ondernemingen",
        "BRP-gegevens (naam, geboortedatum, adres), BAG-gegevens, KvK-gegevens",
        "Team Veiligheid",
        "Protocollering: 1 jaar; overgenomen gegevens volgen het subject",
    ),
    (
        "bewaren-vernietigen",
        "Bewaren en vernietigen",
        "Bewaartermijnen bewaken, vernietigingslijsten opstellen en uitvoeren, blokkades beheren.",
        [LB.AVG_6_1_C, G],
        "Alle betrokkenen in VIK",
        "Verwijzingen naar dossiers en subjecten; vernietigingsverklaringen",
        "Informatiebeheer",
        "Vernietigingsverklaringen: permanent",
    ),
    (
        "rechten-betrokkenen",
        "Verzoeken van betrokkenen",
        "Inzage, rectificatie, beperking en bezwaar van betrokkenen afhandelen (AVG art. 15-21).",
        [LB.AVG_6_1_C],
        "Verzoekers en de personen over wie zij vragen",
        "NAW, BSN (versleuteld), verstrekte gegevens, toegangsoverzicht",
        "Verzoeker",
        "Verzoeken: 2 jaar na afhandeling",
    ),
    (
        "privacytoezicht",
        "Privacytoezicht en logcontrole",
        "Toegangslogboek en verwerkingslogboek controleren, afwijkingen onderzoeken (AVG art. 32, BIO).",
        [LB.AVG_6_1_C],
        "Medewerkers en de betrokkenen in de logregels",
        "Logregels: wie, wanneer, welk doel; pseudoniemen van betrokkenen",
        "Functionaris gegevensbescherming, security officer",
        "Toegangslogboek: 5 jaar (BIO)",
    ),
]

SEED_MAPPINGS: list[tuple[str, str, str]] = [
    (MappingKind.CASE, "signal", "signaalverwerking"),
    (MappingKind.CASE, "measure", "bestuursdwang"),
    (MappingKind.CASE, "measure:13b_woning", "sluiting-13b"),
    (MappingKind.CASE, "measure:13b_lokaal", "sluiting-13b"),
    (MappingKind.CASE, "measure:lod", "last-onder-dwangsom"),
    (MappingKind.CASE, "measure:lob", "bestuursdwang"),
    (MappingKind.CASE, "measure:prostitutie", "bestuursdwang"),
    (MappingKind.CASE, "measure:gokken", "bestuursdwang"),
    (MappingKind.CASE, "bibob", "bibob"),
    (MappingKind.CASE, "meeting", "casustafel"),
    (MappingKind.REASON, ReasonCategory.ANALYSIS, "subjectregistratie"),
    (MappingKind.REASON, ReasonCategory.INTAKE, "signaalverwerking"),
    (MappingKind.REASON, ReasonCategory.CASUSTAFEL, "casustafel"),
    (MappingKind.REASON, ReasonCategory.ENFORCEMENT, "bestuursdwang"),
    (MappingKind.REASON, ReasonCategory.BIBOB, "bibob"),
    (MappingKind.REASON, ReasonCategory.REGISTRY, "registerbevraging"),
    (MappingKind.REASON, ReasonCategory.PRIVACY, "rechten-betrokkenen"),
    (MappingKind.PAGE, "core", "subjectregistratie"),
    (MappingKind.PAGE, "core:who_viewed", "privacytoezicht"),
    (MappingKind.PAGE, "subjects", "subjectregistratie"),
    (MappingKind.PAGE, "signals", "signaalverwerking"),
    (MappingKind.PAGE, "reporting", "signaalverwerking"),
    (MappingKind.PAGE, "measures", "bestuursdwang"),
    (MappingKind.PAGE, "letters", "bestuursdwang"),
    (MappingKind.PAGE, "bibob", "bibob"),
    (MappingKind.PAGE, "meetings", "casustafel"),
    (MappingKind.PAGE, "dashboards", "dashboards"),
    (MappingKind.PAGE, "registries", "registerbevraging"),
    (MappingKind.PAGE, "privacy", "privacytoezicht"),
    (MappingKind.PAGE, "privacy:dsar_list", "rechten-betrokkenen"),
    (MappingKind.PAGE, "privacy:dsar_detail", "rechten-betrokkenen"),
    (MappingKind.PAGE, "privacy:dsar_answer", "rechten-betrokkenen"),
    (MappingKind.PAGE, "privacy:dsar_json", "rechten-betrokkenen"),
    (MappingKind.PAGE, "privacy:dsar_pdf", "rechten-betrokkenen"),
    (MappingKind.PAGE, "privacy:list_list", "bewaren-vernietigen"),
    (MappingKind.PAGE, "privacy:list_detail", "bewaren-vernietigen"),
    (MappingKind.PAGE, "privacy:hold_list", "bewaren-vernietigen"),
    (MappingKind.PAGE, "api", "subjectregistratie"),
]


@dataclass(frozen=True)
class ActivityRef:
    id: int
    version: int
    uri: str
    code: str = ""


def activity_uri(code: str) -> str:
    return settings.VIK_REGISTER_BASE_URL.rstrip("/") + "/" + code


# --- keys ---------------------------------------------------------------------------------------


def purpose_keys(purpose) -> list[str]:
    """The mapping keys of a werkcontext purpose, most precise first (``case:measure:lod``,
    ``case:measure``; ``reason:onderzoek``)."""
    if purpose is None:
        return []
    if purpose.case_kind:
        keys = [f"case:{purpose.case_kind}"]
        if purpose.case_sub:
            keys.insert(0, f"case:{purpose.case_kind}:{purpose.case_sub}")
        return keys
    return [f"reason:{purpose.category or ReasonCategory.ANALYSIS}"]


def page_keys(request) -> list[str]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return []
    keys = []
    if match.namespace and match.url_name:
        keys.append(f"page:{match.namespace}:{match.url_name}")
    if match.namespace:
        keys.append(f"page:{match.namespace.split(':')[0]}")
    return keys


# SQL: the activity for the first key in %s (an array) that has a mapping, as (id, version, uri).
ACTIVITY_SQL = (
    "SELECT a.id, a.current_version, a.uri FROM core_purposemapping m"
    " JOIN core_processingactivity a ON a.id = m.activity_id"
    " WHERE m.kind || ':' || m.key = ANY(%s::text[])"
    " ORDER BY array_position(%s::text[], m.kind || ':' || m.key) LIMIT 1"
)


def activity_for_keys(keys: list[str]) -> ActivityRef | None:
    if not keys:
        return None
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(ACTIVITY_SQL, [keys, keys])
        row = cur.fetchone()
    return ActivityRef(*row) if row else None


def activity_by_code(code: str) -> ActivityRef | None:
    from .models import ProcessingActivity

    a = (
        ProcessingActivity.objects.filter(code=code)
        .values_list("id", "current_version", "uri", "code")
        .first()
    )
    return ActivityRef(*a) if a else None


# --- selectors ----------------------------------------------------------------------------------


def activity_list():
    from django.db.models import F, FilteredRelation, Q

    from .models import ProcessingActivity

    return (
        ProcessingActivity.objects.annotate(
            cur=FilteredRelation("versions", condition=Q(versions__number=F("current_version")))
        )
        .annotate(
            name=F("cur__name"),
            retention_class=F("cur__retention_class"),
            legal_bases=F("cur__legal_bases"),
            valid_from=F("cur__valid_from"),
        )
        .order_by("code")
    )


def current_version(activity):
    return activity.versions.get(number=activity.current_version)


def mapping_list():
    from .models import PurposeMapping

    return PurposeMapping.objects.select_related("activity").order_by("kind", "key")


def register_rows() -> list:
    """Every activity's version in force, for the CSV and PDF export."""
    from django.db.models import F

    from .models import ProcessingActivityVersion

    return list(
        ProcessingActivityVersion.objects.filter(number=F("activity__current_version"))
        .select_related("activity")
        .order_by("activity__code")
    )


# --- services -----------------------------------------------------------------------------------

VERSION_FIELDS = (
    "name",
    "purpose",
    "legal_bases",
    "subject_categories",
    "data_categories",
    "recipients",
    "retention_class",
)


def activity_create(*, actor, code: str, **fields):
    from .models import ProcessingActivity, ProcessingActivityVersion

    with transaction.atomic():
        if ProcessingActivity.objects.filter(code=code).exists():
            raise ApplicationError(_("Er bestaat al een activiteit met deze code."), field="code")
        activity = ProcessingActivity(code=code, uri=activity_uri(code), current_version=1)
        activity.full_clean()
        activity.save()
        version = ProcessingActivityVersion(
            activity=activity, number=1, created_by=actor, **{k: fields[k] for k in VERSION_FIELDS}
        )
        version.full_clean()
        version.save()
    return activity


def activity_revise(*, actor, activity, **fields):
    """A change to an activity: the version in force is closed and a new version is added. The
    old version's content is never changed, so log rows that point at it keep their meaning."""
    from .models import ProcessingActivity, ProcessingActivityVersion

    with transaction.atomic():
        activity = ProcessingActivity.objects.select_for_update().get(pk=activity.pk)
        old = activity.versions.get(number=activity.current_version)
        new_values = {k: fields[k] for k in VERSION_FIELDS}
        if all(getattr(old, k) == v for k, v in new_values.items()):
            raise ApplicationError(_("Er is niets gewijzigd."))
        now = timezone.now()
        old.valid_to = now
        old.save(update_fields=["valid_to"])
        version = ProcessingActivityVersion(
            activity=activity, number=old.number + 1, valid_from=now, created_by=actor, **new_values
        )
        version.full_clean()
        version.save()
        activity.current_version = version.number
        activity.save(update_fields=["current_version", "updated_at"])
    return version


def mapping_set(*, actor, kind: str, key: str, activity):
    from .models import PurposeMapping

    with transaction.atomic():
        mapping, _created = PurposeMapping.objects.update_or_create(
            kind=kind, key=key, defaults={"activity": activity}
        )
    return mapping


def seed_register() -> str:
    """Create the seeded activities and mappings that are missing (idempotent)."""
    from .models import ProcessingActivity, ProcessingActivityVersion, PurposeMapping

    created = 0
    with transaction.atomic():
        for code, name, purpose, bases, subjects, data, recipients, retention in SEED:
            activity, new = ProcessingActivity.objects.get_or_create(
                code=code, defaults={"uri": activity_uri(code), "current_version": 1}
            )
            if new:
                created += 1
                ProcessingActivityVersion.objects.create(
                    activity=activity,
                    number=1,
                    name=name,
                    purpose=purpose,
                    legal_bases=[str(b) for b in bases],
                    subject_categories=subjects,
                    data_categories=data,
                    recipients=recipients,
                    retention_class=retention,
                )
        ids = dict(ProcessingActivity.objects.values_list("code", "id"))
        for kind, key, code in SEED_MAPPINGS:
            PurposeMapping.objects.get_or_create(
                kind=str(kind), key=str(key), defaults={"activity_id": ids[code]}
            )
    return f"{created} verwerkingsactiviteiten"


def on_post_migrate(sender, **kwargs) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('core_purposemapping')")
        if cur.fetchone()[0] is None:
            return
    seed_register()

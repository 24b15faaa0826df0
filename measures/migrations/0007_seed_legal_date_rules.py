"""Rule rows for the legal dates of issue #16 and the corrected defaults (DOMAIN.md §1.2a–§1.5).

* Awb 5:35(2)/5:37a: ``lod_verjaring`` is marked unverified [U] while its extension handling is;
  the early warnings count back from the actual limitation date.
* Indefinite closure: a periodic review (policy), never an end date.
* Bestuursdwang costs: 5:25(6) term to fix the costs, 4:87 payment term, 4:104 limitation.
* Wet Bibob art. 31: the suspension is a length of time (8 weeks, + at most 4), without the Atw;
  art. 33 third-party zienswijze; decision terms per regime; one zienswijze ceiling.
* Escalation matrix: the active matrix is Almelo's flat six months; the progressive
  6 → 12 → indefinite matrix is kept as an inactive example.

Re-runnable: rows that exist are left alone, except the explicit corrections below, which only
touch rows still holding the earlier seeded values."""

from datetime import date

from django.db import migrations

# code, label, trigger, days, weeks, months, atw, set_by, legal_basis, verification, requires_action, note
RULES = [
    (
        "sluiting_herbeoordeling",
        "Herbeoordeling sluiting voor onbepaalde tijd",
        "sluiting_start",
        0,
        0,
        6,
        False,
        "policy",
        "Beleid: periodieke herbeoordeling (art. 13b Opiumwet, evenredigheid)",
        "U",
        True,
        "Een sluiting voor onbepaalde tijd heeft geen einddatum; de burgemeester beoordeelt periodiek of "
        "zij nog nodig is. De termijn loopt opnieuw na elke herbeoordeling.",
    ),
    (
        "lob_kosten_vaststelling",
        "Kosten bestuursdwang vaststellen (kostenbeschikking)",
        "bestuursdwang",
        0,
        0,
        60,
        False,
        "law",
        "art. 5:25 lid 6 Awb",
        "V",
        True,
        "Vijf jaar nadat de bestuursdwang is toegepast (bij een sluiting: de start). Atw niet van "
        "toepassing (art. 4 Atw: langer dan drie maanden).",
    ),
    (
        "lob_kosten_betaling",
        "Betaling kosten bestuursdwang",
        "kostenverhaal",
        0,
        6,
        0,
        True,
        "law",
        "art. 4:87 lid 1 Awb",
        "U*",
        True,
        "Zes weken na de bekendmaking van de kostenbeschikking; de Atw is van toepassing.",
    ),
    (
        "lob_kosten_verjaring",
        "Verjaring kosten bestuursdwang",
        "einde_betalingstermijn_kosten",
        0,
        0,
        60,
        False,
        "law",
        "art. 4:104 lid 1 Awb",
        "U*",
        True,
        "Vijf jaar na de dag waarop de betalingstermijn is verstreken. Atw niet van toepassing.",
    ),
    (
        "bibob_lbb_opschorting",
        "Opschorting beslistermijn door adviesaanvraag LBB",
        "lbb_verzoek",
        0,
        8,
        0,
        False,
        "law",
        "art. 31 Wet Bibob (ten hoogste acht weken, verlenging ten hoogste vier weken)",
        "U",
        False,
        "Een tijdsduur, geen termijn om te handelen: de Atw verlengt de opschorting niet. Ten hoogste 56 "
        "dagen, met verlenging 84 dagen, plus de dagen waarin de aanvrager vervolgvragen beantwoordt.",
    ),
    (
        "bibob_zienswijze_derde",
        "Zienswijze derde genoemd in het Bibob-advies",
        "uitnodiging_derde",
        14,
        0,
        0,
        False,
        "policy",
        "art. 33 Wet Bibob jo. art. 4:8 Awb",
        "U",
        True,
        "Een derde over wie het advies gegevens bevat, krijgt vóór een negatief besluit de gelegenheid "
        "zijn zienswijze te geven. Termijn door het bestuursorgaan gesteld; artikelnummer niet geverifieerd.",
    ),
    (
        "zienswijze_maximum",
        "Ten hoogste toegestane zienswijzetermijn",
        "voornemen",
        0,
        12,
        0,
        False,
        "policy",
        "Beleid (art. 4:8 Awb: termijn in het voornemen)",
        "U",
        False,
        "Bovengrens voor de termijn die een voornemen mag noemen; geldt voor maatregelen en Bibob.",
    ),
    (
        "bibob_beslistermijn_apv",
        "Beslistermijn aanvraag APV-vergunning (Bibob)",
        "aanvraag_ontvangen",
        0,
        8,
        0,
        False,
        "policy",
        "APV Almelo (model-APV art. 1:2: acht weken, verdaging acht weken)",
        "U",
        True,
        "Termijn uit de verordening (een verordening is geen wet in de zin van de Atw). Lex silencio "
        "positivo: volgens de model-APV niet van toepassing [U]; na verloop: ingebrekestelling en dwangsom "
        "bij niet tijdig beslissen (art. 4:17 Awb).",
    ),
    (
        "bibob_beslistermijn_omgevingswet",
        "Beslistermijn aanvraag omgevingsvergunning (Bibob)",
        "aanvraag_ontvangen",
        0,
        8,
        0,
        True,
        "law",
        "art. 16.64 lid 1 Omgevingswet (reguliere procedure)",
        "U",
        True,
        "Verlenging eenmaal met ten hoogste zes weken (art. 16.64 lid 2). Geen vergunning van rechtswege.",
    ),
    (
        "bibob_verlenging_omgevingswet",
        "Verlenging beslistermijn omgevingsvergunning",
        "verlenging_beslistermijn",
        0,
        6,
        0,
        True,
        "law",
        "art. 16.64 lid 2 Omgevingswet",
        "U",
        True,
        "",
    ),
]

PROGRESSIVE_STEPS = [
    ("woning", "alle", 1, False, 6),
    ("woning", "alle", 2, False, 12),
    ("woning", "alle", 3, False, None),
    ("lokaal", "alle", 1, False, 6),
    ("lokaal", "alle", 2, False, 12),
    ("lokaal", "alle", 3, False, None),
]
FLAT_NAME = "Almelo: vaste beleidslijn zes maanden"
EXAMPLE_NAME = "Voorbeeld (niet actief): progressief 6 → 12 maanden → onbepaalde tijd"


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("measures", "DeadlineRule")
    for code, label, trigger, days, weeks, months, atw, set_by, basis, ver, action, note in RULES:
        DeadlineRule.objects.get_or_create(
            code=code,
            defaults=dict(
                label=label,
                trigger_event=trigger,
                days=days,
                weeks=weeks,
                months=months,
                atw=atw,
                set_by=set_by,
                legal_basis=basis,
                verification=ver,
                requires_action=action,
                note=note,
            ),
        )
    # 5:35(2)/5:37a: unverified as long as the extension handling is (issue #16 item 10).
    DeadlineRule.objects.filter(code="lod_verjaring", verification="V").update(
        verification="U",
        legal_basis="art. 5:35 Awb (verlenging lid 2; art. 5:37a: stuiting en verlenging)",
        note=(
            "Een jaar na de dag van verbeurte; na een beschikking tot invordering een nieuw jaar (stuiting). "
            "Verlengd als op de verjaringsdag bezwaar, beroep of hoger beroep tegen de last openstaat of "
            "aanhangig is, tot daarop onherroepelijk is beslist (5:35 lid 2); ook bij een verzoek om "
            "invordering, een rechtsmiddel tegen de weigering daarvan of een schorsing (5:37a lid 2–4). "
            "Atw niet van toepassing (art. 4). Instelbaar: MEASURES_LIMITATION_PAUSE."
        ),
    )
    DeadlineRule.objects.filter(code="bibob_beslistermijn", note="").update(
        note=(
            "Alcoholwet en andere regelingen zonder eigen termijn: redelijke termijn, uiterlijk acht weken "
            "(art. 4:13 Awb). Lex silencio positivo niet van toepassing (niet voorgeschreven); na verloop: "
            "ingebrekestelling en dwangsom bij niet tijdig beslissen (art. 4:17 Awb)."
        )
    )
    for code, text in (
        (
            "lod_verjaring_signaal_9m",
            "Drie maanden vóór de werkelijke verjaringsdatum (na verlenging of stuiting).",
        ),
        (
            "lod_verjaring_signaal_11m",
            "Een maand vóór de werkelijke verjaringsdatum (na verlenging of stuiting).",
        ),
    ):
        DeadlineRule.objects.filter(code=code, note="").update(note=text)

    Matrix = apps.get_model("measures", "EscalationMatrix")
    Step = apps.get_model("measures", "EscalationStep")
    Measure = apps.get_model("measures", "Measure")
    if Matrix.objects.filter(name__startswith=EXAMPLE_NAME[:20]).exists():
        return
    for matrix in Matrix.objects.filter(
        name__startswith="Almelo: vaste beleidslijn zes maanden (standaardmatrix"
    ):
        steps = {
            (s.object_type, s.drug_class, s.offence_number, s.warning_only, s.duration_months)
            for s in Step.objects.filter(matrix=matrix)
        }
        if steps != set(PROGRESSIVE_STEPS) or Measure.objects.filter(matrix=matrix).exists():
            continue  # edited or already used: a functional admin's version, left alone
        # The seed shipped the progressive example as the active matrix: make it the flat six
        # months of Almelo's policy (DOMAIN §1.2a) ...
        matrix.name = FLAT_NAME
        matrix.legal_basis = (
            "Vaste beleidslijn Almelo: zes maanden, eerste en volgende overtreding gelijk (S1)"
        )
        matrix.verification = "V"
        matrix.save(update_fields=["name", "legal_basis", "verification"])
        Step.objects.filter(matrix=matrix, offence_number__gt=1).delete()
        Step.objects.filter(matrix=matrix).update(duration_months=6, warning_only=False)
    if not Matrix.objects.exists():
        flat = Matrix.objects.create(
            name=FLAT_NAME,
            effective_from=date(2022, 9, 8),
            lookback_years=5,
            legal_basis="Vaste beleidslijn Almelo: zes maanden, eerste en volgende overtreding gelijk (S1)",
            verification="V",
        )
        for obj in ("woning", "lokaal"):
            Step.objects.create(
                matrix=flat,
                object_type=obj,
                drug_class="alle",
                offence_number=1,
                warning_only=False,
                duration_months=6,
            )
    # ... and ship the progressive matrix as an inactive example (never used for a proposal).
    example = Matrix.objects.create(
        name=EXAMPLE_NAME,
        effective_from=date(2022, 9, 8),
        lookback_years=5,
        legal_basis=(
            "Voorbeeld, geen Almelo-beleid [U]. Sluiting van een woning voor onbepaalde tijd vraagt een "
            "afzonderlijke evenredigheidstoets en motivering (ABRvS 2022:285, 2025:2922)."
        ),
        verification="U",
        is_example=True,
    )
    for obj, drugs, n, warn, months in PROGRESSIVE_STEPS:
        Step.objects.create(
            matrix=example,
            object_type=obj,
            drug_class=drugs,
            offence_number=n,
            warning_only=warn,
            duration_months=months,
        )


class Migration(migrations.Migration):
    dependencies = [("measures", "0006_deadline_note_remedy_events_example_matrix")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The starter set: one Word template per letter kind (DOMAIN §1.2–1.5), built in code with
python-docx, in plain municipal Dutch. They are used until the functional admin uploads a house
style version, and can be downloaded as the basis for one."""

from __future__ import annotations

import io

HEAD = [
    "{{ ontvanger.naam }}",
    "{{ ontvanger.adres }}",
    "{{ ontvanger.postcode_plaats }}",
    "",
    "Datum: {{ datum }}",
    "Kenmerk: {{ kenmerk }}",
    "Zaak: {{ zaak.nummer }}",
    "",
]
SIGN = [
    "",
    "Met vriendelijke groet,",
    "{{ gemeente.bestuursorgaan }} van {{ gemeente.naam }},",
    "namens deze,",
    "",
    "{{ ondertekenaar.naam }}",
    "{{ ondertekenaar.functie }}",
]

BODIES: dict[str, tuple[str, list[str]]] = {
    "voornemen_sluiting": (
        "Voornemen tot sluiting van {{ object.adres }}",
        [
            "{{ ontvanger.aanhef }},",
            "De burgemeester is van plan om het pand {{ object.adres }} te sluiten. Hij doet dat op grond van "
            "{{ zaak.grondslag }}. In of bij dit pand zijn drugs aangetroffen die bestemd waren voor handel. "
            "De politie heeft dat in een bestuurlijke rapportage beschreven. Die rapportage sturen wij mee.",
            "Wat wij van plan zijn",
            "Wij willen het pand sluiten voor de duur die in het besluit komt te staan. Voordat wij besluiten, "
            "wegen wij uw belangen en die van de bewoners mee, zoals de belangen van kinderen.",
            "Uw mening (zienswijze)",
            "U mag ons vertellen wat u van dit voornemen vindt. Dat heet een zienswijze. U kunt dat schriftelijk "
            "of mondeling doen. Uw zienswijze moet uiterlijk op {{ termijn.zienswijze }} bij ons binnen zijn. "
            "Wilt u uw zienswijze mondeling geven? Bel ons dan zo snel mogelijk voor een afspraak.",
            "Na die datum nemen wij een besluit. Dit voornemen is nog geen besluit: u kunt er geen bezwaar "
            "tegen maken.",
        ],
    ),
    "besluit_sluiting": (
        "Besluit tot sluiting van {{ object.adres }}",
        [
            "{{ ontvanger.aanhef }},",
            "De burgemeester heeft besloten het pand {{ object.adres }} te sluiten voor {{ besluit.duur }}. "
            "Hij doet dat op grond van {{ zaak.grondslag }}. In deze brief leest u waarom en wat dit voor u "
            "betekent.",
            "Waarom wij dit besluiten",
            "In of bij het pand zijn drugs aangetroffen die bestemd waren voor handel. Wij hebben uw zienswijze, "
            "als u die gaf, meegewogen. Wij vinden sluiting nodig om de openbare orde te herstellen.",
            "Bezwaar",
            "{{ bezwaarclausule }}",
        ],
    ),
    "voornemen_last": (
        "Voornemen tot het opleggen van een last",
        [
            "{{ ontvanger.aanhef }},",
            "Wij zijn van plan u een last op te leggen op grond van {{ zaak.grondslag }}. Het gaat om: "
            "{{ zaak.omschrijving }}.",
            "Uw mening (zienswijze)",
            "U mag ons vertellen wat u van dit voornemen vindt. Uw zienswijze moet uiterlijk op "
            "{{ termijn.zienswijze }} bij ons binnen zijn. Dit voornemen is nog geen besluit.",
        ],
    ),
    "last_onder_dwangsom": (
        "Besluit: last onder dwangsom",
        [
            "{{ ontvanger.aanhef }},",
            "Wij leggen u een last onder dwangsom op, op grond van {{ zaak.grondslag }}. Het gaat om: "
            "{{ zaak.omschrijving }}.",
            "Wat betekent dit?",
            "Overtreedt u de last opnieuw, dan verbeurt u per overtreding een dwangsom van {{ besluit.bedrag }}, "
            "tot ten hoogste {{ besluit.maximum }}. U hoeft dan niet eerst een nieuwe brief te krijgen: de "
            "dwangsom is van rechtswege verschuldigd (artikel 5:33 Awb).",
            "Bezwaar",
            "{{ bezwaarclausule }}",
        ],
    ),
    "invorderingsbeschikking": (
        "Invorderingsbeschikking verbeurde dwangsom",
        [
            "{{ ontvanger.aanhef }},",
            "Bij besluit {{ zaak.nummer }} hebben wij u een last onder dwangsom opgelegd. Op "
            "{{ verbeurte.datum }} heeft u de last overtreden. Daardoor heeft u een dwangsom verbeurd van "
            "{{ verbeurte.bedrag }} (verbeurte nummer {{ verbeurte.nummer }}).",
            "Met deze beschikking vorderen wij dit bedrag in (artikel 5:37 Awb). Betaal het bedrag uiterlijk "
            "op {{ termijn.betaling }}. Betaalt u niet op tijd, dan sturen wij u een aanmaning en kunnen wij "
            "extra kosten in rekening brengen.",
            "Bezwaar",
            "Tegen deze invorderingsbeschikking kunt u binnen zes weken na de dag van bekendmaking bezwaar maken "
            "bij {{ gemeente.bestuursorgaan }}.",
        ],
    ),
    "last_onder_bestuursdwang": (
        "Besluit: last onder bestuursdwang",
        [
            "{{ ontvanger.aanhef }},",
            "Wij leggen u een last onder bestuursdwang op, op grond van {{ zaak.grondslag }}. Het gaat om: "
            "{{ zaak.omschrijving }}.",
            "Doet u niet wat de last van u vraagt, dan doen wij het zelf. De kosten daarvan betaalt u "
            "(artikel 5:25 Awb).",
            "Bezwaar",
            "{{ bezwaarclausule }}",
        ],
    ),
    "kostenbeschikking": (
        "Kostenbeschikking bestuursdwang",
        [
            "{{ ontvanger.aanhef }},",
            "Wij hebben bestuursdwang toegepast bij {{ object.adres }} (zaak {{ zaak.nummer }}). De kosten "
            "daarvan zijn voor uw rekening (artikel 5:25 Awb). Met dit besluit stellen wij de kosten vast op "
            "{{ kosten.bedrag }}.",
            "Betaal dit bedrag uiterlijk op {{ termijn.betaling }} (artikel 4:87 Awb).",
            "Bezwaar",
            "Tegen deze kostenbeschikking kunt u binnen zes weken na de dag van bekendmaking bezwaar maken "
            "bij {{ gemeente.bestuursorgaan }}.",
        ],
    ),
    "bibob_vragenformulier": (
        "Verzoek om het Bibob-vragenformulier in te vullen",
        [
            "{{ ontvanger.aanhef }},",
            "U heeft een aanvraag gedaan ({{ zaak.omschrijving }}). Bij deze aanvraag passen wij de Wet Bibob toe. "
            "Daarom vragen wij u het bijgevoegde Bibob-vragenformulier volledig in te vullen en met de "
            "gevraagde stukken terug te sturen.",
            "Stuur het formulier zo snel mogelijk volledig ingevuld terug. Doet u dat niet of niet volledig, dan "
            "kunnen wij uw aanvraag buiten behandeling laten of weigeren (artikel 4:5 Awb, artikel 3 Wet Bibob).",
        ],
    ),
    "bibob_voornemen": (
        "Voornemen tot weigeren of voorschriften verbinden (Wet Bibob)",
        [
            "{{ ontvanger.aanhef }},",
            "Wij zijn van plan uw aanvraag ({{ zaak.omschrijving }}) te weigeren of er voorschriften aan te "
            "verbinden, op grond van {{ zaak.grondslag }} en de Wet Bibob.",
            "U mag ons vertellen wat u hiervan vindt (zienswijze). Uw zienswijze moet uiterlijk op "
            "{{ termijn.zienswijze }} bij ons binnen zijn.",
        ],
    ),
    "bibob_besluit": (
        "Besluit op uw aanvraag",
        [
            "{{ ontvanger.aanhef }},",
            "Wij hebben besloten op uw aanvraag ({{ zaak.omschrijving }}), op grond van {{ zaak.grondslag }}.",
            "Bezwaar",
            "{{ bezwaarclausule }}",
        ],
    ),
    "bibob_zienswijze_derde": (
        "Uitnodiging voor een zienswijze als derde-betrokkene",
        [
            "{{ ontvanger.aanhef }},",
            "Wij behandelen een aanvraag waarbij de Wet Bibob wordt toegepast. In ons voornemen komen gegevens "
            "over u voor. Daarom mag u ons uw mening geven voordat wij besluiten (artikel 33 lid 2 Wet Bibob). "
            "Uw zienswijze moet uiterlijk op {{ termijn.zienswijze }} bij ons binnen zijn.",
        ],
    ),
    "bibob_art28": (
        "Mededeling op grond van artikel 28 Wet Bibob",
        [
            "{{ ontvanger.aanhef }},",
            "Wij laten u weten dat wij in ons besluit over zaak {{ zaak.nummer }} gegevens over u hebben "
            "gebruikt uit een Bibob-onderzoek (artikel 28 lid 3 Wet Bibob). U kunt deze gegevens bij ons "
            "inzien. De gegevens zijn vertrouwelijk: u mag ze niet verder verspreiden.",
        ],
    ),
}


def build(kind: str) -> bytes:
    """The starter .docx of ``kind``."""
    import docx

    subject, body = BODIES[kind]
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    for line in HEAD:
        document.add_paragraph(line)
    document.add_paragraph().add_run(f"Onderwerp: {subject}").bold = True
    for line in body:
        if len(line) < 40 and "{{" not in line:
            document.add_paragraph().add_run(line).bold = True
        else:
            document.add_paragraph(line)
    for line in SIGN:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

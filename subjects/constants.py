from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Persoon")
    ORGANISATION = "organisation", _("Organisatie")
    ADDRESS = "address", _("Adres")
    VEHICLE = "vehicle", _("Voertuig")


class LinkType(models.TextChoices):
    BESTUURDER_VAN = "bestuurder_van", _("bestuurder van")
    EIGENAAR_VAN = "eigenaar_van", _("eigenaar van")
    WOONT_OP = "woont_op", _("woont op")
    GEVESTIGD_OP = "gevestigd_op", _("gevestigd op")
    HUURDER_VAN = "huurder_van", _("huurder van")
    GEBRUIKER_VAN = "gebruiker_van", _("gebruiker van")
    FAMILIE_VAN = "familie_van", _("familie van")
    ZAKENPARTNER_VAN = "zakenpartner_van", _("zakenpartner van")
    WERKZAAM_BIJ = "werkzaam_bij", _("werkzaam bij")
    FINANCIER_VAN = "financier_van", _("financier van")
    OVERIG = "overig", _("overig")


class Reliability(models.TextChoices):
    """Reliability of a source (police intelligence grading A/B/C/X)."""

    A = "A", _("A – volledig betrouwbaar")
    B = "B", _("B – meestal betrouwbaar")
    C = "C", _("C – niet betrouwbaar")
    X = "X", _("X – onbekend")


class LegalForm(models.TextChoices):
    EENMANSZAAK = "eenmanszaak", _("Eenmanszaak")
    VOF = "vof", _("Vennootschap onder firma")
    CV = "cv", _("Commanditaire vennootschap")
    BV = "bv", _("Besloten vennootschap")
    NV = "nv", _("Naamloze vennootschap")
    STICHTING = "stichting", _("Stichting")
    VERENIGING = "vereniging", _("Vereniging")
    COOPERATIE = "cooperatie", _("Coöperatie")
    MAATSCHAP = "maatschap", _("Maatschap")
    BUITENLANDS = "buitenlands", _("Buitenlandse rechtsvorm")
    OVERIG = "overig", _("Overig")

from django.db import models
from django.utils.translation import gettext_lazy as _


class Registry(models.TextChoices):
    BRP = "brp", _("BRP Personen")
    BEWONING = "bewoning", _("BRP Bewoning")
    BAG = "bag", _("BAG")
    KVK = "kvk", _("KvK Handelsregister")


class Outcome(models.TextChoices):
    OK = "ok", _("beantwoord")
    REFUSED = "refused", _("geweigerd door de registratie")
    UNAVAILABLE = "unavailable", _("niet bereikbaar")
    CONTRACT = "contract", _("antwoord afgekeurd (formaat)")


class DisclosedKind(models.TextChoices):
    PERSON = "person", _("persoon")
    ORGANISATION = "organisation", _("organisatie")
    ADDRESS = "address", _("adres")


class VerificationStatus(models.TextChoices):
    VERIFIED = "verified", _("geverifieerd")
    DIFFERS = "differs", _("wijkt af van de basisregistratie")
    NOT_FOUND = "not_found", _("niet gevonden in de basisregistratie")
    UNVERIFIED = "unverified", _("niet geverifieerd")


# Retention classes (docs/privacy-providers.md): the BRP query log is kept 20 years (RvIG:
# "gemeente is verstrekker"); the log of BAG and KvK questions follows the access log (5 years).
RETENTION_BRP = "brp_query_log"
RETENTION_OTHER = "registry_query_log"

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("dagen")
    WEEKS = "weeks", _("weken")
    MONTHS = "months", _("maanden")
    YEARS = "years", _("jaren")


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonimiseren (statistiek blijft)")
    DELETE = "delete", _("Vernietigen")


class ListStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    APPROVED = "approved", _("Goedgekeurd, wordt uitgevoerd")
    IN_PROGRESS = "in_progress", _("Bezig met uitvoeren")
    DONE = "done", _("Uitgevoerd")


class ItemState(models.TextChoices):
    PENDING = "pending", _("Te vernietigen")
    DONE = "done", _("Uitgevoerd")
    HELD = "held", _("Overgeslagen: juridische blokkade")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("In behandeling")
    ANSWERED = "answered", _("Beantwoord")


class WithholdingGround(models.TextChoices):
    """Legal grounds on which part of an access export is withheld (DOMAIN §3)."""

    THIRD_PARTY = "third_party", _("Rechten en vrijheden van anderen (art. 41 lid 1 sub i UAVG)")
    PREVENTION = (
        "prevention",
        _("Voorkoming, opsporing en vervolging van strafbare feiten (art. 41 lid 1 sub d UAVG)"),
    )
    SOURCE_PROTECTION = (
        "source_protection",
        _("Bronbescherming Meld Misdaad Anoniem (art. 41 lid 1 sub d en i UAVG)"),
    )
    BIBOB = "bibob", _("Geheimhoudingsplicht art. 28 Wet Bibob (art. 41 lid 1 sub e en h UAVG)")
    POLICE_CONSULTATION = (
        "police_consultation",
        _("Politiegegevens: politie wordt eerst geraadpleegd (Wpg; art. 41 lid 1 sub d UAVG)"),
    )

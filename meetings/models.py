"""The casustafel (local ondermijningsoverleg, DOMAIN §1.7): meetings with an append-only state
history, agenda items with a per-partner visibility list, decisions, action items with an
append-only status history, and the frozen (encrypted) per-audience minutes.

Need-to-know: a ``Meeting`` is a ``ProtectedModel`` owned by team Veiligheid and shared (core
``share_grant``) with its participant organisations and people. Agenda items, decisions and action
items are filtered further by ``meetings.selectors``: a partner sees an item only when its
organisation is on the item's visibility list and the partner is cleared for the item's
compartment."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from subjects.models import SubjectReference
from vik.core.constants import Compartment
from vik.core.encryption import EncryptedTextField
from vik.core.models import BaseModel, OrgUnit, ProtectedModel

from .constants import ActionStatus, DecisionKind, ItemKind, MeetingState


class Meeting(ProtectedModel):
    title = models.CharField(_("titel"), max_length=200, default="Lokaal ondermijningsoverleg")
    starts_at = models.DateTimeField(_("datum en tijd"), db_index=True)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("voorzitter"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("status"), max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    participant_orgs = models.ManyToManyField(
        OrgUnit, verbose_name=_("deelnemende organisaties"), blank=True, related_name="meetings"
    )
    participant_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("deelnemers"), blank=True, related_name="meetings"
    )
    approved_at = models.DateTimeField(_("verslag vastgesteld op"), null=True, blank=True)

    class Meta(ProtectedModel.Meta):
        verbose_name = _("casustafel")
        verbose_name_plural = _("casustafels")
        ordering = ["-starts_at", "-id"]
        permissions = [("approve_minutes", "Mag het verslag van de casustafel vaststellen")]
        indexes = [GinIndex(fields=["visible_to"], name="meetings_meeting_vis")]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%d-%m-%Y}"

    @property
    def reference(self) -> str:
        return f"CT-{self.pk}"


class MeetingStateChange(models.Model):
    """Append-only (a database trigger refuses UPDATE and DELETE)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(max_length=20, choices=MeetingState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=MeetingState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    reason = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("statuswijziging casustafel")
        verbose_name_plural = _("statuswijzigingen casustafel")
        ordering = ["at", "id"]


class AgendaItem(BaseModel, SubjectReference):
    # The subject fields (SubjectReference) are redeclared for their reverse accessor.
    SUBJECT_FIELDS = ("person", "organisation", "address", "vehicle")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort"), max_length=10, choices=ItemKind.choices)
    signal = models.ForeignKey(
        "signals.Signal",
        verbose_name=_("signaal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    measure = models.ForeignKey(
        "measures.Measure",
        verbose_name=_("maatregel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    person = models.ForeignKey(
        "subjects.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    organisation = models.ForeignKey(
        "subjects.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    address = models.ForeignKey(
        "subjects.Address", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    vehicle = models.ForeignKey(
        "subjects.Vehicle", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    action_item = models.ForeignKey(
        "meetings.ActionItem", on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(
        _("samenvatting voor partners"),
        blank=True,
        help_text=_(
            "Door de voorzitter geschreven; dit is wat gedeelde partners zien. Geen M-tekst, geen Bibob-gegevens."
        ),
    )
    compartment = models.CharField(
        _("compartiment"), max_length=10, choices=Compartment.choices, default=Compartment.GENERAL
    )
    visible_orgs = models.ManyToManyField(
        OrgUnit, verbose_name=_("zichtbaar voor"), blank=True, related_name="shared_agenda_items"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(compartment=Compartment.BIBOB), name="meetings_item_never_bibob"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source(self):
        return self.signal or self.measure or self.subject or self.action_item


class Decision(BaseModel):
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="decision")
    kind = models.CharField(_("besluit"), max_length=10, choices=DecisionKind.choices)
    text = models.TextField(_("toelichting"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")

    def __str__(self) -> str:
        return self.get_kind_display()


class ActionItem(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(_("actie"), max_length=500)
    owner_org = models.ForeignKey(
        OrgUnit, verbose_name=_("eigenaar (organisatie)"), on_delete=models.PROTECT, related_name="+"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar (persoon)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
    )
    due_date = models.DateField(_("uiterlijk"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner_org", "status"], name="meetings_action_owner")]

    def __str__(self) -> str:
        return f"A-{self.pk} {self.description[:60]}"

    @property
    def reference(self) -> str:
        return f"A-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE


class ActionItemChange(models.Model):
    """Append-only status history of an action item (a trigger refuses UPDATE and DELETE)."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=12, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ActionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]


class FrozenMinutes(BaseModel):
    """The approved minutes as rendered for one audience: a partner organisation (``org``) or the
    municipality's own staff (``org`` empty), for one set of compartments the reader is cleared
    for. Encrypted at rest; served instead of a fresh rendering once the minutes are approved."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="frozen_minutes")
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    compartments = ArrayField(models.CharField(max_length=10), default=list)
    compartments_key = models.CharField(max_length=60)
    html = EncryptedTextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "org", "compartments_key"],
                name="meetings_frozen_unique",
                nulls_distinct=False,
            )
        ]

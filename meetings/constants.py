from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingState(models.TextChoices):
    PLANNED = "PLANNED", _("Gepland")
    AGENDA_LOCKED = "AGENDA_LOCKED", _("Agenda vastgesteld")
    HELD = "HELD", _("Gehouden")
    MINUTES_DRAFT = "MINUTES_DRAFT", _("Conceptverslag")
    MINUTES_APPROVED = "MINUTES_APPROVED", _("Verslag vastgesteld")


# DOMAIN §1.7: PLANNED → AGENDA_LOCKED → HELD → MINUTES_DRAFT → MINUTES_APPROVED. The chair may
# reopen a locked agenda before the meeting is held (PLANNED again), nothing else goes back.
TRANSITIONS: dict[str, list[str]] = {
    MeetingState.PLANNED: [MeetingState.AGENDA_LOCKED],
    MeetingState.AGENDA_LOCKED: [MeetingState.HELD, MeetingState.PLANNED],
    MeetingState.HELD: [MeetingState.MINUTES_DRAFT],
    MeetingState.MINUTES_DRAFT: [MeetingState.MINUTES_APPROVED],
    MeetingState.MINUTES_APPROVED: [],
}

# States in which partners see the items shared with them (the draft agenda stays internal).
PARTNER_VISIBLE_STATES = [
    MeetingState.AGENDA_LOCKED,
    MeetingState.HELD,
    MeetingState.MINUTES_DRAFT,
    MeetingState.MINUTES_APPROVED,
]
# States in which decisions and action items are recorded.
DECISION_STATES = [MeetingState.HELD, MeetingState.MINUTES_DRAFT]


class ItemKind(models.TextChoices):
    SIGNAL = "signal", _("Signaal")
    SUBJECT = "subject", _("Subject of object")
    MEASURE = "measure", _("Maatregel")
    ACTION = "action", _("Actiepunt")
    FREE = "free", _("Vrij agendapunt")


class DecisionKind(models.TextChoices):
    # The first three share their values with signals.constants.CasustafelOutcome.
    LOCAL = "local", _("Lokaal oppakken")
    RIEC = "riec", _("Aanmelden bij het RIEC")
    CLOSE = "close", _("Afsluiten")
    OTHER = "other", _("Anders")


SIGNAL_OUTCOME_DECISIONS = [DecisionKind.LOCAL, DecisionKind.RIEC, DecisionKind.CLOSE]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In behandeling")
    DONE = "done", _("Afgerond")


# Reminder lead time for action items (days before the due date).
ACTION_REMINDER_LEAD_DAYS = 3

# What the chair's button says for each target state.
TRANSITION_LABELS = {
    MeetingState.PLANNED: _("Agenda heropenen"),
    MeetingState.AGENDA_LOCKED: _("Agenda vaststellen"),
    MeetingState.HELD: _("Overleg is gehouden"),
    MeetingState.MINUTES_DRAFT: _("Conceptverslag opstellen"),
    MeetingState.MINUTES_APPROVED: _("Verslag vaststellen"),
}

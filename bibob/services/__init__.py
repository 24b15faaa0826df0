"""Every change to a Bibob dossier goes through these services (STYLE rules 1, 4, 6).

Each service runs in one transaction, locks the dossier, checks the actor's permission and the
procedure rule, and appends a ``DossierTransition`` row when the phase changes. A refusal raises
``ApplicationError`` with the Dutch reason (at the form field it belongs to) and changes nothing.

The package is split by sub-domain; every public name stays importable from here."""

from .common import (
    MIN_REASONING,
    S,
    _transition,
)
from .decision import (
    advice_record,
    decision_publish,
    dossier_decide,
    register_task_complete,
    third_party_invite,
    third_party_response,
    voornemen_send,
    zienswijze_record,
)
from .disclosure import (
    disclosure_record,
)
from .dossier import (
    dossier_create,
    dossier_transition,
    party_add,
)
from .investigation import (
    checklist_record,
    lbb_extend,
    lbb_follow_up_answer,
    lbb_follow_up_ask,
    lbb_request_create,
    questionnaire_receive,
    questionnaire_send,
    vik_history_count,
)

__all__ = [
    "MIN_REASONING",
    "S",
    "_transition",
    "advice_record",
    "checklist_record",
    "decision_publish",
    "disclosure_record",
    "dossier_create",
    "dossier_decide",
    "dossier_transition",
    "lbb_extend",
    "lbb_follow_up_answer",
    "lbb_follow_up_ask",
    "lbb_request_create",
    "party_add",
    "questionnaire_receive",
    "questionnaire_send",
    "register_task_complete",
    "third_party_invite",
    "third_party_response",
    "vik_history_count",
    "voornemen_send",
    "zienswijze_record",
]

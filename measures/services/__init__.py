"""Every state change of a measure goes through here (STYLE.md rules 1, 4, 6): one transaction,
the parent locked with ``select_for_update``, an appended ``MeasureEvent``, and the deadlines
recomputed from the rules. Domain failures raise ``ApplicationError`` with the Dutch reason and
the form field it belongs to; nothing is changed then.

The package is split by sub-domain; every public name stays importable from here."""

from .common import (
    FLAGS,
    E,
    euro,
    parse_euro,
    today,
)
from .dwangsom import (
    forfeited_total,
    forfeiture_aanmaning,
    forfeiture_invordering,
    forfeiture_payment,
    forfeiture_record,
    receivable_write_off,
    receivables_mark_time_barred,
)
from .escalation import (
    Proposal,
    escalation_proposal,
    matrix_in_force,
    matrix_new_version,
    matrix_step_update,
    years_before,
)
from .lifecycle import (
    limitation_pause_enabled,
    measure_create,
    measure_deadlines_recompute,
    measure_event_record,
)
from .rules import (
    deadline_rule_get,
    deadline_rule_update,
    declared_days_mark_reviewed,
    declared_days_review_status,
    rules_by_code,
    zienswijze_max_days,
)

__all__ = [
    "E",
    "FLAGS",
    "Proposal",
    "deadline_rule_get",
    "deadline_rule_update",
    "declared_days_mark_reviewed",
    "declared_days_review_status",
    "escalation_proposal",
    "euro",
    "forfeited_total",
    "forfeiture_aanmaning",
    "forfeiture_invordering",
    "forfeiture_payment",
    "forfeiture_record",
    "limitation_pause_enabled",
    "matrix_in_force",
    "matrix_new_version",
    "matrix_step_update",
    "measure_create",
    "measure_deadlines_recompute",
    "measure_event_record",
    "parse_euro",
    "receivable_write_off",
    "receivables_mark_time_barred",
    "rules_by_code",
    "today",
    "years_before",
    "zienswijze_max_days",
]

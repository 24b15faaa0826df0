"""Figures for the partners' dashboard: Bibob (only through bibob's own selectors) and casustafel action items."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from vik.core.models import User

from .common import DashFilters, Figure

# --- Bibob (only through bibob's own selectors) --------------------------------------------------


def fig_bibob(*, user: User) -> list[Figure]:
    """Dossiers per risk branch and per outcome, counted by bibob's own selector over its own
    need-to-know (``bibob.selectors.branch_and_outcome_counts``); nothing for a user not cleared
    for the bibob compartment."""
    from bibob.selectors import branch_and_outcome_counts

    counts = branch_and_outcome_counts(user=user)
    if counts is None:
        return []
    per_branch, per_outcome = counts
    return [
        Figure(
            "bibob_branch",
            _("Bibob-dossiers per risicobranche"),
            [_("Branche"), _("Dossiers")],
            [[label, n] for label, n in per_branch],
        ),
        Figure(
            "bibob_outcome",
            _("Bibob-dossiers per uitkomst"),
            [_("Uitkomst"), _("Dossiers")],
            [[label, n] for label, n in per_outcome],
        ),
    ]


# --- casustafel action items ---------------------------------------------------------------------


def fig_action_items(*, user: User, f: DashFilters, today: date | None = None) -> Figure:
    """Open and overdue casustafel action items per owner organisation, counted over the items the
    viewer may see through the casustafel's own need-to-know (meeting and audience)."""
    from meetings.selectors import open_actions_per_org

    title = _("Acties casustafel per partner")
    columns = [_("Partner"), _("Open"), _("Te laat")]
    rows = [[name, o, d] for name, o, d in open_actions_per_org(user=user, today=today)]
    note = _("Stand van vandaag.") if rows else _("Geen open acties om te tonen.")
    return Figure("action_items", title, columns, rows, chart="stacked", note=note)

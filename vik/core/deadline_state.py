"""The one place that says what state a deadline is in, for display.

Every page, widget, counter and e-mail that shows a deadline asks :func:`deadline_state` (or the
``deadline_state`` template tag that wraps it), so that an overdue term can never look like an
upcoming one in one place while another place shows it red.

States (``DeadlineState.code``):

* ``done``     – afgehandeld (the act was done, or the case decided): never red;
* ``overdue``  – verstreken: the last day (``due``) lies before today, shown red with how long ago;
* ``today``    – vandaag: today is the last day;
* ``soon``     – binnen N dagen: the last day is within ``soon_days`` calendar days;
* ``later``    – later: further away.

"Today" is the calendar date in Europe/Amsterdam (the zone the law counts in), never the UTC date:
at 23:30 UTC on 31 December it is already 1 January in Amsterdam. Distances are calendar days
(the due date is already the Atw-corrected last day, computed by the legal calendar); for terms
that run out soon the number of working days left is given as well, because a term ending on
Monday seen on Friday leaves one working day, not three.

This module is pure apart from reading the clock when ``today`` is not passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .calendar import working_days_between

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

DONE = "done"
OVERDUE = "overdue"
TODAY = "today"
SOON = "soon"
LATER = "later"

#: Default horizon for "binnen N dagen" (the home cards count "binnen 14 dagen").
SOON_DAYS = 14

_TONE = {DONE: "ok", OVERDUE: "danger", TODAY: "warn", SOON: "soon", LATER: "later"}


@dataclass(frozen=True)
class DeadlineState:
    code: str  # done, overdue, today, soon, later
    due: date | None
    days: int  # due - today in calendar days (negative when overdue); 0 when done/unknown
    label: str  # short Dutch text: "verstreken, 3 dagen geleden", "vandaag", "binnen 4 dagen"
    detail: str = ""  # extra Dutch text for a title/tooltip, e.g. "nog 1 werkdag"

    @property
    def tone(self) -> str:
        """CSS modifier: danger (red), warn (orange), soon, later, ok."""
        return _TONE[self.code]

    @property
    def is_overdue(self) -> bool:
        return self.code == OVERDUE

    @property
    def is_open(self) -> bool:
        return self.code != DONE

    @property
    def css_class(self) -> str:
        return f"vik-deadline vik-deadline--{self.code}"


def amsterdam_today(now: datetime | None = None) -> date:
    """Today's calendar date in Europe/Amsterdam (``now`` defaults to the current time)."""
    if now is None:
        now = datetime.now(tz=AMSTERDAM)
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(AMSTERDAM).date()


def _ago(days: int) -> str:
    if days == 1:
        return _("verstreken, gisteren")
    if days < 14:
        return ngettext("verstreken, %(n)d dag geleden", "verstreken, %(n)d dagen geleden", days) % {
            "n": days
        }
    weeks = days // 7
    if days < 60:
        return ngettext("verstreken, %(n)d week geleden", "verstreken, %(n)d weken geleden", weeks) % {
            "n": weeks
        }
    months = days // 30
    return ngettext("verstreken, %(n)d maand geleden", "verstreken, %(n)d maanden geleden", months) % {
        "n": months
    }


def deadline_state(
    due: date | datetime | None,
    *,
    today: date | None = None,
    done: bool = False,
    soon_days: int = SOON_DAYS,
) -> DeadlineState:
    """The display state of a deadline whose last day is ``due``.

    ``done``: the act was done or the case is closed (afgehandeld; wins over every date).
    ``today``: the reference date (default: today in Europe/Amsterdam).
    ``soon_days``: the horizon of "binnen N dagen"; beyond it the state is ``later``.
    A datetime ``due`` counts by its Amsterdam calendar date."""
    if isinstance(due, datetime):
        due = amsterdam_today(due) if due.tzinfo else due.date()
    if done:
        return DeadlineState(DONE, due, 0, _("afgehandeld"))
    if due is None:
        return DeadlineState(LATER, None, 0, _("geen datum"))
    if today is None:
        today = amsterdam_today()
    days = (due - today).days
    if days < 0:
        return DeadlineState(OVERDUE, due, days, _ago(-days))
    if days == 0:
        return DeadlineState(TODAY, due, 0, _("vandaag"), _("laatste dag"))
    if days > soon_days:
        label = ngettext("over %(n)d dag", "over %(n)d dagen", days) % {"n": days}
        return DeadlineState(LATER, due, days, label)
    working = working_days_between(today, due)
    detail = ngettext("nog %(n)d werkdag", "nog %(n)d werkdagen", working) % {"n": working}
    if days == 1:
        label = _("morgen")
    else:
        label = ngettext("binnen %(n)d dag", "binnen %(n)d dagen", days) % {"n": days}
    return DeadlineState(SOON, due, days, label, detail)


def count_states(states) -> dict[str, int]:
    """How many of ``states`` are in each state (every code present, zero when none)."""
    counts = {DONE: 0, OVERDUE: 0, TODAY: 0, SOON: 0, LATER: 0}
    for s in states:
        counts[s.code] += 1
    return counts


def badge_html(state: DeadlineState) -> SafeString:
    """The state as a coloured tag: ``<span class="vik-tag vik-tag--danger" ...>verstreken, ...``."""
    return format_html(
        '<span class="vik-tag vik-tag--{}" data-deadline-state="{}"{}>{}</span>',
        state.tone,
        state.code,
        format_html(' title="{}"', state.detail) if state.detail else "",
        state.label,
    )


def date_and_badge_html(state: DeadlineState) -> SafeString:
    """The due date in VIK's one Dutch date format (dd-mm-jjjj) followed by the state tag."""
    if state.due is None:
        return badge_html(state)
    return format_html(
        '<span class="{}"><time datetime="{}">{}</time> {}</span>',
        state.css_class,
        state.due.isoformat(),
        state.due.strftime("%d-%m-%Y"),
        badge_html(state),
    )

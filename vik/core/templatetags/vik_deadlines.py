"""``{% deadline due done=... %}``: a deadline's date with its state (verstreken, vandaag, binnen
N dagen, later, afgehandeld) as computed by :func:`vik.core.deadline_state.deadline_state`."""

from datetime import date

from django import template

from vik.core.deadline_state import SOON_DAYS, badge_html, date_and_badge_html, deadline_state

register = template.Library()


def _context_today(context):
    today = context.get("today")
    return today if isinstance(today, date) else None


@register.simple_tag(takes_context=True)
def deadline(context, due, done=False, today=None, soon_days=SOON_DAYS, show_date=True):
    """The due date in the one Dutch format (dd-mm-jjjj) followed by a state badge. ``today``
    defaults to the view's ``today`` context variable, else today in Europe/Amsterdam."""
    if today is None:
        today = _context_today(context)
    state = deadline_state(due, today=today, done=bool(done), soon_days=soon_days)
    return date_and_badge_html(state) if show_date else badge_html(state)


@register.simple_tag(takes_context=True)
def deadline_state_of(context, due, done=False, today=None, soon_days=SOON_DAYS):
    """The :class:`DeadlineState` itself, for templates that branch on it:
    ``{% deadline_state_of d.due_date done=d.done as st %}``."""
    if today is None:
        today = _context_today(context)
    return deadline_state(due, today=today, done=bool(done), soon_days=soon_days)


@register.filter
def dutch_date(value):
    """The one Dutch date format of VIK: dd-mm-jjjj."""
    if not value:
        return ""
    return value.strftime("%d-%m-%Y")

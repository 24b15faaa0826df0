"""``{% deadline due done=... %}``: a deadline's date with its state (verstreken, vandaag, binnen
N dagen, later, afgehandeld) as computed by :func:`vik.core.deadline_state.deadline_state`."""

from django import template
from django.utils.html import format_html

from vik.core.deadline_state import SOON_DAYS, deadline_state

register = template.Library()


@register.simple_tag(takes_context=True)
def deadline(context, due, done=False, today=None, soon_days=SOON_DAYS, show_date=True):
    """The due date in the one Dutch format (dd-mm-jjjj) followed by a state badge. ``today``
    defaults to the view's ``today`` context variable, else today in Europe/Amsterdam."""
    if today is None:
        today = context.get("today")
    state = deadline_state(due, today=today, done=bool(done), soon_days=soon_days)
    badge = format_html(
        '<span class="vik-tag vik-tag--{}" data-deadline-state="{}"{}>{}</span>',
        state.tone,
        state.code,
        format_html(' title="{}"', state.detail) if state.detail else "",
        state.label,
    )
    if not show_date or state.due is None:
        return badge
    return format_html(
        '<span class="{}"><time datetime="{}">{}</time> {}</span>',
        state.css_class,
        state.due.isoformat(),
        state.due.strftime("%d-%m-%Y"),
        badge,
    )


@register.simple_tag(takes_context=True)
def deadline_state_of(context, due, done=False, today=None, soon_days=SOON_DAYS):
    """The :class:`DeadlineState` itself, for templates that branch on it:
    ``{% deadline_state_of d.due_date done=d.done as st %}``."""
    if today is None:
        today = context.get("today")
    return deadline_state(due, today=today, done=bool(done), soon_days=soon_days)


@register.filter
def dutch_date(value):
    """The one Dutch date format of VIK: dd-mm-jjjj."""
    if not value:
        return ""
    return value.strftime("%d-%m-%Y")



from django import template

from measures.services import euro as _euro

register = template.Library()


@register.filter
def euro(value):
    """Decimal euros as "€ 5.000,00"."""
    return _euro(value) if value is not None else ""


@register.filter
def event_label(code):
    """An event code (``beslissing_op_bezwaar``) as the words a user reads."""
    from measures.constants import EventType

    return dict(EventType.choices).get(str(code), str(code).replace("_", " "))

from django import template

from measures.services import euro as _euro

register = template.Library()


@register.filter
def euro(value):
    """Decimal euros as "€ 5.000,00"."""
    return _euro(value) if value is not None else ""

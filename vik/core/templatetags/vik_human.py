"""Human words in templates: no model labels (``subjects.person 60``), no English codes, a
person's name where a username would show."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik.core.formats import nl_int
from vik.core.kinds import model_for_label

register = template.Library()

# One entry on a subject's timeline (vik.core.registry.TimelineEntry.kind), singular.
KIND_LABELS = {
    "signal": _("signaal"),
    "measure": _("maatregel"),
    "deadline": _("termijn"),
    "bibob": _("Bibob"),
    "meeting": _("casustafel"),
    "link": _("relatie"),
    "merge": _("samenvoeging"),
}


@register.filter
def kind_label(code):
    """Dutch label of a timeline kind code; an unknown code is shown as "overig"."""
    return KIND_LABELS.get(str(code), _("overig"))


@register.filter
def model_name(model_label):
    """``subjects.person`` -> "persoon" (the model's verbose name)."""
    model = model_for_label(str(model_label))
    return str(model._meta.verbose_name) if model is not None else _("gegeven")


@register.filter
def record_label(model_label, object_id=""):
    """``subjects.person`` and 60 -> "Persoon nr. 60"."""
    name = str(model_name(model_label))
    name = name[:1].upper() + name[1:]
    return f"{name} nr. {object_id}" if object_id not in ("", None) else name


@register.filter
def person_name(user):
    """A user's full name, the username only when no name is known."""
    if not user:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def nl_date(value):
    """VIK's one Dutch date format (dd-mm-jjjj, with hh:mm for a moment) for a date, a datetime
    or an ISO string as stored in a data-subject answer; anything else is shown unchanged."""
    if isinstance(value, str) and value[:4].isdigit() and value[4:5] == "-":
        try:
            value = (
                datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
            )
        except ValueError:
            return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return value


@register.filter
def nl_number(value):
    """A whole number the Dutch way, a dot between thousands: 5000 -> "5.000"; anything else
    is shown unchanged."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return nl_int(value)


@register.filter
def without_param(query, name):
    """``request.GET`` encoded without ``name`` (the pager's links: ``pagina`` once, not appended
    again on every click)."""
    copy = query.copy()
    copy.pop(name, None)
    return copy.urlencode()

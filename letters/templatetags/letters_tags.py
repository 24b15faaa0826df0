"""``{% letters_panel measure %}``: the "Brieven" card with "Brief maken" on a case page."""

from django import template

from .. import selectors
from ..permissions import ADD_LETTER, VIEW_LETTER

register = template.Library()


@register.inclusion_tag("letters/_panel.html", takes_context=True)
def letters_panel(context, measure):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(VIEW_LETTER):
        return {"show": False}
    return {
        "show": True,
        "measure": measure,
        "letters": list(selectors.letters_of_measure(user, measure)[:50]),
        "may_add": user.has_perm(ADD_LETTER) and bool(selectors.kinds_for_measure(measure)),
        "suggested": selectors.suggested_kind(measure),
    }


@register.inclusion_tag("letters/_panel.html", takes_context=True)
def letters_panel_dossier(context, dossier):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(VIEW_LETTER):
        return {"show": False}
    return {
        "show": True,
        "dossier": dossier,
        "letters": list(selectors.letters_of_dossier(user, dossier)[:50]),
        "may_add": user.has_perm(ADD_LETTER),
        "suggested": selectors.suggested_kind_dossier(dossier),
    }

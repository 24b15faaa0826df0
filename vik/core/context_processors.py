from django.urls import NoReverseMatch, reverse

from .purpose import current_purpose
from .registry import registry


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = []
    for _order, label, url_name, perm in registry.nav:
        if perm and not user.has_perm(perm):
            continue
        try:
            href = reverse(url_name)
        except NoReverseMatch:
            continue
        nav.append({"label": label, "href": href, "active": request.path.startswith(href) and href != "/"})
    unread = user.notifications.filter(read_at__isnull=True).count() if user.is_verified() else 0
    return {"vik_nav": nav, "vik_purpose": current_purpose(request), "vik_unread": unread}

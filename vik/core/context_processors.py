from django.urls import NoReverseMatch, reverse

from .purpose import current_purpose
from .registry import registry

PURPOSE_PERM = "subjects.view_person"  # who opens subjects needs a purpose (vik.core.purpose)


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = []
    for _order, label, url_name, perm in registry.nav:
        hrefs = []
        for name, need in [(url_name, perm), *registry.nav_alternatives.get(url_name, [])]:
            if need and not user.has_perm(need):
                continue
            if name.startswith("admin:") and not user.is_staff:
                continue
            try:
                hrefs.append(reverse(name))
            except NoReverseMatch:
                continue
        if not hrefs:
            continue
        active = any(request.path.startswith(h) and h != "/" for h in hrefs)
        nav.append({"label": label, "href": hrefs[0], "active": active})
    unread = user.notifications.filter(read_at__isnull=True).count() if user.is_verified() else 0
    purpose = current_purpose(request)
    # Only roles that open persons, organisations or addresses need a purpose (werkcontext);
    # others (partners, functional admin, records manager) never see the purpose bar.
    needs_purpose = bool(purpose) or user.has_perm(PURPOSE_PERM)
    return {"vik_nav": nav, "vik_purpose": purpose, "vik_needs_purpose": needs_purpose, "vik_unread": unread}

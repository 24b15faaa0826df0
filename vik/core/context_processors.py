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
        match = max((len(h) for h in hrefs if h != "/" and request.path.startswith(h)), default=0)
        nav.append({"label": label, "href": hrefs[0], "active": False, "match": match})
    # only the entry with the longest matching path is current ("Mijn termijnen", not also
    # "Maatregelen", on /maatregelen/mijn-termijnen/)
    best = max((item["match"] for item in nav), default=0)
    for item in nav:
        item["active"] = bool(best) and item.pop("match") == best
        item.pop("match", None)
    unread = user.notifications.filter(read_at__isnull=True).count() if user.is_verified() else 0
    purpose = current_purpose(request)
    # Only roles that open persons, organisations or addresses need a purpose (werkcontext);
    # others (partners, functional admin, records manager) never see the purpose bar.
    needs_purpose = bool(purpose) or user.has_perm(PURPOSE_PERM)
    return {"vik_nav": nav, "vik_purpose": purpose, "vik_needs_purpose": needs_purpose, "vik_unread": unread}

"""``{% registry_panel obj %}`` on a subject page and ``{% registry_fetch_link kind %}`` on a
create form: the small, additive hooks of the registries app into the subjects pages."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from ..constants import VerificationStatus
from ..selectors import verification_of

register = template.Library()

LABELS = {"person": "BRP", "address": "BAG", "organisation": "KvK"}


@register.inclusion_tag("registries/partials/subject_panel.html", takes_context=True)
def registry_panel(context, obj):
    user = context["request"].user
    kind = getattr(obj, "kind", "")
    out = {"kind": kind, "obj": obj, "show": kind in LABELS}
    if not out["show"]:
        return out
    ver = verification_of(obj)
    out["verification"] = ver
    out["verified"] = ver is not None and ver.status == VerificationStatus.VERIFIED
    out["registry_label"] = LABELS[kind]
    if (
        kind == "person"
        and obj.bsn
        and (user.has_perm("registries.query_brp") or user.has_perm("registries.query_brp_identity"))
    ):
        out["compare_url"] = reverse("registries:person_compare", kwargs={"pk": obj.pk})
    if kind == "address" and user.has_perm("registries.query_bag_kvk"):
        out["compare_url"] = reverse("registries:address_compare", kwargs={"pk": obj.pk})
    if kind == "organisation" and obj.kvk_number and user.has_perm("registries.query_bag_kvk"):
        out["compare_url"] = reverse("registries:organisation_compare", kwargs={"pk": obj.pk})
    if kind == "address" and user.has_perm("registries.query_bewoning"):
        today = timezone.localdate()
        out["bewoning_url"] = reverse("registries:address_bewoning", kwargs={"pk": obj.pk})
        out["bewoning_start"] = (
            today.replace(year=today.year - 5).isoformat()
            if not (today.month == 2 and today.day == 29)
            else today.replace(year=today.year - 5, day=28).isoformat()
        )
        out["bewoning_end"] = today.isoformat()
    if kind == "organisation" and obj.kvk_number and user.has_perm("registries.query_bag_kvk"):
        out["kvk_url"] = reverse("registries:organisation_kvk", kwargs={"pk": obj.pk})
    return out


@register.inclusion_tag("registries/partials/fetch_link.html", takes_context=True)
def registry_fetch_link(context, kind):
    user = context["request"].user
    perms = {
        "person": ("registries.query_brp", "registries.query_brp_identity"),
        "address": ("registries.query_bag_kvk",),
        "organisation": ("registries.query_bag_kvk",),
    }.get(kind, ())
    url = reverse(f"registries:{kind}_fetch") if any(user.has_perm(p) for p in perms) else ""
    return {"url": url, "label": LABELS.get(kind, "")}


@register.filter
def join_if_list(value):
    """Lists as "a, b"; dates as d-m-yyyy (the compare table shows registry values of any type)."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "strftime"):
        return value.strftime("%-d-%-m-%Y")
    return value

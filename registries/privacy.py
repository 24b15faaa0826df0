"""Privacy providers of the registries app (docs/privacy-providers.md): the query log's two
retention classes and its section in a data-subject access request."""

from __future__ import annotations

from django.utils.translation import gettext as _

from vik.core.encryption import blind_index
from vik.core.models import LogRef
from vik.privacy.providers import DsarItem, DsarSection

from .constants import Registry
from .models import RegistryDisclosure, RegistryQuery

BRP_REGISTRIES = (Registry.BRP, Registry.BEWONING)


def _due(registries):
    def due(rule, today):
        cutoff = rule.anchor_cutoff(today)
        qs = RegistryQuery.objects.filter(registry__in=registries, at__date__lte=cutoff)
        for pk, at in qs.values_list("pk", "at").iterator():
            yield "registries.registryquery", pk, at.date()

    return due


def destroy(model_label: str, pk: int) -> None:
    """Delete the query and what it disclosed; the access-log rows about the disclosures become
    pseudonymous (their LogRefs go; the insert-only log itself is never touched)."""
    ids = list(RegistryDisclosure.objects.filter(query_id=pk).values_list("pk", flat=True))
    LogRef.objects.filter(kind="registries.registrydisclosure", object_id__in=ids).delete()
    RegistryQuery.objects.filter(pk=pk).delete()


due_brp = _due(BRP_REGISTRIES)
due_other = _due((Registry.BAG, Registry.KVK))


def dsar_section(person, user) -> DsarSection:
    """Every BRP question that returned this person: when, which registry, why, which data."""
    section = DsarSection(code="registries", label=_("Bevragingen van de BRP"))
    obj = getattr(person, "obj", None)
    bsn = getattr(obj, "bsn", None) if obj is not None else None
    if not bsn:
        return section
    rows = (
        RegistryDisclosure.objects.filter(identifier_index=blind_index(bsn), kind="person")
        .select_related("query")
        .order_by("query__at")
    )
    for d in rows:
        q = d.query
        section.items.append(
            DsarItem(
                title=_("Bevraging %(r)s") % {"r": q.get_registry_display()},
                date=q.at.date().isoformat(),
                purpose=q.purpose,
                fields={
                    _("gevraagde gegevens"): ", ".join(q.fields) or _("vaste set"),
                    _("organisatieonderdeel"): q.org_unit,
                },
                retention=_("20 jaar na de bevraging (protocollering BRP)"),
            )
        )
        section.log_refs.append(("registries.registrydisclosure", d.pk))
    return section

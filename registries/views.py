"""Where users meet the base registries.

- "Ophalen uit BRP/BAG/KvK": ask the registry, fill the person/address/organisation form, save
  through the subjects services and mark the record verified (source and date) for the values the
  analyst kept.
- "Vergelijken met basisregistratie" on a person: the differences, accepted one by one.
- "Bewoning" on an address: who was registered there in a period (purpose required, one access-
  log row per person).
- The KvK profile of an organisation with its SBI activities, risk branches highlighted.

Never blocking: when a registry is down or not configured the page says so and links to manual
entry. Reading needs a purpose (the werkcontext); a record the user may not see is a 404.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from subjects import selectors as subject_selectors
from subjects import services as subject_services
from subjects.constants import LinkType, SubjectKind
from subjects.forms import FORMS
from subjects.permissions import can_add, can_change, can_view_subjects, get_subject_for_user
from vik.core.accesslog import log_denied, log_shown
from vik.core.constants import RiskBranch
from vik.core.encryption import blind_index
from vik.core.exceptions import ApplicationError, PurposeRequired
from vik.core.purpose import current_purpose, require_purpose

from . import services
from .clients.base import RegistryError
from .constants import Registry, VerificationStatus
from .forms import AcceptForm, BagLookupForm, BewoningForm, BsnLookupForm, KvkLookupForm
from .sbi import legal_form_code, risk_branch_for

SESSION_KEY = "registries_fetched"
FETCH = {
    SubjectKind.PERSON: {
        "registry": Registry.BRP,
        "label": "BRP",
        "perms": ("registries.query_brp", "registries.query_brp_identity"),
        "lookup": BsnLookupForm,
    },
    SubjectKind.ADDRESS: {
        "registry": Registry.BAG,
        "label": "BAG",
        "perms": ("registries.query_bag_kvk",),
        "lookup": BagLookupForm,
    },
    SubjectKind.ORGANISATION: {
        "registry": Registry.KVK,
        "label": "KvK",
        "perms": ("registries.query_bag_kvk",),
        "lookup": KvkLookupForm,
    },
}


def _purpose_refused(request, exc: ApplicationError):
    return render(
        request,
        "subjects/purpose_required.html",
        {"message": exc.message, "next": request.get_full_path()},
        status=400,
    )


def _rd_to_wgs84(point):
    if not point:
        return None, None
    try:
        from pyproj import Transformer

        lon, lat = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True).transform(*point)
        return f"{lat:.6f}", f"{lon:.6f}"
    except Exception:  # a missing projection grid never blocks filling the form
        return None, None


def _digest(value) -> str:
    """A keyed hash of a form value, exact (case and accents count), for the session."""
    text = "" if value is None else str(value.isoformat() if hasattr(value, "isoformat") else value)
    key = settings.BLIND_INDEX_KEY.encode()
    return hmac.new(key, " ".join(text.split()).encode(), hashlib.sha256).hexdigest()


class RegistriesView(View):
    kind = ""

    def dispatch(self, request, *args, **kwargs):
        if not can_view_subjects(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def subject(self, request, pk):
        try:
            obj = get_subject_for_user(request.user, self.kind, pk)
        except Http404:
            log_denied(user=request.user, obj_kind=f"subjects.{self.kind}", object_id=pk, request=request)
            raise
        # the page names the record: its read is logged with the stated purpose (#15 item 4)
        purpose = current_purpose(request)
        log_shown(
            user=request.user,
            request=request,
            shown=[(obj, str(purpose) if purpose else "")],
            detail=f"basisregistratie: {request.resolver_match.url_name}",
        )
        return obj


# --- Ophalen uit BRP/BAG/KvK ---------------------------------------------------------------------


class RegistryFetchView(RegistriesView):
    """Step 1: the lookup form. Step 2 (``step=lookup``/``choose``): the registry's answer fills the
    record form. Step 3 (``step=save``): the record is created and marked verified."""

    def dispatch(self, request, *args, **kwargs):
        spec = FETCH.get(self.kind)
        user = request.user
        if spec is None or not can_add(user, self.kind) or not any(user.has_perm(p) for p in spec["perms"]):
            raise Http404
        self.spec = spec
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, *, lookup=None, form=None, found=None, choices=None, error="", status=200):
        return render(
            request,
            "registries/fetch.html",
            {
                "kind": self.kind,
                "registry_label": self.spec["label"],
                "lookup": lookup or self.spec["lookup"](),
                "form": form,
                "found": found,
                "choices": choices,
                "error": error,
                "manual_url": reverse(f"subjects:{self.kind}_create"),
            },
            status=status,
        )

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        step = request.POST.get("step", "lookup")
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        if step == "save":
            return self.save(request)
        lookup = self.spec["lookup"](request.POST)
        if not lookup.is_valid():
            return self.render_page(request, lookup=lookup, status=400)
        try:
            values, found, choices = getattr(self, f"fetch_{self.kind}")(
                request, str(purpose), lookup.cleaned_data
            )
        except RegistryError as exc:
            return self.render_page(request, lookup=lookup, error=exc.message, status=200)
        except ApplicationError as exc:
            lookup.add_error(exc.field if exc.field in lookup.fields else None, exc.message)
            return self.render_page(request, lookup=lookup, status=400)
        if choices is not None:
            return self.render_page(request, lookup=lookup, choices=choices)
        if values is None:
            return self.render_page(
                request,
                lookup=lookup,
                error=_("Niet gevonden in de %(r)s. U kunt de gegevens met de hand invullen.")
                % {"r": self.spec["label"]},
            )
        # Only keyed hashes of the fetched values go into the session (no BSN or name at rest):
        # enough to tell on save which values the analyst kept unchanged.
        fetched = request.session.get(SESSION_KEY, {})
        fetched[self.kind] = {
            "values": {k: _digest(v) for k, v in values.items()},
            "at": timezone.now().isoformat(),
        }
        request.session[SESSION_KEY] = fetched
        form = FORMS[self.kind](initial=values, user=request.user)
        return self.render_page(request, lookup=lookup, form=form, found=found)

    # each returns (form values, what to show beside the form, or a list of choices)
    def fetch_person(self, request, purpose, data):
        person = services.brp_person_by_bsn(
            actor=request.user, purpose=purpose, bsn=data["bsn"], request=request
        )
        if person is None:
            return None, None, None
        values = {
            "bsn": person.bsn,
            "voornamen": person.voornamen,
            "voorvoegsel": person.voorvoegsel,
            "geslachtsnaam": person.geslachtsnaam,
            "birth_date": person.birth_date.isoformat() if person.birth_date else "",
            "birth_place": person.birth_place,
            "source": "BRP",
        }
        if person.address and person.address.postcode:
            values |= {"postcode": person.address.postcode, "house_number": person.address.house_number}
        return values, {"person": person, "markings": person.markings}, None

    def fetch_address(self, request, purpose, data):
        found = services.bag_addresses(
            actor=request.user,
            purpose=purpose,
            postcode=data["postcode"],
            house_number=data["house_number"],
            house_letter=data.get("house_letter") or "",
            request=request,
        )
        pick = request.POST.get("nummeraanduiding", "")
        if pick:
            found = [a for a in found if a.nummeraanduiding == pick]
        if not found:
            return None, None, None
        if len(found) > 1:
            return None, None, found
        adres = found[0]
        obj = None
        if adres.adresseerbaar_object:
            obj = services.bag_object(
                actor=request.user, purpose=purpose, object_id=adres.adresseerbaar_object, request=request
            )
        lat, lon = _rd_to_wgs84(obj.point if obj else None)
        values = {
            "street": adres.street,
            "house_number": adres.house_number,
            "house_letter": adres.house_letter,
            "house_number_addition": adres.addition,
            "postcode": adres.postcode,
            "town": adres.town,
            "bag_nummeraanduiding": adres.nummeraanduiding,
            "bag_verblijfsobject": adres.adresseerbaar_object,
            "gemeente_code": f"GM{adres.nummeraanduiding[:4]}",
            "latitude": lat or "",
            "longitude": lon or "",
            "source": "BAG",
        }
        return values, {"address": adres, "object": obj, "markings": list(adres.in_onderzoek)}, None

    def fetch_organisation(self, request, purpose, data):
        number = data.get("kvk_number") or request.POST.get("pick", "")
        if not number:
            hits = services.kvk_search(
                actor=request.user,
                purpose=purpose,
                name=data["name"],
                town=data.get("town") or "",
                request=request,
            )
            if len(hits) != 1:
                return (None, None, hits) if hits else (None, None, None)
            number = hits[0].kvk_number
        profile = services.kvk_profile(
            actor=request.user, purpose=purpose, kvk_number=number, request=request
        )
        if profile is None:
            return None, None, None
        risks = [r for r in (risk_branch_for(s.code) for s in profile.sbi) if r]
        values = {
            "name": profile.name,
            "kvk_number": profile.kvk_number,
            "vestigingsnummer": profile.vestigingsnummer,
            "rsin": profile.rsin,
            "legal_form": legal_form_code(profile.legal_form),
            "sbi_codes": ", ".join(s.code for s in profile.sbi),
            "trade_names": "\n".join(n for n in profile.trade_names if n != profile.name),
            "risk_branch": risks[0] if risks else "",
            "source": "KvK Handelsregister",
        }
        sbi = [(s, risk_branch_for(s.code)) for s in profile.sbi]
        return values, {"profile": profile, "sbi": sbi, "markings": []}, None

    def save(self, request):
        form = FORMS[self.kind](request.POST, user=request.user)
        fetched = request.session.get(SESSION_KEY, {}).get(self.kind)
        if not form.is_valid():
            return self.render_page(request, form=form, found={}, status=400)
        data = {name: form.cleaned_data.get(name) for name in form.service_fields}
        try:
            obj = getattr(subject_services, f"{self.kind}_create")(
                actor=request.user, compartment=form.cleaned_data["compartment"], **data
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.render_page(request, form=form, found={}, status=400)
        if fetched:
            kept, changed = [], []
            for name, value in fetched["values"].items():
                if name in ("source", "postcode", "house_number") and self.kind == SubjectKind.PERSON:
                    continue
                if name == "source":
                    continue
                same = _digest(form.cleaned_data.get(name)) == value
                (kept if same else changed).append(name)
            services.verification_set(
                kind=self.kind,
                obj_id=obj.pk,
                registry=self.spec["registry"],
                status=VerificationStatus.DIFFERS if changed else VerificationStatus.VERIFIED,
                fields=kept,
                note=(_("met de hand gewijzigd: %(f)s") % {"f": ", ".join(changed)}) if changed else "",
            )
            request.session.get(SESSION_KEY, {}).pop(self.kind, None)
            request.session.modified = True
        if (
            self.kind == SubjectKind.PERSON
            and form.cleaned_data.get("postcode")
            and form.cleaned_data.get("house_number")
        ):
            home = (
                subject_selectors.address_list(user=request.user)
                .filter(
                    postcode=form.cleaned_data["postcode"], house_number=form.cleaned_data["house_number"]
                )
                .order_by("pk")
                .first()
            )
            if home is not None:
                try:
                    subject_services.link_create(
                        actor=request.user, source_obj=obj, target_obj=home, link_type=LinkType.WOONT_OP,
                        source="BRP",
                    )  # fmt: skip
                except ApplicationError as exc:
                    messages.warning(request, exc.message)
        messages.success(request, _("Vastgelegd met gegevens uit de %(r)s.") % {"r": self.spec["label"]})
        return redirect(subject_selectors.subject_url(self.kind, obj.pk))


# --- Vergelijken met basisregistratie -----------------------------------------------------------------


COMPARE_PERMS = {
    SubjectKind.PERSON: ("registries.query_brp", "registries.query_brp_identity"),
    SubjectKind.ADDRESS: ("registries.query_bag_kvk",),
    SubjectKind.ORGANISATION: ("registries.query_bag_kvk",),
}
REGISTRY_LABELS = {SubjectKind.PERSON: "BRP", SubjectKind.ADDRESS: "BAG", SubjectKind.ORGANISATION: "KvK"}


class SubjectCompareView(RegistriesView):
    """Vergelijken met basisregistratie: GET asks the registry and lists the differences; POST
    takes one over (``field``)."""

    def dispatch(self, request, *args, **kwargs):
        if not any(request.user.has_perm(p) for p in COMPARE_PERMS.get(self.kind, ())):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, obj, *, theirs=None, diffs=None, error="", status=200):
        return render(
            request,
            "registries/compare.html",
            {
                "obj": obj,
                "kind": self.kind,
                "registry_label": REGISTRY_LABELS[self.kind],
                "theirs": theirs,
                "markings": getattr(theirs, "markings", []) if theirs is not None else [],
                "diffs": diffs or [],
                "error": error,
                "can_change": can_change(request.user, self.kind) and not obj.is_merged,
                "back": subject_selectors.subject_url(self.kind, obj.pk),
            },
            status=status,
        )

    def get(self, request, pk):
        obj = self.subject(request, pk)
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        try:
            theirs, diffs = services.subject_compare(
                actor=request.user, purpose=str(purpose), obj=obj, request=request
            )
        except ApplicationError as exc:
            return self.render_page(request, obj, error=exc.message)
        if theirs is None:
            return self.render_page(
                request, obj, error=_("Niet gevonden in de %(r)s.") % {"r": REGISTRY_LABELS[self.kind]}
            )
        return self.render_page(request, obj, theirs=theirs, diffs=diffs)

    def post(self, request, pk):
        obj = self.subject(request, pk)
        if not can_change(request.user, self.kind) or obj.is_merged:
            raise Http404
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        form = AcceptForm(request.POST)
        back = redirect(f"registries:{self.kind}_compare", pk=obj.pk)
        if not form.is_valid():
            return back
        try:
            services.subject_accept_difference(
                actor=request.user,
                purpose=str(purpose),
                obj=obj,
                field=form.cleaned_data["field"],
                request=request,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Overgenomen uit de %(r)s.") % {"r": REGISTRY_LABELS[self.kind]})
        return back


# --- Bewoning ------------------------------------------------------------------------------------


class AddressBewoningView(RegistriesView):
    kind = SubjectKind.ADDRESS

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("registries.query_bewoning"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        address = self.subject(request, pk)
        today = timezone.localdate()
        form = BewoningForm(
            request.GET or None, initial={"start": today - timedelta(days=5 * 365), "end": today}
        )
        context = {"obj": address, "form": form, "result": None, "error": ""}
        context["back"] = subject_selectors.subject_url(self.kind, address.pk)
        status = 200
        if form.is_bound:
            if not form.is_valid():
                status = 400
            elif not address.bag_verblijfsobject:
                context["error"] = _(
                    "Dit adres heeft geen BAG verblijfsobject-id; haal het adres eerst op uit de BAG of vul het id in."
                )
            else:
                try:
                    purpose = require_purpose(request)
                except PurposeRequired as exc:
                    return _purpose_refused(request, exc)
                try:
                    context["result"] = services.bewoning_in_period(
                        actor=request.user,
                        purpose=str(purpose),
                        object_id=address.bag_verblijfsobject,
                        start=form.cleaned_data["start"],
                        end=form.cleaned_data["end"] + timedelta(days=1),  # the API's datumTot is exclusive
                        request=request,
                    )
                except ApplicationError as exc:
                    context["error"] = exc.message
                if context["result"] is not None:
                    # persons VIK already knows (and the user may see) link to their page
                    bsns = {p.bsn for b in context["result"] for p in b.bewoners}
                    index = {blind_index(b): b for b in bsns}
                    known = {}
                    for p in subject_selectors.person_list(user=request.user).filter(
                        bsn_index__in=list(index)
                    ):
                        known[index[p.bsn_index]] = subject_selectors.subject_url("person", p.pk)
                    context["result"] = [
                        {"b": b, "people": [(p, known.get(p.bsn, "")) for p in b.bewoners]}
                        for b in context["result"]
                    ]
        return render(request, "registries/bewoning.html", context, status=status)


# --- KvK profile ---------------------------------------------------------------------------------


class OrganisationKvkView(RegistriesView):
    kind = SubjectKind.ORGANISATION

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("registries.query_bag_kvk"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        org = self.subject(request, pk)
        context = {"obj": org, "profile": None, "sbi": [], "error": ""}
        context["back"] = subject_selectors.subject_url(self.kind, org.pk)
        if not org.kvk_number:
            context["error"] = _("Deze organisatie heeft geen KvK-nummer.")
            return render(request, "registries/kvk_profile.html", context)
        try:
            purpose = require_purpose(request)
        except PurposeRequired as exc:
            return _purpose_refused(request, exc)
        try:
            profile = services.kvk_profile(
                actor=request.user, purpose=str(purpose), kvk_number=org.kvk_number, request=request
            )
        except ApplicationError as exc:
            context["error"] = exc.message
            return render(request, "registries/kvk_profile.html", context)
        if profile is None:
            context["error"] = _("Dit KvK-nummer is niet gevonden in het Handelsregister.")
            services.verification_set(
                kind=self.kind, obj_id=org.pk, registry=Registry.KVK, status=VerificationStatus.NOT_FOUND
            )
        else:
            context["profile"] = profile
            context["sbi"] = [(s, risk_branch_for(s.code)) for s in profile.sbi]
            context["risk_labels"] = dict(RiskBranch.choices)
            same = org.name == profile.name and sorted(org.sbi_codes) == sorted(s.code for s in profile.sbi)
            services.verification_set(
                kind=self.kind,
                obj_id=org.pk,
                registry=Registry.KVK,
                status=VerificationStatus.VERIFIED if same else VerificationStatus.DIFFERS,
                fields=["name", "sbi_codes"] if same else [],
                note="" if same else _("naam of SBI-codes wijken af van het Handelsregister"),
            )
        return render(request, "registries/kvk_profile.html", context)


# --- the query log (privacy officer) ------------------------------------------------------------------


class QueryLogView(View):
    """The protocol of registry questions: who asked what, when, why, which fields, the outcome.
    No BSNs on screen; a person's questions are part of a data-subject request."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("registries.view_registryquery"):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        from . import selectors
        from .forms import QueryLogFilterForm

        form = QueryLogFilterForm(request.GET or None)
        rows = []
        if not form.is_bound or form.is_valid():
            data = form.cleaned_data if form.is_bound else {}
            rows = list(
                selectors.query_log(
                    start=data.get("start"),
                    end=data.get("end"),
                    registry=data.get("registry") or "",
                    username=(data.get("username") or "").strip(),
                    before=data.get("voor"),
                )
            )
        params = request.GET.copy()
        older = ""
        if len(rows) == selectors.PAGE:
            params["voor"] = rows[-1].pk
            older = params.urlencode()
        return render(
            request,
            "registries/query_log.html",
            {"form": form, "rows": rows, "older": older},
            status=200 if not form.errors else 400,
        )

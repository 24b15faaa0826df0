"""Subjects (persons, organisations) and objects (addresses, vehicles), the links between them,
and the records that make every merge undoable. Every record is under need-to-know
(``ProtectedModel``). Validation of identifiers lives in ``subjects.validators``."""

from __future__ import annotations

from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vik.core.constants import RiskBranch
from vik.core.encryption import EncryptedCharField
from vik.core.models import BaseModel, ProtectedModel

from .constants import LegalForm, LinkType, Reliability, SubjectKind


class SubjectBase(ProtectedModel):
    """Common to the four kinds: merge bookkeeping and provenance."""

    merged_into_kind = models.CharField(max_length=20, blank=True)
    merged_into_id = models.BigIntegerField(null=True, blank=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    # Where each value came from: {field: {"source": ..., "from": "person:12", "merge": 3}}. A merge
    # records here which values the survivor took over from the duplicate.
    provenance = models.JSONField(_("herkomst per gegeven"), default=dict, blank=True, editable=False)
    # Optimistic concurrency: every saved edit raises the version; an edit made on a form opened
    # at an older version is refused instead of silently reverting the other user's change.
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    # No index on created_at: nothing looks subjects up or sorts them by it, and every index is
    # written by each new record (the import creates thousands a second, issue #26).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("laatst gewijzigd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta(ProtectedModel.Meta):
        abstract = True

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Person(SubjectBase):
    voornamen = models.CharField(_("voornamen"), max_length=200, blank=True)
    voorvoegsel = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    geslachtsnaam = models.CharField(_("geslachtsnaam"), max_length=200)
    # unaccent(lower(geslachtsnaam)) with the voorvoegsel split off; trigram GIN index
    name_normalised = models.CharField(max_length=200, editable=False, db_index=True)
    initials = models.CharField(_("voorletters"), max_length=20, blank=True, editable=False)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    birth_place = models.CharField(_("geboorteplaats"), max_length=100, blank=True)
    bsn = EncryptedCharField(_("BSN"), max_length=9, blank=True, null=True)
    bsn_index = models.CharField(max_length=64, blank=True, editable=False)  # subjects_person_bsn
    aliases = ArrayField(
        models.CharField(max_length=200), verbose_name=_("aliassen"), default=list, blank=True
    )
    # unaccent(lower()) of the aliases, joined: word-similarity search (trigram GIN index)
    alias_keys = models.TextField(blank=True, default="", editable=False)

    kind = SubjectKind.PERSON

    class Meta(SubjectBase.Meta):
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        indexes = [
            GinIndex(fields=["visible_to"], name="subjects_person_vis"),
            GinIndex(
                name="subjects_person_name_trgm", fields=["name_normalised"], opclasses=["gin_trgm_ops"]
            ),
            GinIndex(name="subjects_person_alias_trgm", fields=["alias_keys"], opclasses=["gin_trgm_ops"]),
            models.Index(fields=["birth_date"], name="subjects_person_birth"),
            # equality only: a plain index, without the varchar_pattern_ops twin db_index=True adds
            models.Index(fields=["bsn_index"], name="subjects_person_bsn"),
        ]
        permissions = [("merge_subject", "Mag subjecten en objecten samenvoegen en dit ongedaan maken")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        last = " ".join(p for p in [self.voorvoegsel, self.geslachtsnaam] if p)
        return f"{self.voornamen} {last}".strip()


class Organisation(SubjectBase):
    name = models.CharField(_("naam"), max_length=200)
    name_normalised = models.CharField(max_length=200, editable=False, db_index=True)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True, db_index=True)
    vestigingsnummer = models.CharField(_("vestigingsnummer"), max_length=12, blank=True)
    rsin = models.CharField(_("RSIN"), max_length=9, blank=True)
    legal_form = models.CharField(_("rechtsvorm"), max_length=20, choices=LegalForm.choices, blank=True)
    sbi_codes = ArrayField(
        models.CharField(max_length=6), verbose_name=_("SBI-codes"), default=list, blank=True
    )
    trade_names = ArrayField(
        models.CharField(max_length=200), verbose_name=_("handelsnamen"), default=list, blank=True
    )
    # unaccent(lower()) of the trade names, joined: word-similarity search (trigram GIN index)
    alias_keys = models.TextField(blank=True, default="", editable=False)
    risk_branch = models.CharField(_("risicobranche"), max_length=20, choices=RiskBranch.choices, blank=True)

    kind = SubjectKind.ORGANISATION

    class Meta(SubjectBase.Meta):
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        indexes = [
            GinIndex(fields=["visible_to"], name="subjects_org_vis"),
            GinIndex(name="subjects_org_name_trgm", fields=["name_normalised"], opclasses=["gin_trgm_ops"]),
            GinIndex(name="subjects_org_alias_trgm", fields=["alias_keys"], opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return self.name


class StreetKey(models.Func):
    """``upper(vik_unaccent(street))``: the street as the search matches it (accents and case
    ignored). ``vik_unaccent`` is ``unaccent`` with its dictionary fixed, declared IMMUTABLE
    (migration subjects 0005) so that the trigram index ``subjects_address_street_trgm`` can hold
    it and a ``LIKE '%…%'`` on it is answered from the index instead of a scan of every address."""

    template = "UPPER(vik_unaccent(%(expressions)s))"
    output_field = models.TextField()


class Address(SubjectBase):
    bag_nummeraanduiding = models.CharField(_("BAG nummeraanduiding-id"), max_length=16, blank=True)
    bag_verblijfsobject = models.CharField(_("BAG verblijfsobject-id"), max_length=16, blank=True)
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True)
    # stored without space: 7607AB; looked up by equality through subjects_address_pc_nr
    postcode = models.CharField(_("postcode"), max_length=6)
    town = models.CharField(_("woonplaats"), max_length=100)
    gemeente_code = models.CharField(_("gemeentecode (CBS)"), max_length=6, blank=True)  # GM0141
    wijk_code = models.CharField(_("wijkcode (CBS)"), max_length=8, blank=True)  # WK014101
    buurt_code = models.CharField(
        _("buurtcode (CBS)"), max_length=10, blank=True, db_index=True
    )  # BU01410101
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)

    kind = SubjectKind.ADDRESS

    class Meta(SubjectBase.Meta):
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")
        indexes = [
            GinIndex(fields=["visible_to"], name="subjects_address_vis"),
            models.Index(fields=["postcode", "house_number"], name="subjects_address_pc_nr"),
            # Equality only: plain indexes, without the varchar_pattern_ops twins db_index=True adds
            # (each index costs every insert; the import writes thousands of addresses a second).
            models.Index(fields=["bag_nummeraanduiding"], name="subjects_address_bag_nr"),
            models.Index(fields=["wijk_code"], name="subjects_address_wijk"),
            GinIndex(
                OpClass(StreetKey(models.F("street")), name="gin_trgm_ops"),
                name="subjects_address_street_trgm",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        number = f"{self.house_number}{self.house_letter}"
        if self.house_number_addition:
            number += f"-{self.house_number_addition}"
        pc = f"{self.postcode[:4]} {self.postcode[4:]}" if len(self.postcode) == 6 else self.postcode
        return f"{self.street} {number}, {pc} {self.town}"


class Vehicle(SubjectBase):
    kenteken = models.CharField(_("kenteken"), max_length=6, db_index=True)  # normalised: no dashes, upper
    make = models.CharField(_("merk"), max_length=60, blank=True)
    model_name = models.CharField(_("type"), max_length=60, blank=True)
    colour = models.CharField(_("kleur"), max_length=30, blank=True)

    kind = SubjectKind.VEHICLE

    class Meta(SubjectBase.Meta):
        verbose_name = _("voertuig")
        verbose_name_plural = _("voertuigen")
        indexes = [GinIndex(fields=["visible_to"], name="subjects_vehicle_vis")]

    def __str__(self) -> str:
        return self.kenteken


class Link(ProtectedModel):
    """A typed, directed link between any two subjects/objects, with a period, source and
    reliability. Endpoints are (kind, id) pairs so one table serves all combinations."""

    from_kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    from_id = models.BigIntegerField()
    to_kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    to_id = models.BigIntegerField()
    link_type = models.CharField(_("soort relatie"), max_length=30, choices=LinkType.choices)
    start_date = models.DateField(_("vanaf"), null=True, blank=True)
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=200, blank=True)
    reliability = models.CharField(
        _("betrouwbaarheid"), max_length=1, choices=Reliability.choices, default=Reliability.X
    )

    class Meta(ProtectedModel.Meta):
        verbose_name = _("relatie")
        verbose_name_plural = _("relaties")
        indexes = [
            GinIndex(fields=["visible_to"], name="subjects_link_vis"),
            models.Index(fields=["from_kind", "from_id"], name="subjects_link_from"),
            models.Index(fields=["to_kind", "to_id"], name="subjects_link_to"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="subjects_link_period",
            )
        ]


class MergeRecord(BaseModel):
    """One merge: the survivor absorbed the duplicate. ``snapshot`` holds everything needed to
    undo exactly: the duplicate's field values and the list of references that were moved."""

    kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    survivor_id = models.BigIntegerField()
    duplicate_id = models.BigIntegerField()
    actor = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    snapshot = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


class SubjectReference(models.Model):
    """The reference to one subject that case records repeat (a signal's linked subject, a
    measure's subject, a Bibob party, an agenda item): nullable foreign keys to a person, an
    organisation and an address, of which at most one is set (:func:`exactly_one_subject` makes
    it exactly one). Abstract: no table of its own. A concrete model keeps its own reverse
    accessor or label by redeclaring a field (Django lets a model override an abstract parent's
    field), adds ``vehicle`` the same way and lists it in ``SUBJECT_FIELDS``."""

    SUBJECT_FIELDS: tuple[str, ...] = ("person", "organisation", "address")

    person = models.ForeignKey(
        "subjects.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "subjects.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.ForeignKey(
        "subjects.Address", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def subject(self) -> SubjectBase | None:
        """The subject referred to (None when none is set)."""
        for name in self.SUBJECT_FIELDS:
            if getattr(self, f"{name}_id", None):
                return getattr(self, name)
        return None

    @property
    def subject_kind(self) -> str:
        """``person``, ``organisation``, ``address`` (or ``vehicle``), or "" when none is set."""
        for name in self.SUBJECT_FIELDS:
            if getattr(self, f"{name}_id", None):
                return name
        return ""


def exactly_one_subject(name: str, fields: tuple[str, ...] = SubjectReference.SUBJECT_FIELDS):
    """The check constraint "exactly one of ``fields`` is set", for a model's ``Meta.constraints``."""
    condition = models.Q()
    for chosen in fields:
        condition |= models.Q(**{f"{f}__isnull": f != chosen for f in fields})
    return models.CheckConstraint(condition=condition, name=name)


class PersonUserObjectPermission(UserObjectPermissionBase):
    """django-guardian direct foreign-key permission table for persons (DESIGN §2: generic-FK
    permission tables do not scale to millions of rows)."""

    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


class PersonGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)

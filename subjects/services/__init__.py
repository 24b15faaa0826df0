"""Every change to subjects and objects: create, update, link, merge and undo a merge.

Services validate (identifiers through ``vik.core.identifiers``), run in one transaction, and
raise ``ApplicationError(message, field=...)`` with a Dutch message for the form field.

The package is split by sub-domain; every public name stays importable from here."""

from .common import (
    SUBJECT_MODELS,
    _require_editable,
    kind_of,
)
from .links import (
    ADDRESS_LINKS,
    link_create,
    link_end,
)
from .merge import (
    MERGE_CONFLICTS,
    MERGE_FILL,
    MERGE_LISTS,
    ReferenceField,
    reference_fields,
    subject_merge,
    subject_merge_undo,
)
from .records import (
    ADDRESS_FIELDS,
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    VEHICLE_FIELDS,
    _apply_person,
    address_create,
    address_update,
    organisation_create,
    organisation_update,
    person_create,
    person_update,
    vehicle_create,
    vehicle_update,
)

__all__ = [
    "ADDRESS_FIELDS",
    "ADDRESS_LINKS",
    "MERGE_CONFLICTS",
    "MERGE_FILL",
    "MERGE_LISTS",
    "ORGANISATION_FIELDS",
    "PERSON_FIELDS",
    "ReferenceField",
    "SUBJECT_MODELS",
    "VEHICLE_FIELDS",
    "_apply_person",
    "_require_editable",
    "address_create",
    "address_update",
    "kind_of",
    "link_create",
    "link_end",
    "organisation_create",
    "organisation_update",
    "person_create",
    "person_update",
    "reference_fields",
    "subject_merge",
    "subject_merge_undo",
    "vehicle_create",
    "vehicle_update",
]

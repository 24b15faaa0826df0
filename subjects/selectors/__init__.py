"""Reads of subjects and objects, always need-to-know filtered in SQL (``vik.core.access``).

- ``subject_search``: one query box over the four kinds (fuzzy surname through the pg_trgm GIN
  index, exact identifiers, narrowing by initials, birth date, postcode + house number); needs a
  purpose and writes exactly one access-log row per search.
- ``likely_duplicates``: candidates shown before a new record is saved and on the merge screen.
- ``subject_links`` / ``subject_addresses`` / ``subject_timeline``: the subject page.
- ``subject_network``: two hops over links, hubs collapsed, capped.

The package is split by sub-domain; every public name stays importable from here."""

from .common import (
    ADDRESS_LINK_TYPES,
    DUPLICATE_NAME_THRESHOLD,
    DUPLICATE_NAME_WITH_BIRTH_DATE,
    FUZZY_THRESHOLD,
    MAX_MERGE_HOPS,
    PER_KIND_LIMIT,
    address_list,
    link_list,
    live,
    organisation_list,
    person_ids,
    person_list,
    subject_label,
    subject_url,
    vehicle_list,
)
from .duplicates import (
    DuplicateCandidate,
    duplicate_data,
    likely_duplicates,
)
from .network import (
    HUB_THRESHOLD,
    MAX_NODES,
    network_shown,
    subject_network,
)
from .page import (
    TIMELINE_KIND_LABELS,
    LinkRow,
    logger,
    merge_rows,
    subject_addresses,
    subject_links,
    subject_merges,
    subject_timeline,
)
from .search import (
    ParsedQuery,
    SearchHit,
    SearchResult,
    parse_query,
    subject_search,
)

__all__ = [
    "MAX_MERGE_HOPS",
    "person_ids",
    "ADDRESS_LINK_TYPES",
    "DUPLICATE_NAME_THRESHOLD",
    "DUPLICATE_NAME_WITH_BIRTH_DATE",
    "DuplicateCandidate",
    "FUZZY_THRESHOLD",
    "HUB_THRESHOLD",
    "LinkRow",
    "MAX_NODES",
    "PER_KIND_LIMIT",
    "ParsedQuery",
    "SearchHit",
    "SearchResult",
    "TIMELINE_KIND_LABELS",
    "address_list",
    "duplicate_data",
    "likely_duplicates",
    "link_list",
    "live",
    "logger",
    "merge_rows",
    "network_shown",
    "organisation_list",
    "parse_query",
    "person_list",
    "subject_addresses",
    "subject_label",
    "subject_links",
    "subject_merges",
    "subject_network",
    "subject_search",
    "subject_timeline",
    "subject_url",
    "vehicle_list",
]

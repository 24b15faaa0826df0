"""The authorization matrix: every URL pattern × every role (plus anonymous and a deactivated
user) × GET/POST against a declared policy. Each app declares its URLs in
``tests/security/policy_<app>.py`` with a ``POLICY`` dict and a ``build(world)`` function that
creates the records the URLs point at (owned by the analyst's team unless said otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = [
    "analyst",
    "chair",
    "bibob",
    "decision_maker",
    "partner",
    "functional_admin",
    "privacy_officer",
    "reporter",
]
EVERYONE = set(ROLES)
STAFF = {"analyst", "chair", "bibob", "decision_maker"}


@dataclass
class Rule:
    get: set[str] = field(default_factory=set)  # roles that may GET (status < 400)
    post: set[str] = field(default_factory=set)  # roles whose POST is not refused (not 403/404/405)
    kwargs: Callable[[Any], dict] | None = None
    purpose: bool = True  # set a purpose in the session before the request
    query: str = ""  # query string for GET


class World:
    """Holder for users and records built by the policy modules."""

    def __init__(self, users):
        self.users = users

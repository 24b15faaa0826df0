"""Record kinds by label (``"subjects.person"``): the one place that turns a stored label back into
a model class. The access log, break-glass and the privacy pages name records by label, because a
pseudonymous reference outlives the request that wrote it. Domain code never looks models up by
name: it imports its own models, and reaches another app through that app's selectors, services or
providers (docs/architecture.md, checked by tests/core/test_architecture.py)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model


def model_for_label(label: str) -> type[Model] | None:
    """The installed model with this ``app_label.model_name`` label, or None."""
    try:
        return apps.get_model(str(label))
    except (LookupError, ValueError):
        return None


def protected_model(label: str):
    """The model under need-to-know (``ProtectedModel``) with this label, or None."""
    from .models import ProtectedModel

    model = model_for_label(label)
    if model is None or not issubclass(model, ProtectedModel):
        return None
    return model

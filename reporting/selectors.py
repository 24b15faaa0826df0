"""Reads of the reporting app."""

from __future__ import annotations

from django.db.models import QuerySet

from vik.core.models import User

from .models import GuideVersion, InternalReport


def own_reports(user: User) -> QuerySet[InternalReport]:
    return InternalReport.objects.filter(reporter=user).select_related("signal")[:200]


def current_guide() -> GuideVersion | None:
    return GuideVersion.objects.first()


def guide_versions() -> QuerySet[GuideVersion]:
    return GuideVersion.objects.select_related("created_by")[:20]


def guide_sections(guide: GuideVersion | None) -> list[tuple[str, list[str]]]:
    """Split the plain-text guide into (heading, paragraphs): lines starting with "# " are
    headings, blank lines separate paragraphs. Rendered escaped (no HTML from the editor)."""
    if guide is None:
        return []
    sections: list[tuple[str, list[str]]] = []
    heading, paras, current = "", [], []  # type: ignore[var-annotated]
    for line in guide.body.splitlines() + [""]:
        if line.startswith("# "):
            if current:
                paras.append(" ".join(current))
                current = []
            if heading or paras:
                sections.append((heading, paras))
            heading, paras = line[2:].strip(), []
        elif not line.strip():
            if current:
                paras.append(" ".join(current))
                current = []
        else:
            current.append(line.strip())
    if heading or paras:
        sections.append((heading, paras))
    return sections

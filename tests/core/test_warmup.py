"""A web worker warms up before its first request (issue #19 item 10): every view imported and
every project template compiled, so no user pays for it on the first visit of a page."""

from __future__ import annotations

from vik.core.warmup import warm_up


def test_warm_up_compiles_every_project_template():
    result = warm_up()
    assert result["templates"] >= 100
    assert result["skipped"] == 0  # a template that does not compile would fail its page

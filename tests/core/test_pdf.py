"""Every PDF kind the project makes, rendered with hostile input, fetches no file and no URL.

A chair's meeting title, an item title, a decision, a partner's name or a person's name in an
access answer can carry markup that points weasyprint at a server file (``<link rel=attachment
href=file:///proc/self/environ>`` embeds it in the PDF) or at a URL (the server calls it). The
text must be escaped, and the renderer's URL fetcher (vik.core.pdf) must refuse everything but the
project's own static assets. Proof, per kind, through the real download view:
- a local HTTP listener named in the payloads receives no request, and no urllib request is made;
- no hostile file is opened (Python's audit hook sees every open());
- the PDF has no embedded file or attachment annotation and does not contain the canary file's
  content nor /etc/passwd's.
The kinds are enumerated from vik.core.pdf.KINDS: a new kind without a hostile builder here
fails ``test_every_pdf_kind_is_put_through_the_hostile_test``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.constants import DecisionKind, MeetingState
from tests.factories.meetings import add_action, add_free, advance, make_meeting
from vik.core import pdf
from vik.privacy.constants import RequestStatus
from vik.privacy.models import DataSubjectRequest

pytestmark = pytest.mark.django_db

CANARY_TEXT = "VIK-CANARY-dit-mag-nooit-in-een-pdf-staan"
WATCHED_FILES = {"/etc/passwd", "/proc/self/environ", "/etc/hostname"}


# --- what the renderer reaches for, seen from outside --------------------------------------------


class _Watch:
    """Records, while on, every open() of a watched file and every urllib request (audit hook)."""

    def __init__(self):
        self.on = False
        self.files: set[str] = set()
        self.opened: list[str] = []
        self.urls: list[str] = []

    def __call__(self, event, args):
        if not self.on:
            return
        if event == "open" and args and isinstance(args[0], str | bytes | Path):
            path = str(args[0] if not isinstance(args[0], bytes) else args[0].decode(errors="replace"))
            if path in self.files:
                self.opened.append(path)
        elif event == "urllib.Request":
            self.urls.append(str(args[0]))


_WATCH = _Watch()
sys.addaudithook(_WATCH)  # audit hooks cannot be removed; it only records while switched on


class _Listener(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { background: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    _Listener.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Listener.hits
    server.shutdown()
    server.server_close()


@pytest.fixture
def canary(tmp_path):
    path = tmp_path / "canary.txt"
    path.write_text(CANARY_TEXT)
    return path


def hostile_payloads(port: int, canary: Path) -> list[str]:
    """Markup that reaches for a file or a URL in every way weasyprint follows. Each fits a
    200-character field; the first also breaks out of <title> and attribute values."""
    http = f"http://127.0.0.1:{port}"
    return [
        f'"></title><link rel="attachment" href="file://{canary}"><img src="{http}/img">',
        '<link rel="attachment" href="file:///proc/self/environ"><a rel="attachment" href="file:///etc/passwd">x</a>',
        f"<style>@import url({http}/import.css);@import url(file:///etc/passwd);</style>",
        f'<link rel="stylesheet" href="{http}/sheet.css"><object data="file:///etc/hostname"></object>',
        f'<div style="background:url(\'{http}/bg.png\')">achtergrond</div><img src="file://{canary}">',
        f'<img src="https://127.0.0.1:{port}/s"><embed src="{http}/e"><iframe src="{http}/f"></iframe>',
        f'<svg><image href="{http}/svg"/></svg><base href="{http}/"><img src="relatief.png">',
    ]


def _pdf_texts(data: bytes) -> bytes:
    """The PDF's bytes plus every stream decompressed (weasyprint deflates content and objects)."""
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            pass
    return b"\n".join(chunks)


def assert_fetched_nothing(data: bytes, hits: list[str]):
    assert data.startswith(b"%PDF-")
    assert hits == [], f"the renderer called the listener: {hits}"
    assert _WATCH.urls == [], f"the renderer made URL requests: {_WATCH.urls}"
    assert _WATCH.opened == [], f"the renderer opened server files: {_WATCH.opened}"
    texts = _pdf_texts(data)
    assert b"/EmbeddedFile" not in texts and b"/FileAttachment" not in texts
    passwd_first_line = Path("/etc/passwd").read_text().splitlines()[0].encode()
    assert CANARY_TEXT.encode() not in texts and passwd_first_line not in texts


@pytest.fixture
def watching(canary):
    _WATCH.files = WATCHED_FILES | {str(canary)}
    _WATCH.opened, _WATCH.urls = [], []
    _WATCH.on = True
    yield _WATCH
    _WATCH.on = False


# --- one hostile builder per PDF kind: returns the PDF bytes from the real download view ---------


def _hostile_meeting(make_user, riec_org, payloads):
    chair = make_user("chair", username="voorzitter_pdf", first_name=payloads[1][:150])
    riec_org.name = payloads[3][:200]
    riec_org.save(update_fields=["name"])
    meeting = make_meeting(chair=chair, orgs=[riec_org])
    meeting.title, meeting.location = payloads[0], payloads[2]
    meeting.save(update_fields=["title", "location"])
    items = [add_free(meeting, chair, title=p, summary=p + "\n" + p, share=[riec_org]) for p in payloads]
    advance(meeting, chair, MeetingState.HELD)
    for i, item in enumerate(items):
        payload = payloads[(i + 1) % len(payloads)]
        meeting_services.decision_record(actor=chair, item=item, kind=DecisionKind.OTHER, text=payload)
        add_action(item, chair, org=riec_org, description=payloads[(i + 2) % len(payloads)])
    return chair, meeting


def _meeting_pdf(kind: str):
    def build(*, make_user, riec_org, login, payloads):
        chair, meeting = _hostile_meeting(make_user, riec_org, payloads)
        return login(chair).get(reverse(f"meetings:{kind}_pdf", kwargs={"pk": meeting.pk}))

    return build


def _hostile_answer(payloads: list[str]) -> dict:
    p = payloads
    return {
        "verzoek": {"nummer": p[0], "ontvangen_op": p[1], "beantwoord_op": p[2]},
        "persoon": {"naam": p[0], "nummer": p[1], "identiteit": {p[2]: p[3], p[4]: p[5]}},
        "onderdelen": [
            {
                "code": "x",
                "label": p[6],
                "items": [
                    {
                        "title": p[0],
                        "date": p[1],
                        "purpose": p[2],
                        "fields": {p[3]: p[4]},
                        "retention": p[5],
                    }
                ],
            }
        ],
        "achtergehouden": [{"onderdeel": p[0], "description": p[1], "detail": p[2], "ground_label": p[3]}],
        "ontvangers": [
            {"organisation": p[4], "role": p[5], "action": p[6], "count": p[0], "first": p[1], "last": p[2]}
        ],
        "bewaartermijnen": [{"soort": p[3], "termijn": p[4], "vanaf": p[5], "daarna": p[6]}],
    }


def _dsar_pdf(*, make_user, riec_org, login, payloads):
    officer = make_user("privacy_officer", username="fg_pdf")
    today = timezone.localdate()
    dsr = DataSubjectRequest.objects.create(
        person_id=4711,
        person_label=payloads[0],
        received_on=today,
        deadline=today,
        status=RequestStatus.ANSWERED,
        answered_on=today,
        answer=json.dumps(_hostile_answer(payloads)),
        handled_by=officer,
    )
    return login(officer).get(reverse("privacy:dsar_pdf", args=[dsr.pk]))


def _letter_pdf(*, make_user, riec_org, login, payloads):
    from tests.factories.letters import sent_voornemen

    analyst = make_user("analyst", username="analist_pdf", first_name=payloads[1][:150])
    checker = make_user("analyst", username="analist2_pdf")
    mayor = make_user("decision_maker", username="burgemeester_pdf", last_name=payloads[0][:150])
    letter = sent_voornemen(analyst=analyst, checker=checker, mayor=mayor, body=payloads)
    return login(analyst).get(reverse("letters:pdf", args=[letter.pk]))


def _plan_quarterly_pdf(*, make_user, riec_org, login, payloads):
    from plan.models import Ambition, PlanAction

    ambition = Ambition.objects.create(number=99, title=payloads[0])
    for p in payloads:
        PlanAction.objects.create(
            ambition=ambition, title=p, planned_label=p[:100], progress_notes=p, links=p
        )
    return login(make_user("decision_maker", username="bestuur_pdf")).get(reverse("plan:quarterly_pdf"))


def _plan_year_report_pdf(*, make_user, riec_org, login, payloads):
    from plan.models import YearReport
    from plan.tasks import build_year_report
    from signals.models import Phenomenon
    from tests.factories.signals import make_signal, phenomena

    phenomena("drugs")  # the reference lists exist
    analyst = make_user("analyst", username="analist_pdf")
    for n, p in enumerate(payloads):
        Phenomenon.objects.create(code=f"hostile{n}", label=p)
        make_signal(analyst, codes=(f"hostile{n}",), received=timezone.localdate().replace(month=1, day=1))
    report = YearReport.objects.create(year=timezone.localdate().year)
    build_year_report(report.pk)
    client = login(make_user("decision_maker", username="bestuur_pdf"))
    return client.get(reverse("plan:year_report_download", args=[report.pk, "pdf"]))


def _register_pdf(*, make_user, riec_org, login, payloads):
    from vik.core import register
    from vik.core.models import ProcessingActivity

    officer = make_user("privacy_officer", username="fg_register_pdf")
    activity = ProcessingActivity.objects.get(code="casustafel")
    register.activity_revise(
        actor=officer,
        activity=activity,
        name=payloads[0][:200],
        purpose="".join(payloads),
        legal_bases=["avg_6_1_e"],
        subject_categories=payloads[1],
        data_categories=payloads[2 % len(payloads)],
        recipients=payloads[-1],
        retention_class=payloads[0][:300],
    )
    return login(officer).get(reverse("privacy:register_export", args=["pdf"]))


HOSTILE_BUILDERS: dict[str, Callable] = {
    "privacy.register": _register_pdf,
    "letters.letter": _letter_pdf,
    "meetings.agenda": _meeting_pdf("agenda"),
    "meetings.minutes": _meeting_pdf("minutes"),
    "privacy.dsar": _dsar_pdf,
    "plan.quarterly": _plan_quarterly_pdf,
    "plan.year_report": _plan_year_report_pdf,
}


def test_every_pdf_kind_is_put_through_the_hostile_test():
    assert set(HOSTILE_BUILDERS) == set(pdf.KINDS), (
        "every PDF kind in vik.core.pdf.KINDS needs a hostile builder in this file"
    )


@pytest.mark.parametrize("kind", sorted(HOSTILE_BUILDERS))
def test_pdf_kind_with_hostile_input_fetches_no_file_or_url(
    kind, make_user, riec_org, login, listener, canary, watching
):
    port, hits = listener
    response = HOSTILE_BUILDERS[kind](
        make_user=make_user, riec_org=riec_org, login=login, payloads=hostile_payloads(port, canary)
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_fetched_nothing(response.content, hits)


# --- the fetcher itself: the second line when markup slips through unescaped -------------------


@pytest.mark.parametrize("kind", sorted(pdf.KINDS))
def test_unescaped_markup_still_fetches_nothing(kind, listener, canary, watching, caplog):
    port, hits = listener
    html = (
        "<!DOCTYPE html><html><head></head><body>"
        + "".join(hostile_payloads(port, canary))
        + "</body></html>"
    )
    with caplog.at_level(logging.WARNING):
        data = pdf.render_pdf(html, kind=kind)
    assert_fetched_nothing(data, hits)
    refusals = [r.getMessage() for r in caplog.records if r.name == "vik.pdf"]
    assert refusals and all("refused" in m for m in refusals)
    # the refusal names the scheme and host, never the path, query or file that was asked for
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert str(canary) not in logged and "/etc/passwd" not in logged and "environ" not in logged
    assert "import.css" not in logged and "sheet.css" not in logged


def test_own_static_assets_are_served(tmp_path):
    css = Path(settings.STATICFILES_DIRS[0]) / "css"
    name = next(p.name for p in sorted(css.iterdir()) if p.suffix == ".css")
    assert pdf.static_asset(f"{pdf.BASE_URL}static/css/{name}") == css / name
    # a relative reference resolves against the base URL and so reaches the static assets too
    html = f'<html><head><link rel="stylesheet" href="/static/css/{name}"></head><body>x</body></html>'
    assert pdf.render_pdf(html, kind="privacy.dsar").startswith(b"%PDF-")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///proc/self/environ",
        "http://127.0.0.1:9/x.png",
        "https://example.org/static/css/x.css",
        "data:text/css,body{}",
        "ftp://127.0.0.1/x.css",
        f"{pdf.BASE_URL}static/../../../../etc/passwd",
        f"{pdf.BASE_URL}static/%2e%2e/%2e%2e/vik/settings/base.py",
        f"{pdf.BASE_URL}static/css/..%2f..%2fpyproject.toml",
        f"{pdf.BASE_URL}static//etc/passwd",
        f"{pdf.BASE_URL}static/css/%00.css",
        f"{pdf.BASE_URL}static/css/..\\..\\x.css",
        f"{pdf.BASE_URL}static/js/app.js",  # not a stylesheet, image or font
        f"{pdf.BASE_URL}etc/passwd",
        f"https://user:pw@{pdf.BASE_URL[8:]}static/css/x.css",
    ],
)
def test_everything_but_a_static_asset_is_refused(url):
    assert pdf.static_asset(url) is None


def test_an_unregistered_pdf_kind_is_refused():
    with pytest.raises(pdf.UnknownPdfKind):
        pdf.render_pdf("<p>brief</p>", kind="letters.bibob_intent")


def test_weasyprint_is_imported_only_by_the_shared_helper():
    """The shared helper is the only way to make a PDF (ruff TID251 says the same at lint time)."""
    root = Path(settings.BASE_DIR)
    skip = {".venv", "node_modules", ".local", "static", ".git"}
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if rel.parts[0] in skip or rel == Path("vik/core/pdf.py") or rel == Path("tests/core/test_pdf.py"):
            continue
        if re.search(r"^\s*(import|from)\s+weasyprint\b", path.read_text(errors="replace"), re.M):
            offenders.append(str(rel))
    assert offenders == []

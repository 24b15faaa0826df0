"""Guard (issue #15 item 4): every page, fragment and export that shows a person, organisation or
address writes an access-log row for it in the same request; and (issue #24 item 3) every row a
request writes carries the trace id of the caller's ``traceparent``.

The test enumerates every URL pattern from the resolver (as the URL matrix does), renders each
one that answers GET as every role the policy lets open it, against a world seeded with
subjects on every kind of case (a signal, a measure, a receivable, a Bibob party, a casustafel
item, subject links), and looks for every seeded subject's name in the answer. A subject that is
shown without a row about it written during that request fails the test. URL patterns that can
not show a subject are declared below with the reason; a new URL pattern must be put in one of
the two tables, or this test fails.
"""

from __future__ import annotations

import html
import secrets

import pytest

from django.urls import reverse

from tests.security.test_url_matrix import POLICY, _all_url_names, _build_world, _client_for
from vik.core.middleware import PUBLIC_URL_NAMES, UNVERIFIED_URL_NAMES
from vik.core.models import AccessLog, LogRef

pytestmark = pytest.mark.django_db

# Rendered by the guard: they may show persons, organisations or addresses.
RENDERED = {
    "core:home",
    "core:notifications",
    "core:who_viewed",
    "subjects:search",
    "subjects:typeahead",
    "subjects:merge_detail",
    *(
        f"subjects:{kind}_{view}"
        for kind in ("person", "organisation", "address", "vehicle")
        for view in ("create", "detail", "edit", "network", "network_json", "link_create", "merge")
    ),
    "signals:list",
    "signals:create",
    "signals:duplicates",
    "signals:export",
    "signals:import",
    "signals:import_detail",
    "signals:control_list",
    "signals:control_create",
    "signals:control_detail",
    "signals:detail",
    "measures:list",
    "measures:create",
    "measures:my_deadlines",
    "measures:afpak",
    "measures:detail",
    "measures:event",
    "measures:forfeiture",
    "bibob:list",
    "bibob:reports",
    "bibob:create",
    "bibob:detail",
    *(
        f"bibob:{n}"
        for n in (
            "transition",
            "party_add",
            "questionnaire_send",
            "questionnaire_receive",
            "checklist",
            "lbb_request",
            "lbb_extend",
            "lbb_follow_up",
            "advice",
            "voornemen",
            "zienswijze",
            "decide",
            "publish",
            "disclose",
            "register",
        )
    ),
    "meetings:list",
    "meetings:create",
    "meetings:action_list",
    "meetings:action_detail",
    "meetings:item_detail",
    "meetings:detail",
    "meetings:edit",
    "meetings:agenda",
    "meetings:minutes",
    "dashboards:overview",
    "dashboards:panel_measures",
    "dashboards:management",
    "dashboards:export",
    "dashboards:map",
    "dashboards:buurt",
    "dashboards:analysis",
    "privacy:dashboard",
    "privacy:dsar_list",
    "privacy:dsar_detail",
    "privacy:list_list",
    "privacy:list_detail",
    "privacy:hold_list",
    "privacy:restriction_list",
    "privacy:rectification_list",
    "privacy:reports",
    "privacy:anomaly_detail",
    "bibob:third_party_invite",
    "bibob:third_party_response",
    "letters:detail",
    "letters:inbox",
    "letters:preview",
    "letters:generate",
    "letters:generate_bibob",
    "registries:address_bewoning",
    "registries:address_compare",
    "registries:address_fetch",
    "registries:organisation_compare",
    "registries:organisation_fetch",
    "registries:organisation_kvk",
    "registries:person_compare",
    "registries:person_fetch",
}

# URL patterns that cannot show a subject, with the reason.
NO_SUBJECTS = {
    "healthz": "health check: JSON status of services",
    "favicon": "redirect to the static icon",
    "set_language": "POST only: switches the language",
    "core:login": "login form",
    "core:otp_verify": "second-factor form",
    "core:otp_enrol": "second-factor enrolment",
    "core:logout": "logs out",
    "core:purpose": "form to state a purpose: shows only the user's own purpose",
    "signals:import_progress": "progress counters of the user's own upload",
    "signals:finding_create": "POST only",
    "signals:finding_spawn": "POST only",
    "signals:transition": "POST only",
    "signals:alignment": "POST only",
    "signals:assign": "POST only",
    "signals:casustafel": "POST only",
    "signals:outcome": "POST only",
    "signals:link_subject": "POST only",
    "signals:attachment_upload": "POST only",
    "signals:attachment_download": "a file download: logged as download of the attachment (signals tests)",
    "measures:rules": "configuration: deadline rules",
    "measures:rule_edit": "configuration: one deadline rule",
    "measures:matrices": "configuration: escalation matrices",
    "measures:matrix_step_edit": "configuration: one escalation step",
    "measures:forfeiture_action": "POST only",
    "meetings:item_edit": "POST only",
    "meetings:item_move": "POST only",
    "meetings:item_remove": "POST only",
    "meetings:decision_create": "POST only",
    "meetings:action_create": "POST only",
    "meetings:transition": "POST only",
    "meetings:item_add": "POST only",
    "meetings:item_reorder": "POST only",
    "meetings:agenda_pdf": "PDF of the agenda page (rendered here as HTML); logged as print of the meeting",
    "meetings:minutes_pdf": "PDF of the minutes page (rendered here as HTML); logged as print of the meeting",
    "dashboards:outlines": "buurt outlines (reference geometry), no records",
    "subjects:link_end": "POST only",
    "subjects:merge_undo": "POST only",
    "privacy:rule_list": "configuration: retention rules",
    "privacy:logs": "descriptions, counts and dates of the logs and the chain verifications: no log content",
    "privacy:rule_edit": "configuration: one retention rule",
    "privacy:hold_release": "POST only",
    "privacy:sweep_run": "POST only",
    "privacy:list_approve": "POST only",
    "privacy:list_carry_out": "POST only",
    "privacy:dsar_answer": "POST only",
    "privacy:dsar_extend": "POST only",
    "privacy:dsar_json": "the data subject's own answer file: logged as export by the DSAR service",
    "privacy:dsar_pdf": "the data subject's own answer file: logged as export by the DSAR service",
    "privacy:restriction_lift": "POST only",
    "privacy:register_list": "the register of processing activities: configuration, no records",
    "privacy:register_detail": "one processing activity and its versions: configuration, no records",
    "privacy:register_edit": "form for a new version of a processing activity: no records",
    "privacy:register_export": "the register as CSV or PDF: configuration, no records",
    "privacy:mapping_list": "which activity each purpose belongs to: configuration, no records",
    "privacy:processing_log": "processing-log records: pseudonyms and trace ids, never a name or id",
    "core:break_glass": "POST only: opens break-glass (logged by its service)",
    "core:grant_requests": "staff accounts and their role/clearance requests, no data subjects",
    "core:user_list": "staff accounts, no data subjects",
    "core:user_create": "staff accounts, no data subjects",
    "core:user_detail": "staff accounts, no data subjects",
    "core:user_edit": "staff accounts, no data subjects",
    "core:password_reset": "the user's own password reset",
    "core:password_reset_done": "the user's own password reset",
    "core:password_reset_confirm": "the user's own password reset",
    "core:password_reset_complete": "the user's own password reset",
    "identity:oidc_login": "redirect to the municipal IdP",
    "identity:oidc_callback": "return from the municipal IdP",
    "identity:review": "access review of staff accounts, no data subjects",
    "identity:review_decide": "POST only",
    "letters:action": "POST only",
    "letters:download": "a file download: logged as download of the letter and its subject (tests/letters)",
    "letters:pdf": "a file download: logged as download of the letter and its subject (tests/letters)",
    "letters:starter": "a starter template (.docx) without case data",
    "letters:templates": "configuration: letter templates",
    "measures:calculator": "dates only: no case, no subject",
    "measures:declared_days_review": "POST only",
    "plan:action_create": "the plan of action: ambitions and actions, no subjects",
    "plan:action_progress": "the plan of action: ambitions and actions, no subjects",
    "plan:overview": "the plan of action: ambitions and actions, no subjects",
    "plan:quarterly_pdf": "the plan of action: ambitions and actions, no subjects",
    "plan:year_report": "aggregate counts only, with small-cell suppression",
    "plan:year_report_download": "aggregate counts only, with small-cell suppression",
    "registries:query_log": "the BRP query protocol: no BSNs or names on screen",
    "reporting:form": "the reporter's own report form: free text, no linked subjects",
    "reporting:guide": "the phenomena guide: no records",
    "reporting:guide_edit": "configuration: the phenomena guide",
    "reporting:mine": "the reporter's own reports and their status only",
    "reporting:receipt": "the reporter's own receipt",
    "reporting:identity": "the reporter's identity (a staff member) through break-glass, logged",
}


# Pages known to show subjects without a row, each with the work that removes it. Keep this empty.
KNOWN_GAPS: dict[str, str] = {}


def test_every_url_pattern_is_classified():
    """A new URL pattern forces a decision: rendered by the guard, or declared subject-free."""
    names = set(_all_url_names()) | PUBLIC_URL_NAMES | UNVERIFIED_URL_NAMES
    unclassified = sorted(n for n in names if n not in RENDERED and n not in NO_SUBJECTS)
    assert unclassified == [], f"classify these URL patterns in {__name__}: {unclassified}"
    stale = sorted((RENDERED | set(NO_SUBJECTS)) - names)
    assert stale == [], f"no such URL patterns any more: {stale}"


def _seed(world):
    """Subjects on every kind of case, each with a name that appears nowhere else."""
    from bibob import services as bibob_services
    from bibob.constants import PartyRole
    from meetings import services as meeting_services
    from meetings.constants import ItemKind, MeetingState
    from tests.factories.meetings import add_action, advance, make_meeting
    from tests.factories.signals import make_signal
    from tests.factories.subjects import AddressFactory, OrganisationFactory, PersonFactory

    analyst, chair = world.users["analyst"], world.users["chair"]
    person = PersonFactory(owner_team=world.team)
    organisation = OrganisationFactory(owner_team=world.team)
    address = AddressFactory(owner_team=world.team)
    party = PersonFactory(owner_team=world.bibob_team)
    # names first: cases that store a copy of a name (an agenda item's title) must carry the token
    names = _unique_names()
    for obj in (person, organisation, address, party):
        obj.refresh_from_db()
    world.signal = make_signal(
        analyst,
        summary="Guard signaal",
        links=[(person, "betrokkene"), (organisation, "betrokkene"), (address, "locatie")],
    )
    bibob_services.party_add(
        actor=world.users["bibob"],
        dossier=world.bibob_dossier,
        role=PartyRole.OWNER,
        kind="person",
        subject_id=party.pk,
    )
    meeting = make_meeting(chair=chair, orgs=[world.police])
    item = meeting_services.item_add(
        actor=chair, meeting=meeting, kind=ItemKind.SUBJECT, ref_id=person.pk, subject_kind="person"
    )
    meeting_services.item_update(
        actor=chair, item=item, title=item.title, summary=item.summary, visible_orgs=[world.police]
    )
    advance(meeting, chair, MeetingState.HELD)
    world.meeting, world.meeting_item = meeting, item
    world.meeting_action = add_action(item, chair, org=world.police)
    return names


def _unique_names():
    """Give every subject a distinctive name (``Zqx<kind><id>q``) and return what to look for."""
    from subjects.models import Address, Organisation, Person

    shown = {}
    for person in Person.objects.all():
        Person.objects.filter(pk=person.pk).update(geslachtsnaam=f"Zqxp{person.pk}q")
        shown[f"Zqxp{person.pk}q"] = ("subjects.person", person.pk)
    for org in Organisation.objects.all():
        Organisation.objects.filter(pk=org.pk).update(name=f"Zqxo{org.pk}q")
        shown[f"Zqxo{org.pk}q"] = ("subjects.organisation", org.pk)
    for address in Address.objects.all():
        Address.objects.filter(pk=address.pk).update(street=f"Zqxa{address.pk}q")
        shown[f"Zqxa{address.pk}q"] = ("subjects.address", address.pk)
    return shown


def test_every_subject_shown_has_an_access_log_row_for_that_request():
    world = _build_world()
    names = _seed(world)
    failures, rendered = [], 0
    for name in sorted(RENDERED):
        rule = POLICY[name]
        url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
        url = f"{url}?{rule.query}" if rule.query else url
        for role in sorted(rule.get):
            user = world.users[role]
            client = _client_for(user, rule)
            last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
            # Every row the request writes carries the caller's W3C trace (issue #24 item 3).
            trace_id = secrets.token_hex(16)
            resp = client.get(url, HTTP_TRACEPARENT=f"00-{trace_id}-00f067aa0ba902b7-01")
            if getattr(resp, "streaming", False):
                b"".join(resp.streaming_content)  # rows written while streaming count too
            untraced = AccessLog.objects.filter(id__gt=last).exclude(trace_id=trace_id).count()
            if untraced:
                failures.append(f"{name} as {role}: {untraced} access-log row(s) without the request's trace")
            if resp.status_code >= 400 or getattr(resp, "streaming", False):
                continue
            rendered += 1
            body = html.unescape(resp.content.decode("utf-8", errors="replace"))
            ref_ids = AccessLog.objects.filter(id__gt=last, actor_id=user.pk, result="allowed").values_list(
                "ref_id", flat=True
            )
            logged = set(LogRef.objects.filter(pk__in=list(ref_ids)).values_list("kind", "object_id"))
            # issue #24: every row a request writes names its processing activity (AVG art. 30)
            unmapped = AccessLog.objects.filter(id__gt=last, activity_id__isnull=True).count()
            if unmapped:
                failures.append(f"{name} as {role}: {unmapped} access-log rows without a processing activity")
            for token, ref in names.items():
                if token in body and ref not in logged and name not in KNOWN_GAPS:
                    failures.append(f"{name} as {role}: shows {ref[0]} {ref[1]} without a row")
    assert rendered > 60
    assert failures == [], "\n".join(failures)

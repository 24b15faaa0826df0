"""Authorization policy of the casustafel URLs. The world holds a held meeting of team Veiligheid
with the police as participant: one item shared with the police (with a police action item) and
one internal item. Partners see the shared item only; the chair manages; staff of the team view."""

from tests.security.matrix import Rule

VIEWERS = {"analyst", "chair", "decision_maker", "partner"}
CHAIR = {"chair"}


def build(world):
    from meetings.constants import MeetingState
    from tests.factories.meetings import add_action, add_free, advance, make_meeting

    chair = world.users["chair"]
    meeting = make_meeting(chair=chair, orgs=[world.police])
    world.meeting_item = add_free(meeting, chair, title="Gedeeld met politie", share=[world.police])
    world.meeting_internal_item = add_free(meeting, chair, title="Intern")
    advance(meeting, chair, MeetingState.HELD)
    world.meeting_action = add_action(world.meeting_item, chair, org=world.police)
    world.meeting = meeting


def _meeting(w):
    return {"pk": w.meeting.pk}


def _item(w):
    return {"pk": w.meeting_item.pk}


POLICY = {
    "meetings:list": Rule(get=VIEWERS),
    "meetings:create": Rule(get=CHAIR, post=CHAIR),
    "meetings:action_list": Rule(get=VIEWERS),
    "meetings:action_detail": Rule(
        get=VIEWERS, post={"chair", "partner"}, kwargs=lambda w: {"pk": w.meeting_action.pk}
    ),
    "meetings:item_detail": Rule(get=VIEWERS, kwargs=_item),
    "meetings:item_edit": Rule(post=CHAIR, kwargs=_item),
    "meetings:item_move": Rule(post=CHAIR, kwargs=_item),
    "meetings:item_remove": Rule(post=CHAIR, kwargs=_item),
    "meetings:decision_create": Rule(post=CHAIR, kwargs=_item),
    "meetings:action_create": Rule(post=CHAIR, kwargs=_item),
    "meetings:detail": Rule(get=VIEWERS, kwargs=_meeting),
    "meetings:edit": Rule(get=CHAIR, post=CHAIR, kwargs=_meeting),
    "meetings:transition": Rule(post=CHAIR, kwargs=_meeting),
    "meetings:item_add": Rule(post=CHAIR, kwargs=_meeting),
    "meetings:item_reorder": Rule(post=CHAIR, kwargs=_meeting),
    "meetings:agenda": Rule(get=VIEWERS, kwargs=_meeting),
    "meetings:agenda_pdf": Rule(get=VIEWERS, kwargs=_meeting),
    "meetings:minutes": Rule(get=VIEWERS, kwargs=_meeting),
    "meetings:minutes_pdf": Rule(get=VIEWERS, kwargs=_meeting),
}

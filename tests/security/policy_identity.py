from tests.security.matrix import Rule


def build(world):
    from tests.factories.core import UserFactory
    from vik.identity.models import AccessReview, AccessReviewLine, TeamLeadership

    leader = UserFactory(username="m_teamleider", org_unit=world.team)
    TeamLeadership.objects.create(user=leader, org_unit=world.team)
    review = AccessReview.objects.create(period="2026-Q4")
    world.review_line = AccessReviewLine.objects.create(
        review=review, person=world.users["analyst"], reviewer=leader, org_unit=world.team
    )


POLICY = {
    # Team leaders (no role of their own) see it too: tests/identity/test_access_review.py.
    "identity:review": Rule(get={"functional_admin", "privacy_officer"}),
    # Only the line's team leader decides; nobody in the role matrix is.
    "identity:review_decide": Rule(kwargs=lambda w: {"pk": w.review_line.pk}),
    # identity:oidc_login / oidc_callback are public (login): tests/identity/test_oidc_login.py.
}

from tests.security.matrix import EVERYONE, Rule


def build(world):
    pass


POLICY = {
    "core:home": Rule(get=EVERYONE),
    "core:purpose": Rule(get=EVERYONE, post=EVERYONE),
    "core:notifications": Rule(get=EVERYONE, post=EVERYONE),
    "core:who_viewed": Rule(get={"privacy_officer"}, query="q=a"),
    "core:break_glass": Rule(post={"privacy_officer"}),
    "core:user_list": Rule(get={"functional_admin"}),
    "core:user_create": Rule(get={"functional_admin"}, post={"functional_admin"}),
    "core:user_detail": Rule(
        get={"functional_admin"}, post={"functional_admin"}, kwargs=lambda w: {"pk": w.users["analyst"].pk}
    ),
    "core:user_edit": Rule(
        get={"functional_admin"}, post={"functional_admin"}, kwargs=lambda w: {"pk": w.users["analyst"].pk}
    ),
    "core:grant_requests": Rule(
        get={"functional_admin", "privacy_officer"}, post={"functional_admin", "privacy_officer"}
    ),
    # login/logout/MFA steps are public or pre-verification and covered by test_login.py
}

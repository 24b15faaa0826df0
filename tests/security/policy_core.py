from tests.security.matrix import EVERYONE, Rule


def build(world):
    pass


POLICY = {
    "core:home": Rule(get=EVERYONE),
    "core:purpose": Rule(get=EVERYONE, post=EVERYONE),
    "core:notifications": Rule(get=EVERYONE, post=EVERYONE),
    "core:who_viewed": Rule(get={"privacy_officer"}, query="q=a"),
    # login/logout/MFA steps are public or pre-verification and covered by test_login.py
}

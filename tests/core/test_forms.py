def test_long_select_renders_the_same_options_as_django_select():
    """The Python-rendered select (for ~2,000 areas) has the same options, groups, selection,
    attributes and escaping as Django's own select."""
    import re

    from django import forms as dj_forms

    from vik.core.forms import LongSelect

    choices = [
        ("", "heel het gebied"),
        ("Gemeente", [("GM0141", "Almelo (GM0141)")]),
        ("Buurten", [("BU01410101", 'Centrum <oud> & "nieuw" (BU01410101)'), ("BU01410102", "Noord")]),
    ]

    class F(dj_forms.Form):
        fast = dj_forms.ChoiceField(choices=choices, required=False, widget=LongSelect)
        slow = dj_forms.ChoiceField(choices=choices, required=False)

    form = F(data={"fast": "BU01410101", "slow": "BU01410101"})
    fast, slow = str(form["fast"]), str(form["slow"])

    def normal(html: str) -> list[str]:
        html = html.replace('name="fast"', 'name="X"').replace('id="id_fast"', 'id="id_X"')
        html = html.replace('name="slow"', 'name="X"').replace('id="id_slow"', 'id="id_X"')
        return re.findall(r"<[^>]+>|[^<>\s][^<>]*", html.replace("\n", ""))

    assert normal(fast) == normal(slow)
    assert "&lt;oud&gt; &amp; &quot;nieuw&quot;" in fast
    assert fast.count(" selected") == 1

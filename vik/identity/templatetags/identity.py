from django import template

from .. import oidc

register = template.Library()


@register.inclusion_tag("identity/oidc_button.html", takes_context=True)
def oidc_login_button(context):
    return {"enabled": oidc.enabled(), "next": context.get("next")}

from django.core.checks import Error, Tags, register


@register(Tags.database, deploy=True)
def encryption_canary(app_configs=None, **kwargs):
    from django.core.exceptions import ImproperlyConfigured

    from .encryption import assert_canary_decrypts

    try:
        assert_canary_decrypts()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="vik.E001")]
    return []

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


@register()
def replica_pin_covers_lag(app_configs=None, **kwargs):
    """Read-your-writes only holds when a user stays on the primary for as long as the replica may
    be behind: the lag bound plus the time a process trusts its last lag check."""
    from django.conf import settings
    from django.core.checks import Warning

    needed = settings.DATABASE_REPLICA_MAX_LAG_SECONDS + settings.DATABASE_REPLICA_CHECK_SECONDS
    if settings.DATABASE_REPLICA_PIN_SECONDS < needed:
        return [
            Warning(
                f"DATABASE_REPLICA_PIN_SECONDS ({settings.DATABASE_REPLICA_PIN_SECONDS}) is below "
                f"DATABASE_REPLICA_MAX_LAG_SECONDS + DATABASE_REPLICA_CHECK_SECONDS ({needed}): a user may "
                "not see their own change on a page that reads from the replica.",
                id="vik.W010",
            )
        ]
    return []

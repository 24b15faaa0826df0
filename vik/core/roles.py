"""Roles are Django groups holding permissions. Each app declares which of its permissions each
role holds (``register_role_permissions`` in its ``apps.py``); after every migrate (and after a
test flush) ``sync_roles`` creates missing groups and adds missing permissions. It only adds:
what the functional admin changes in the admin stays. Code never branches on a group name."""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps as global_apps

from .constants import ALL_ROLES

_DECLARED: dict[str, set[str]] = defaultdict(set)

CORE_ROLE_PERMISSIONS = {
    "Voorzitter casustafel": ["core.view_all_teams"],
    "Functioneel beheerder": [
        "core.manage_configuration",
        "core.manage_users",
        "core.approve_access_grant",
        "core.view_user",
        "core.view_orgunit",
        "core.add_orgunit",
        "core.change_orgunit",
        "core.view_declaredday",
        "core.add_declaredday",
        "core.change_declaredday",
        "core.delete_declaredday",
        # Operations (docs/operations.md): kept tasks, scheduled jobs, e-mail delivery state.
        "core.view_outboxtask",
        "core.view_jobrun",
        "core.view_notification",
        "core.view_declareddaysreview",
        "core.add_declareddaysreview",
        # BIO2 logging controls (stands in for a security officer: no such role yet).
        "core.view_logging_controls",
    ],
    "Privacy officer": [
        "core.view_access_log",
        "core.break_glass",
        "core.approve_access_grant",
        "core.view_logging_controls",
    ],
}


def register_role_permissions(mapping: dict[str, list[str]]) -> None:
    """``mapping``: role (group) name -> list of "app_label.codename"."""
    for role, perms in mapping.items():
        if role not in ALL_ROLES:
            raise ValueError(f"Unknown role {role!r}")
        _DECLARED[role].update(perms)


register_role_permissions(CORE_ROLE_PERMISSIONS)


def sync_roles() -> None:
    from django.contrib.auth.models import Group, Permission

    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = _DECLARED.get(role, set())
        if not wanted:
            continue
        have = set(
            f"{app}.{code}"
            for app, code in group.permissions.values_list("content_type__app_label", "codename")
        )
        missing = wanted - have
        if not missing:
            continue
        q = None
        from django.db.models import Q

        for item in missing:
            app, code = item.split(".", 1)
            cond = Q(content_type__app_label=app, codename=code)
            q = cond if q is None else q | cond
        group.permissions.add(*Permission.objects.filter(q))


def on_post_migrate(sender, **kwargs) -> None:
    # Run once, after the last app's permissions exist (post_migrate is sent only to apps that
    # have a models module, in INSTALLED_APPS order).
    with_models = [cfg for cfg in global_apps.get_app_configs() if cfg.models_module is not None]
    if with_models and sender.name == with_models[-1].name:
        sync_roles()

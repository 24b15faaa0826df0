from django.contrib.auth.backends import ModelBackend

from .models import User


class VikModelBackend(ModelBackend):
    """ModelBackend that loads the user's organisation unit with the user (one query less on
    every page: the header and the need-to-know principals both need it)."""

    def get_user(self, user_id):
        user = User._default_manager.select_related("org_unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """User and group permissions in one query (the stock backend uses two), cached on the
        user object for the request."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            from django.contrib.auth.models import Permission
            from django.db.models import Q

            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj))
            pairs = perms.values_list("content_type__app_label", "codename").order_by().distinct()
            user_obj._perm_cache = {f"{app}.{code}" for app, code in pairs}
        return user_obj._perm_cache

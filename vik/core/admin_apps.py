from django.contrib.admin.apps import AdminConfig


class VikAdminConfig(AdminConfig):
    """``django.contrib.admin`` with :class:`vik.core.admin_site.VikAdminSite` as ``admin.site``:
    a 404 for everyone without the functional admin's staff role."""

    default_site = "vik.core.admin_site.VikAdminSite"

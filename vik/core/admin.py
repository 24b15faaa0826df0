"""The admin is for configuration (organisation units, declared Atw days). Domain models are
read-only here or absent: case content changes only through services (audited). Users are
read-only too: accounts, roles and clearances change only through VIK's own user management
(``vik.core.users``: separation of duties, second approval, history), never here, so nobody can
tick the superuser flag, assign raw permissions, edit their own roles or set a password."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .calendar_sync import declared_days_changed
from .models import DeclaredDay, DeclaredDaysReview, JobRun, Notification, OrgUnit, OutboxTask, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email")}),
        ("VIK", {"fields": ("org_unit", "groups", "clearances", "is_active")}),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "first_name", "last_name", "org_unit", "is_active")
    list_filter = ("org_unit", "groups", "is_active")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        # No admin password form for anyone (the user's own reset flow is the only way).
        return [u for u in super().get_urls() if "password" not in str(u.pattern)]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "partner_type")


@admin.register(DeclaredDay)
class DeclaredDayAdmin(admin.ModelAdmin):
    list_display = ("date", "description", "source")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        declared_days_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        declared_days_changed()

    def delete_queryset(self, request, queryset):
        # the admin's bulk action "delete selected" bypasses delete_model
        super().delete_queryset(request, queryset)
        declared_days_changed()


@admin.register(DeclaredDaysReview)
class DeclaredDaysReviewAdmin(admin.ModelAdmin):
    list_display = ("year", "reviewed_on", "reviewed_by", "source")
    readonly_fields = ("reviewed_by",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxTask)
class OutboxTaskAdmin(ReadOnlyAdmin):
    """Tasks kept while the broker was unreachable; the relay job publishes them."""

    list_display = ("task", "created_at", "sent_at", "attempts", "last_error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), "task")


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    """When each scheduled job last started and succeeded (catch-up after an outage)."""

    list_display = ("name", "last_success_at", "last_result", "last_started_at", "last_error")


@admin.register(Notification)
class NotificationEmailAdmin(ReadOnlyAdmin):
    """E-mail delivery of notifications and reminders: sent, retrying (attempts) or failed."""

    list_display = ("created_at", "user", "email_status", "email_attempts", "emailed_at", "email_error")
    list_filter = ("email_status",)
    fields = ("created_at", "user", "email_status", "email_attempts", "emailed_at", "email_error")

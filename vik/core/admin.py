"""The admin is for configuration (users, organisation units, declared Atw days). Domain models
are read-only here or absent: case content changes only through services (audited)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .calendar_sync import declared_days_changed
from .models import DeclaredDay, DeclaredDaysReview, OrgUnit, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (("VIK", {"fields": ("org_unit", "clearances")}),)
    list_display = ("username", "first_name", "last_name", "org_unit", "is_active")
    list_filter = ("org_unit", "groups", "is_active")


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

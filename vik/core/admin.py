"""The admin is for configuration (users, organisation units, declared Atw days). Domain models
are read-only here or absent: case content changes only through services (audited)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import DeclaredDay, OrgUnit, User


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

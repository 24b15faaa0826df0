"""The functional admin maintains the group mapping and team leaders here (/beheer/), and sees
what the IdP said that VIK did not act on."""

from django.contrib import admin

from .models import (
    AccessReview,
    ClearanceNeedsApproval,
    Deactivation,
    GroupMapping,
    OidcIdentity,
    TeamLeadership,
    UnknownIdpGroup,
)


@admin.register(GroupMapping)
class GroupMappingAdmin(admin.ModelAdmin):
    list_display = ["idp_group", "role", "org_unit", "team_leader", "implies_clearance", "note"]
    search_fields = ["idp_group", "note"]


@admin.register(UnknownIdpGroup)
class UnknownIdpGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "last_seen_at", "times_seen", "handled"]
    list_filter = ["handled"]
    readonly_fields = ["name", "last_seen_at", "times_seen"]


@admin.register(ClearanceNeedsApproval)
class ClearanceNeedsApprovalAdmin(admin.ModelAdmin):
    list_display = ["user", "compartment", "idp_group", "created_at", "resolved_at"]
    list_filter = ["compartment"]
    readonly_fields = ["user", "compartment", "idp_group", "resolved_at"]


@admin.register(TeamLeadership)
class TeamLeadershipAdmin(admin.ModelAdmin):
    list_display = ["user", "org_unit", "from_idp"]
    autocomplete_fields = []


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "sub", "issuer", "last_refresh_at"]
    readonly_fields = ["user", "sub", "issuer", "last_groups", "last_refresh_at"]


@admin.register(Deactivation)
class DeactivationAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "last_login", "created_at", "detail"]
    readonly_fields = ["user", "reason", "last_login", "detail"]


@admin.register(AccessReview)
class AccessReviewAdmin(admin.ModelAdmin):
    list_display = ["period", "created_at", "flagged_at"]
    readonly_fields = ["period", "flagged_at"]

"""Only the reference lists are configuration (functional admin); signals, controls and their
history change through services and are absent here."""

from django.contrib import admin

from .models import Phenomenon, SignalSource


@admin.register(SignalSource)
class SignalSourceAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "active")
    list_filter = ("active",)
    search_fields = ("label", "code")

    def has_delete_permission(self, request, obj=None):
        return False  # retire with "actief" instead: signals keep pointing at their source


@admin.register(Phenomenon)
class PhenomenonAdmin(admin.ModelAdmin):
    list_display = ("label", "code", "active")
    list_filter = ("active",)
    search_fields = ("label", "code")

    def has_delete_permission(self, request, obj=None):
        return False

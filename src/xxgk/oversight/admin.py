"""Training records in the configuration pages: the OGI office reads and corrects them
there, every change audited. New sessions are recorded through the staff form (and
``actions.record_training``), which checks them."""

from __future__ import annotations

from django.contrib import admin

from xxgk.agencies.admin import AuditedModelAdmin

from .actions import staff_may_record_trainings
from .models import Training


@admin.register(Training)
class TrainingAdmin(AuditedModelAdmin):
    list_display = ["date", "title", "agency", "attendees"]
    list_filter = ["date"]
    search_fields = ["title", "agency__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["agency"]
    filter_horizontal = ["agencies"]
    readonly_fields = ["recorded_at", "recorded_by"]
    list_select_related = ["agency"]

    def has_module_permission(self, request) -> bool:
        return (request.user.is_active and request.user.is_staff
                and staff_may_record_trainings(request.user))

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

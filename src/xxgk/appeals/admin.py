"""Appeal cases in the configuration pages: the OGI office reads and corrects them there,
every change audited. Staff of agencies use the staff pages (and the actions) instead."""

from __future__ import annotations

from django.contrib import admin

from xxgk.agencies import access
from xxgk.agencies.admin import AuditedModelAdmin

from .models import AppealCase, AppealDocument


class _OgiOfficeOnly:
    """Read and write for the OGI office, nothing for anyone else, whatever the groups say."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and access.is_ogi_office(
            request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)


class AppealDocumentInline(_OgiOfficeOnly, admin.TabularInline):
    """Documents are listed here; they are added with the case or its decision."""

    model = AppealDocument
    extra = 0
    fields = ["filename", "content_type", "size", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AppealCase)
class AppealCaseAdmin(_OgiOfficeOnly, AuditedModelAdmin):
    list_display = ["case_number", "kind", "agency", "filed_on", "body", "result", "decided_on"]
    list_filter = ["kind", "result", "filed_on"]
    search_fields = ["case_number", "body", "agency__name", "application__number"]
    date_hierarchy = "filed_on"
    autocomplete_fields = ["agency"]
    raw_id_fields = ["application"]
    list_select_related = ["agency"]
    inlines = [AppealDocumentInline]

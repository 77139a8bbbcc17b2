"""The report records in Django admin, read-only: every change goes through actions.py
(the staff pages), which checks, locks and audits."""

from __future__ import annotations

from django.contrib import admin

from xxgk.agencies.admin import ReadOnlyAdmin

from .models import AnnualReport, EnteredFigures, ImportedReport, ReportReopening


class ReopeningInline(admin.TabularInline):
    model = ReportReopening
    extra = 0
    fields = ["at", "by", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "state", "locked", "published_at"]
    list_filter = ["state", "locked", "year"]
    search_fields = ["agency__name", "agency__code"]
    inlines = [ReopeningInline]


@admin.register(EnteredFigures)
class EnteredFiguresAdmin(ReadOnlyAdmin):
    list_display = ["agency", "year", "updated_at", "updated_by"]
    list_filter = ["year"]
    search_fields = ["agency__name", "agency__code"]


@admin.register(ImportedReport)
class ImportedReportAdmin(ReadOnlyAdmin):
    list_display = ["agency_name", "year", "format", "agency", "uploaded_at", "uploaded_by"]
    list_filter = ["year", "format"]
    search_fields = ["agency_name"]

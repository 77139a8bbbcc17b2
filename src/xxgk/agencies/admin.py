"""The OGI office's configuration pages (Django admin), every change audited."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import Agency, AuditEntry, StaffRole

admin.site.site_header = _("xxgk configuration")
admin.site.site_title = _("xxgk configuration")
admin.site.index_title = _("OGI office configuration")


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose additions, changes and deletions go to the audit log too."""

    def log_addition(self, request, obj, message):
        audit.record("admin.add", obj=obj, request=request, detail={"message": str(message)})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit.record("admin.change", obj=obj, request=request, detail={"message": str(message)})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit.record("admin.delete", obj=obj, request=request)
        return super().log_deletions(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only an actions layer writes: listed and searchable, never edited here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["parent"]
    inlines = [StaffRoleInline]


@admin.register(StaffRole)
class StaffRoleAdmin(AuditedModelAdmin):
    list_display = ["user", "role", "agency"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name"]
    autocomplete_fields = ["user", "agency"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody, not even a superuser, may add, change or delete an entry."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "agency", "address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

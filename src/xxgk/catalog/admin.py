"""The catalogue in the configuration pages: to look up, not to edit.

Items are written only by ``actions.py`` (index numbers, the Art. 26 deadline, the period
lock, the audit log), so these pages are read-only.
"""

from django.contrib import admin

from xxgk.agencies.admin import ReadOnlyAdmin

from .models import InfoItem, Interpretation, PolicyDocument, ValidityChange


@admin.register(InfoItem)
class InfoItemAdmin(ReadOnlyAdmin):
    list_display = ["index_no", "title", "agency", "state", "key_area", "formed_on",
                    "publish_by", "published_on"]
    list_filter = ["state", "attribute", "key_area"]
    search_fields = ["index_no", "title"]


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ReadOnlyAdmin):
    list_display = ["index_no", "doc_no", "title", "agency", "kind", "issued_on", "validity"]
    list_filter = ["kind", "validity", "state"]
    search_fields = ["index_no", "doc_no", "title"]


@admin.register(Interpretation)
class InterpretationAdmin(ReadOnlyAdmin):
    list_display = ["index_no", "title", "policy", "published_on"]
    search_fields = ["index_no", "title"]


@admin.register(ValidityChange)
class ValidityChangeAdmin(ReadOnlyAdmin):
    list_display = ["document", "validity", "changed_on", "by_document"]
    list_filter = ["validity"]

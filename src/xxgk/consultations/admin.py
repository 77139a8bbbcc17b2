"""Consultations in the configuration pages: to look up; ``actions.py`` writes them."""

from django.contrib import admin

from xxgk.agencies.admin import ReadOnlyAdmin

from .models import Consultation, FeedbackReport


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["title", "agency", "opened_on", "closes_on"]
    search_fields = ["title"]


@admin.register(FeedbackReport)
class FeedbackReportAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "published_on", "opinions_received", "opinions_adopted"]

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from xxgk.holidays.models import CalendarDay, CalendarYear


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 10
    fields = ("date", "is_working_day", "name", "note")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """The OGI office enters a new year's State Council notice here, all days at once."""

    list_display = ("year", "notice_title", "notice_number", "notice_date", "day_count")
    search_fields = ("notice_title", "notice_number")
    inlines = [CalendarDayInline]
    fieldsets = (
        (
            None,
            {
                "fields": ("year", "notice_title", "notice_number", "notice_date"),
                "description": _(
                    "Enter the whole year from the State Council General Office's notice: "
                    "list the weekdays off and the weekend days worked; every other day counts "
                    "as Monday to Friday working, weekends off. Once saved, deadlines in the "
                    "year can be computed."
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_day_count=Count("days"))

    @admin.display(description=_("days entered"), ordering="_day_count")
    def day_count(self, obj: CalendarYear) -> int:
        return obj._day_count

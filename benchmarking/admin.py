"""Admin for the club-wide catalogue only.

Tenant tables (submissions, values, results, history) are not registered: they
can be read only inside a tenancy context, which the admin does not set, and
they change only through `benchmarking.services`.
"""

from django.contrib import admin

from benchmarking.models import Campaign, DataElement, Indicator, IndicatorVersion


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "kind", "area", "group", "position", "is_example"]
    list_filter = ["area", "kind", "is_example"]
    search_fields = ["code", "name", "measurement"]
    list_select_related = ["area"]
    autocomplete_fields = ["part_of"]
    ordering = ["area__position", "position", "code"]


class IndicatorVersionInline(admin.TabularInline):
    """Versions are history: each computed result points at one. A new version
    is made from the catalogue pages (or `load_catalogue`), never by editing here."""

    model = IndicatorVersion
    extra = 0
    can_delete = False
    fields = ["number", "formula", "unit", "decimals", "better", "band_low", "band_high", "created_at", "created_by"]
    readonly_fields = fields
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area", "dimension", "is_active", "is_example"]
    list_filter = ["area", "dimension", "is_active", "is_example"]
    search_fields = ["code", "name"]
    list_select_related = ["area"]
    inlines = [IndicatorVersionInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["__str__", "area", "period_year", "opens_on", "due_on", "status"]
    list_filter = ["area", "status", "period_year"]
    list_select_related = ["area"]
    filter_horizontal = ["indicators"]
    readonly_fields = ["created_at", "created_by"]
    date_hierarchy = "due_on"

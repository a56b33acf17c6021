"""Back office for the bibliography: edit works as CSL-JSON."""

from django.contrib import admin

from broadsheet.sources.models import Work


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "doi", "updated_at"]
    search_fields = ["key", "title", "doi"]
    readonly_fields = ["title", "doi", "created_at", "updated_at"]
    fields = ["key", "csl", "title", "doi", "created_at", "updated_at"]

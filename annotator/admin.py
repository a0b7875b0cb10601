"""Django admin for site administrators: project settings, members and labels.

Document text and spans are shown read-only here: every offset points into the text, and
spans change only through the services that check them.
"""

from django.contrib import admin

from .models import Assignment, Document, Label, Membership, Project, Span


class LabelInline(admin.TabularInline):
    model = Label
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "annotators_per_document", "assignment_order"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LabelInline, MembershipInline]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "project", "external_id", "created_at"]
    list_filter = ["project"]
    search_fields = ["title", "external_id"]
    readonly_fields = ["project", "text", "sha256", "source_name", "created_at"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "annotator", "status", "assigned_at", "submitted_at"]
    list_filter = ["status", "document__project"]
    readonly_fields = ["document", "annotator", "assigned_at", "submitted_at"]


@admin.register(Span)
class SpanAdmin(admin.ModelAdmin):
    list_display = ["id", "assignment", "label", "start", "end"]
    list_filter = ["label__key"]
    readonly_fields = ["assignment", "label", "start", "end", "attributes"]

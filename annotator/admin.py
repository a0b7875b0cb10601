"""Django admin for site administrators: project settings, members and labels.

Document text and spans are shown read-only here: every offset points into the text, and
spans change only through the services that check them.
"""

from django.contrib import admin

from .models import Assignment, AuditEvent, Document, Label, Membership, Project, Span
from .services.assignments import documents_places_recount


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

    # A status changed or an assignment deleted here frees or takes a document's place.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        documents_places_recount([obj.document_id])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        documents_places_recount([obj.document_id])

    def delete_queryset(self, request, queryset):
        documents = list(queryset.values_list("document_id", flat=True))
        super().delete_queryset(request, queryset)
        documents_places_recount(documents)


@admin.register(Span)
class SpanAdmin(admin.ModelAdmin):
    list_display = ["id", "assignment", "label", "start", "end"]
    list_filter = ["label__key"]
    readonly_fields = ["assignment", "label", "start", "end", "attributes"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the log is what happened, and no one, site admins included, rewrites it."""

    list_display = ["created_at", "project", "who", "action", "summary"]
    list_filter = ["action", "project"]
    search_fields = ["actor_name", "summary"]
    list_select_related = ["project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

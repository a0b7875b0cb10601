"""The project's audit log for leads, newest first, a cursor page at a time."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from ..models import AuditEvent
from ..models.audit import COMMAND_LINE
from ..permissions import IsProjectLead
from .base import ApiView, IdCursorPagination
from .serializers import StorableCharField


class AuditCursorPagination(IdCursorPagination):
    ordering = ("-created_at", "-id")


class AuditQuery(serializers.Serializer):
    person = StorableCharField(max_length=150, required=False)


class AuditEventOutput(serializers.ModelSerializer):
    when = serializers.DateTimeField(source="created_at")
    who = serializers.CharField(help_text=f"The username at the time, or '{COMMAND_LINE}'.")
    action_name = serializers.CharField(source="get_action_display")
    details = serializers.DictField(help_text="The ids and counts behind the summary.")

    class Meta:
        model = AuditEvent
        fields = ["id", "when", "who", "action", "action_name", "summary", "details"]


class AuditLogApi(ApiView):
    permission_classes = [IsProjectLead]
    paginated = True
    pagination_class = AuditCursorPagination
    query_parameters = frozenset({"action", "person"})

    @extend_schema(
        parameters=[
            OpenApiParameter("action", str, enum=AuditEvent.Action.values),
            OpenApiParameter(
                "person",
                {"type": "string", "maxLength": 150},
                description=f"A username (as it was at the time), or '{COMMAND_LINE}'; "
                "empty for anyone.",
            ),
        ],
        responses=AuditEventOutput(many=True),
        summary="Who did what to the project, and when: newest first (leads)",
    )
    def get(self, request, slug):
        query = AuditQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        events = AuditEvent.objects.filter(project=self.project)
        # Checked here, not by a serializer field: that would take "?action=" as no filter.
        action = request.query_params.get("action")
        if action is not None:
            if action not in AuditEvent.Action.values:
                raise serializers.ValidationError({"action": ["Not an action of the log."]})
            events = events.filter(action=action)
        if "person" in wanted:
            events = events.by_person(wanted["person"])
        return self.paginate(events, AuditEventOutput)

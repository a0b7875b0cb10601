"""Adjudication for leads: the review queue, a document's candidates and gold, decisions."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from .. import services
from ..domain.links import KINDS
from ..models import Document, Review
from ..permissions import IsProjectLead
from ..services.review_links import LINK_ACTIONS, link_candidates
from ..services.reviews import ACTIONS
from .base import ApiView
from .serializers import AttributesField, StorableCharField, StrictInput

NAMES = OpenApiParameter(
    "names", bool, description="Name the annotators (usernames) instead of A1, A2, …"
)


class QueueItemOutput(serializers.Serializer):
    document = serializers.IntegerField(source="id")
    title = serializers.CharField()
    agreement = serializers.FloatField(
        source="agreement_score", allow_null=True, help_text="Exact span F1; null for k = 1."
    )
    status = serializers.ChoiceField(source="review_status", choices=Review.Status.choices)


class VariantOutput(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    label = serializers.CharField()
    text = serializers.CharField()
    annotators = serializers.ListField(child=serializers.CharField())
    attributes = serializers.DictField()
    attribute_conflicts = serializers.DictField(
        help_text="Attribute → {value as JSON: annotators}, where the proposers differ."
    )


class GroupOutput(serializers.Serializer):
    index = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["label", "boundary", "both", "missing"])
    variants = VariantOutput(many=True)
    silent = serializers.ListField(child=serializers.CharField())
    majority = serializers.CharField(
        allow_null=True, help_text='"variant N" (0-based), "no span", or null: no majority.'
    )
    resolved = serializers.BooleanField()


class GoldSpanOutput(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    label = serializers.CharField()
    text = serializers.CharField()
    attributes = serializers.DictField()
    decision = serializers.CharField()
    exact_annotators = serializers.ListField(child=serializers.CharField())
    variant_annotators = serializers.ListField(child=serializers.CharField())


class EventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    lead = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    summary = serializers.CharField()
    reason = serializers.CharField()
    note = serializers.CharField()
    undone = serializers.BooleanField()


class ReviewLinkOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    source = serializers.IntegerField(
        allow_null=True, help_text="The gold span the figure became; null while it is not gold."
    )
    target = serializers.IntegerField(allow_null=True)
    source_text = serializers.CharField()
    target_text = serializers.CharField()
    annotators = serializers.ListField(child=serializers.CharField())
    agreed = serializers.BooleanField(help_text="Every annotator made it.")
    conflicting = serializers.BooleanField()
    accepted = serializers.BooleanField(help_text="It is a gold link.")


class ReviewOutput(serializers.Serializer):
    document = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Review.Status.choices)
    version = serializers.IntegerField()
    annotators = serializers.ListField(child=serializers.CharField())
    agreed = VariantOutput(many=True)
    groups = GroupOutput(many=True)
    gold = GoldSpanOutput(many=True)
    links = ReviewLinkOutput(many=True)
    events = EventOutput(many=True)


class ConflictOutput(serializers.Serializer):
    detail = serializers.CharField()
    review = ReviewOutput()


class DecisionInput(StrictInput):
    version = serializers.IntegerField(min_value=0, help_text="The version your state came with.")
    action = serializers.ChoiceField(choices=ACTIONS)
    group = serializers.IntegerField(required=False, min_value=0)
    variant = serializers.IntegerField(required=False, min_value=0)
    gold_span = serializers.IntegerField(required=False, min_value=1)
    start = serializers.IntegerField(required=False)
    end = serializers.IntegerField(required=False)
    label = StorableCharField(required=False, max_length=50)
    attributes = AttributesField(required=False)
    reason = serializers.ChoiceField(choices=list(services.REASONS), required=False)
    note = StorableCharField(required=False, max_length=2000, allow_blank=True)


class LinkDecisionInput(StrictInput):
    version = serializers.IntegerField(min_value=0, help_text="The version your state came with.")
    action = serializers.ChoiceField(choices=LINK_ACTIONS)
    source = serializers.IntegerField(min_value=1, help_text="The figure's gold span id.")
    target = serializers.IntegerField(min_value=1, help_text="The linked gold span's id.")
    kind = serializers.ChoiceField(choices=list(KINDS))
    reason = serializers.ChoiceField(choices=list(services.REASONS), required=False)
    note = StorableCharField(required=False, max_length=2000, allow_blank=True)


class VersionInput(StrictInput):
    version = serializers.IntegerField(min_value=0)


def review_json(document: Document, *, names: bool) -> dict:
    state = services.review_state(document)
    people = services.annotator_names(state.candidates.annotators, names=names)
    text = document.text

    def variant(v) -> dict:
        return {
            "start": v.start,
            "end": v.end,
            "label": v.label,
            "text": text[v.start : v.end],
            "annotators": [people[a] for a in v.annotators],
            "attributes": v.attributes,
            "attribute_conflicts": {
                name: {value: [people[a] for a in who] for value, who in values.items()}
                for name, values in v.conflicts.items()
            },
        }

    def majority(group) -> str | None:
        if group.choice is None:
            return None
        if isinstance(group.choice, str):
            return group.choice
        return f"variant {group.variants.index(group.choice)}"

    return {
        "document": document.pk,
        "status": state.status,
        "version": state.version,
        "annotators": [people[a] for a in state.candidates.annotators],
        "agreed": [variant(v) for v in state.candidates.agreed],
        "groups": [
            {
                "index": index,
                "start": group.start,
                "end": group.end,
                "kind": group.kind,
                "variants": [variant(v) for v in group.variants],
                "silent": [people[a] for a in group.silent],
                "majority": majority(group),
                "resolved": state.is_resolved(group),
            }
            for index, group in enumerate(state.candidates.groups)
        ],
        "gold": [
            {
                "id": span.pk,
                "start": span.start,
                "end": span.end,
                "label": span.label.key,
                "text": text[span.start : span.end],
                "attributes": span.attributes,
                "decision": span.decision,
                "exact_annotators": [people.get(a, str(a)) for a in span.exact_annotators],
                "variant_annotators": [people.get(a, str(a)) for a in span.variant_annotators],
            }
            for span in state.gold
        ],
        "links": [
            {
                "kind": link.kind,
                # Before the review exists its gold has no ids yet.
                "source": link.source if isinstance(link.source, int) else None,
                "target": link.target if isinstance(link.target, int) else None,
                "source_text": link.source_text,
                "target_text": link.target_text,
                "annotators": [people.get(a, str(a)) for a in link.annotators],
                "agreed": link.agreed,
                "conflicting": link.conflicting,
                "accepted": link.accepted,
            }
            for link in link_candidates(document, state.candidates, state.gold, state.review)
        ],
        "events": [
            {
                "at": event.at,
                "lead": event.lead.username if event.lead else None,
                "action": event.action,
                "summary": event.summary,
                "reason": event.reason,
                "note": event.note,
                "undone": event.undone,
            }
            for event in (state.review.events.select_related("lead") if state.review else [])
        ],
    }


class _ReviewApi(ApiView):
    permission_classes = [IsProjectLead]
    query_parameters = frozenset({"names"})

    def document(self, document_id) -> Document:
        found = Document.objects.ready_for_review(self.project).filter(pk=document_id).first()
        if found is None:
            raise NotFound("No such document is ready for review.")
        return found

    def names(self) -> bool:
        return self.request.query_params.get("names") in ("1", "true")


class ReviewQueueApi(ApiView):
    permission_classes = [IsProjectLead]
    paginated = True
    query_parameters = frozenset({"status"})

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[s for s, _ in Review.Status.choices]),
        ],
        responses=QueueItemOutput(many=True),
        summary="Documents ready for review, in the order of their ids (leads)",
    )
    def get(self, request, slug):
        documents = Document.objects.ready_for_review(self.project)
        wanted = request.query_params.get("status")
        if wanted is not None:
            if wanted not in Review.Status.values:
                raise serializers.ValidationError({"status": ["Not a review status."]})
            documents = documents.filter(review_status=wanted)
        return self.paginate(documents, QueueItemOutput)


class ReviewDetailApi(_ReviewApi):
    @extend_schema(
        parameters=[NAMES], responses=ReviewOutput, summary="A document's candidates and gold"
    )
    def get(self, request, slug, document_id):
        return Response(review_json(self.document(document_id), names=self.names()))


class _ChangeApi(_ReviewApi):
    """POST a change to the review; the answer is its new state, or 409 with the current one.

    Subclasses name their input serializer and the service that makes the change."""

    input_class: type[serializers.Serializer]

    def change(self, document, data: dict) -> None:
        raise NotImplementedError

    def post(self, request, slug, document_id):
        document = self.document(document_id)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            self.change(document, data.validated_data)
        except services.ReviewConflict as conflict:
            return Response(
                {"detail": conflict.message, "review": review_json(document, names=self.names())},
                status=status.HTTP_409_CONFLICT,
            )
        except services.ReviewClosed as closed:
            return Response({"detail": closed.message}, status=status.HTTP_409_CONFLICT)
        return Response(review_json(document, names=self.names()))


def _change_schema(request, summary: str):
    return extend_schema(
        methods=["POST"],
        parameters=[NAMES],
        request=request,
        responses={200: ReviewOutput, 409: ConflictOutput},
        summary=summary,
        description=summary,  # not the class's docstring, which is for whoever reads the code
    )


@_change_schema(
    DecisionInput, "Record one decision (leads); 409 with the current state if it changed"
)
class ReviewDecisionApi(_ChangeApi):
    input_class = DecisionInput

    def change(self, document, data):
        services.review_decide(document=document, lead=self.request.user, **data)


@_change_schema(
    LinkDecisionInput,
    "Accept or reject a link between two gold spans (leads); 409 if the review changed",
)
class ReviewLinkDecisionApi(_ChangeApi):
    input_class = LinkDecisionInput

    def change(self, document, data):
        services.review_link_decide(document=document, lead=self.request.user, **data)


@_change_schema(VersionInput, "Finish the review: every conflict must be decided (leads)")
class ReviewFinishApi(_ChangeApi):
    input_class = VersionInput

    def change(self, document, data):
        services.review_finish(document=document, lead=self.request.user, **data)


@_change_schema(VersionInput, "Reopen a finished review; its gold and history stay (leads)")
class ReviewReopenApi(_ChangeApi):
    input_class = VersionInput

    def change(self, document, data):
        services.review_reopen(document=document, lead=self.request.user, **data)

"""The annotation workspace: next document, the annotate page, span changes, submit, skip.

Span changes come from the page's JavaScript as form posts and answer with the partial they
change plus an HX-Trigger `spans-changed` event carrying what the script needs to redraw.
"""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..domain.attributes import missing_required, without_derived
from ..domain.links import KINDS
from ..forms import SkipForm
from ..models import Review
from ..permissions import (
    assignments_visible_to,
    own_assignment,
    project_annotator,
    project_lead,
)
from ..services import (
    AssignmentClosed,
    AttributesRejected,
    ServiceError,
    SpanGone,
    SpanRejected,
    SubmissionIncomplete,
)
from ..services.passages import shared_paragraphs

PAGE = "annotate/document.html"
# What the page's link mode offers, in the order of its number keys.
LINK_KINDS = [
    {"key": kind.key, "title": kind.title, "source": kind.source_label, "target": kind.target_label}
    for kind in KINDS.values()
]


@require_POST
@project_annotator
def annotate_next(request, project):
    if project.content_note_due_for(request.user):
        return redirect("content_note", project.slug)
    return next_document(request, project)


def next_document(request, project):
    """The volunteer's next document (also where accepting the content note leads)."""
    assignment = services.assignment_next(project=project, annotator=request.user)
    if assignment is None:
        messages.info(request, f"No documents are waiting for you in {project.name}. Thank you!")
        return redirect("home")
    return redirect("annotate_document", project.slug, assignment.id)


@require_GET
@own_assignment
def annotate_document(request, project, assignment):
    if project.content_note_due_for(request.user):  # the page opened directly, e.g. a bookmark
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('content_note', args=[project.slug])}?{query}")
    if request.htmx and request.htmx.target == "span-list":
        context = _spans_context(project, assignment, spans_listed=True)
        return render(request, f"{PAGE}#span-list", context)
    suggestions = services.document_suggestions(assignment=assignment) if assignment.is_open else []
    return render(request, PAGE, _page_context(project, assignment, suggestions=suggestions))


def _page_context(project, assignment, **extra):
    """The whole page: its span list, and what only the page draws (the text's ignored and
    shared paragraphs, progress, the forms)."""
    return {
        **_spans_context(project, assignment),
        "document": assignment.document,
        "progress": assignments_visible_to(assignment.annotator, project).progress(),
        "skip_form": SkipForm(),
        "ignored": list(assignment.document.ignored.all()),
        "shared": shared_paragraphs(assignment.document),
        "link_kinds": LINK_KINDS,
        "adjudicated": not assignment.is_open
        and Review.objects.filter(document=assignment.document, status=Review.Status.DONE).exists(),
        **extra,
    }


def _spans_context(project, assignment, **extra):
    """The span list alone, which every change to a span asks for again."""
    labels = list(project.labels.all())
    spans = list(assignment.spans.all())
    by_id = {label.id: label for label in labels}
    for span in spans:
        span.label_obj = by_id[span.label_id]
        span.text = assignment.document.text[span.start : span.end]
        span.is_incomplete = bool(missing_required(span.label_obj.attribute_specs, span.attributes))
        span.links_shown = []
    by_span = {span.id: span for span in spans}
    for link in assignment.links.all():
        by_span[link.source_id].links_shown.append((link, by_span[link.target_id]))
    return {
        "project": project,
        "assignment": assignment,
        "labels": labels,
        "spans": spans,
        "incomplete_count": sum(span.is_incomplete for span in spans),
        **extra,
    }


@require_POST
@own_assignment
def span_create(request, project, assignment):
    label = project.labels.filter(key=request.POST.get("label", "")).first()
    if label is None:
        return _refusal(400, "Choose one of this project's labels.", field="label")
    try:
        attributes = json.loads(request.POST.get("attributes") or "null")
    except ValueError:
        return _refusal(400, "'attributes' is not valid JSON.", field="attributes")
    if attributes is not None and not isinstance(attributes, dict):
        return _refusal(400, "'attributes' must be a JSON object.", field="attributes")
    try:
        span = services.span_create(
            assignment=assignment,
            label=label,
            start=_integer(request.POST.get("start")),
            end=_integer(request.POST.get("end")),
            attributes=attributes,
            from_suggestion=request.POST.get("from_suggestion") == "1",
        )
    except AssignmentClosed as error:
        return _refusal(409, error.message)
    except SpanRejected as error:
        return _refusal(400, error.message, field=error.field)
    except AttributesRejected as error:
        problems = "; ".join(f"{name}: {reason}" for name, reason in error.errors.items())
        return _refusal(400, problems, field="attributes")
    # 200, not 201: this span was saved before (another tab, a repeated request); no new one.
    created = 200 if span.already_saved else 201
    return _span_changed(request, project, assignment, span, "created", status=created)


@require_POST
@own_assignment
def span_update(request, project, assignment, span_id):
    span = assignment.spans.filter(pk=span_id).first()
    if span is None:
        return _refusal(404, SpanGone().message)
    label = project.labels.filter(key=request.POST.get("label", "")).first()
    if label is None:
        return _refusal(400, "Choose one of this project's labels.", field="label")
    try:
        span = services.span_relabel(span=span, label=label)
    except AssignmentClosed as error:
        return _refusal(409, error.message)
    except SpanGone as error:
        return _refusal(404, error.message)
    except SpanRejected as error:
        return _refusal(400, error.message, field=error.field)
    return _span_changed(request, project, assignment, span, "updated")


@require_http_methods(["POST", "DELETE"])
@own_assignment
def span_delete(request, project, assignment, span_id):
    span = assignment.spans.select_related("label").filter(pk=span_id).first()
    if span is None:  # already gone (another tab, a repeated request): nothing to do
        return _span_event(HttpResponse(status=200), {"action": "deleted", "id": span_id})
    try:
        services.span_delete(span=span)
    except AssignmentClosed as error:
        return _refusal(409, error.message)
    # The deleted span's data comes back so that undo can recreate it exactly.
    entered = without_derived(span.label.attribute_specs, span.attributes)
    payload = {**_span_payload(span, "deleted"), "attributes": entered}
    return _span_event(HttpResponse(status=200), payload)


@require_http_methods(["GET", "POST"])
@own_assignment
def span_attributes(request, project, assignment, span_id):
    span = assignment.spans.select_related("label").filter(pk=span_id).first()
    if span is None:  # deleted in another tab
        return _refusal(404, SpanGone().message)
    errors = {}
    status = 200
    saved = False
    if request.method == "POST":
        try:
            span = services.span_set_attributes(span=span, submitted=_attribute_input(request))
            saved = True
        except AttributesRejected as error:
            errors, status = error.errors, 400
        except AssignmentClosed as error:
            return _refusal(409, error.message)
        except SpanGone as error:
            return _refusal(404, error.message)
    context = _span_detail_context(project, assignment, span, errors=errors, saved=saved)
    if request.method == "POST" and status == 200:
        response = render(request, f"{PAGE}#span-detail", context)
        return _span_event(response, _span_payload(span, "updated"))
    if request.method == "POST":
        # Keep what the annotator typed, so a mistake never costs them the other fields.
        context["values"] = _attribute_input(request)
    return render(request, f"{PAGE}#span-detail", context, status=status)


@require_POST
@own_assignment
def assignment_submit(request, project, assignment):
    try:
        services.assignment_submit(assignment=assignment)
    except SubmissionIncomplete as error:
        messages.error(request, error.message)
        return redirect("annotate_document", project.slug, assignment.id)
    except AssignmentClosed as error:
        # Already submitted (a double click, another tab) or closed by a lead: the page as it
        # now stands, saying why nothing happened.
        assignment.refresh_from_db()
        messages.error(request, error.message)
        return render(request, PAGE, _page_context(project, assignment), status=409)
    messages.success(request, "Submitted. Here is your next document.")
    return _next_or_home(request, project)


@require_POST
@own_assignment
def assignment_skip(request, project, assignment):
    form = SkipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you skip this document.")
        return redirect("annotate_document", project.slug, assignment.id)
    try:
        services.assignment_skip(assignment=assignment, reason=form.cleaned_data["reason_text"])
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("annotate_document", project.slug, assignment.id)
    messages.info(request, "Skipped. Here is your next document.")
    return _next_or_home(request, project)


@require_POST
@project_lead
def assignments_release(request, project):
    released = services.assignments_release_stale(project=project, actor=request.user)
    messages.info(
        request,
        f"Released {released} assignment{'s' if released != 1 else ''} older than "
        f"{project.assignment_timeout.days} days.",
    )
    return redirect("project_detail", project.slug)


# Helpers --------------------------------------------------------------------------------------


def _next_or_home(request, project):
    following = services.assignment_next(project=project, annotator=request.user)
    if following is None:
        messages.info(request, f"That was the last document waiting for you in {project.name}.")
        return redirect("home")
    return redirect("annotate_document", project.slug, following.id)


def _integer(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return raw


def _attribute_input(request) -> dict:
    data = {}
    for name in request.POST:
        if name == "csrfmiddlewaretoken":
            continue
        values = request.POST.getlist(name)
        data[name] = values if name.endswith("[]") or len(values) > 1 else values[0]
    return {name.removesuffix("[]"): value for name, value in data.items()}


def _refusal(status: int, message: str, field: str | None = None) -> HttpResponse:
    """A short, plain message the page shows as is; never contains another user's data."""
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    if field:
        response["X-Error-Field"] = field
    return response


def _span_payload(span, action: str) -> dict:
    return {
        "action": action,
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label.key,
        "incomplete": bool(missing_required(span.label.attribute_specs, span.attributes)),
    }


def _span_event(response: HttpResponse, payload: dict) -> HttpResponse:
    response["HX-Trigger"] = json.dumps({"spans-changed": payload})
    return response


def _span_changed(request, project, assignment, span, action: str, status: int = 200):
    span.text = assignment.document.text[span.start : span.end]
    span.label_obj = span.label
    span.is_incomplete = bool(missing_required(span.label.attribute_specs, span.attributes))
    response = render(
        request,
        f"{PAGE}#span-item",
        {"span": span, "project": project, "assignment": assignment},
        status=status,
    )
    return _span_event(response, _span_payload(span, action))


def _span_detail_context(project, assignment, span, *, errors=None, saved=False):
    specs = span.label.attribute_specs
    return {
        "project": project,
        "assignment": assignment,
        "span": span,
        "span_text": assignment.document.text[span.start : span.end],
        "specs": specs,
        "values": span.attributes,
        "errors": errors or {},
        "saved": saved,
        "missing": missing_required(specs, span.attributes),
        "action": reverse("span_attributes", args=[project.slug, assignment.id, span.id]),
    }

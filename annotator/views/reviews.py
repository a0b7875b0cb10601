"""Adjudication pages for leads: the review queue and the review of one document."""

import json

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..models import Assignment, Document, Review
from ..permissions import project_lead
from ..services import (
    REASONS,
    ReviewClosed,
    ReviewConflict,
    ServiceError,
    annotator_names,
    review_decide,
    review_finish,
    review_link_decide,
    review_reopen,
    review_state,
)
from ..services.passages import passages_decided_elsewhere
from ..services.review_links import link_candidates

PER_PAGE = 50


class QueueFilter(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Review.Status.choices])
    label = forms.CharField(required=False, max_length=50)
    annotator = forms.CharField(required=False, max_length=150)
    min_agreement = forms.FloatField(
        required=False, min_value=0, max_value=1, label="Agreement from"
    )
    max_agreement = forms.FloatField(required=False, min_value=0, max_value=1, label="Agreement to")


@project_lead
def review_queue(request, project):
    ready = Document.objects.ready_for_review(project)
    counts = {status: 0 for status, _ in Review.Status.choices}
    for row in ready.order_by().values("review_status").annotate(n=Count("id")):
        counts[row["review_status"]] = row["n"]
    form = QueueFilter(request.GET or None)
    documents = ready
    if form.is_valid():
        documents = _filtered(ready, form.cleaned_data)
    elif form.is_bound:
        documents = ready.none()  # a filter that cannot be read shows nothing, not everything
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "review/queue.html",
        {
            "project": project,
            "form": form,
            "page": page,
            "counts": counts,
            "labels": project.labels.all(),
        },
    )


def _filtered(documents, wanted: dict):
    if wanted["status"]:
        documents = documents.filter(review_status=wanted["status"])
    if wanted["label"]:
        documents = documents.filter(
            assignments__status=Assignment.Status.SUBMITTED,
            assignments__spans__label__key=wanted["label"],
        ).distinct()
    if wanted["annotator"]:
        documents = documents.filter(
            assignments__status=Assignment.Status.SUBMITTED,
            assignments__annotator__username=wanted["annotator"],
        ).distinct()
    if wanted["min_agreement"] is not None:
        documents = documents.filter(agreement_score__gte=wanted["min_agreement"])
    if wanted["max_agreement"] is not None:
        documents = documents.filter(agreement_score__lte=wanted["max_agreement"])
    return documents


@require_POST
@project_lead
def review_next(request, project):
    """The pending document with the least agreement."""
    document = Document.objects.ready_for_review(project).filter(review_status="pending").first()
    if document is None:
        messages.info(request, "No document is waiting for review.")
        return redirect("review_queue", slug=project.slug)
    return redirect("review_document", slug=project.slug, document_id=document.pk)


@project_lead
def review_document(request, project, document_id):
    document = _reviewable(project, document_id)
    return render(request, "review/document.html", _page(request, project, document))


@require_POST
@project_lead
def review_decision(request, project, document_id):
    """One decision, from the review page's keyboard or buttons; answers with the review as it
    now stands (409 with the current state if another lead changed it first)."""
    document = _reviewable(project, document_id)
    status, error = 200, None
    try:
        action = request.POST.get("action", "")
        if action.startswith("link_"):
            # A link's accept or reject: the same page, version and answer as a span's.
            review_link_decide(
                document=document, lead=request.user, **_link_fields(request.POST, action)
            )
        else:
            review_decide(document=document, lead=request.user, **_decision_fields(request.POST))
    except (ReviewConflict, ReviewClosed) as conflict:
        status, error = 409, conflict.message
    except ServiceError as refusal:
        status, error = 400, refusal.message
    context = _page(request, project, document, error=error, after=request.POST.get("group"))
    if request.htmx:
        return render(request, "review/_review.html", context, status=status)
    if error:
        messages.error(request, error)
    return redirect(_review_url(project, document))


@require_POST
@project_lead
def review_done(request, project, document_id):
    document = _reviewable(project, document_id)
    try:
        review_finish(
            document=document, lead=request.user, version=_number(request.POST, "version")
        )
    except ReviewConflict as conflict:
        return _outdated(request, project, document, conflict)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return redirect(_review_url(project, document))
    messages.success(request, f"“{document.title or document.pk}” is adjudicated.")
    following = Document.objects.ready_for_review(project).filter(review_status="pending").first()
    if following:
        return redirect("review_document", slug=project.slug, document_id=following.pk)
    return redirect("review_queue", slug=project.slug)


@require_POST
@project_lead
def review_reopening(request, project, document_id):
    document = _reviewable(project, document_id)
    try:
        review_reopen(
            document=document, lead=request.user, version=_number(request.POST, "version")
        )
    except ReviewConflict as conflict:
        return _outdated(request, project, document, conflict)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    return redirect(_review_url(project, document))


def _outdated(request, project, document, conflict):
    """Another lead changed the review first: the page as it now stands, saying so."""
    context = _page(request, project, document, error=conflict.message)
    return render(request, "review/document.html", context, status=409)


def _review_url(project, document) -> str:
    return reverse("review_document", args=[project.slug, document.pk])


def _reviewable(project, document_id) -> Document:
    document = Document.objects.ready_for_review(project).filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document is ready for review.")
    return document


def _number(data, name: str) -> int | None:
    value = data.get(name, "")
    if value == "":
        return None
    if not value.lstrip("-").isdigit():
        raise ServiceError(f"'{name}' must be a whole number.", field=name)
    return int(value)


def _decision_fields(data) -> dict:
    attributes = None
    if data.get("attributes"):
        try:
            attributes = json.loads(data["attributes"])
        except ValueError:
            raise ServiceError("The attributes are not valid JSON.", field="attributes") from None
        if not isinstance(attributes, dict):
            raise ServiceError("The attributes must be an object.", field="attributes")
    version = _number(data, "version")
    if version is None:
        raise ServiceError("The page's version is missing: reload the page.", field="version")
    return {
        "version": version,
        "action": data.get("action", ""),
        "group": _number(data, "group"),
        "variant": _number(data, "variant"),
        "gold_span": _number(data, "gold_span"),
        "start": _number(data, "start"),
        "end": _number(data, "end"),
        "label": data.get("label") or None,
        "attributes": attributes,
        "reason": data.get("reason", ""),
        "note": data.get("note", ""),
    }


def _link_fields(data, action: str) -> dict:
    version = _number(data, "version")
    if version is None:
        raise ServiceError("The page's version is missing: reload the page.", field="version")
    return {
        "version": version,
        "action": action.removeprefix("link_"),
        "source": _number(data, "source"),
        "target": _number(data, "target"),
        "kind": data.get("kind", ""),
        "reason": data.get("reason", ""),
        "note": data.get("note", ""),
    }


def _page(request, project, document, *, error=None, after=None) -> dict:
    state = review_state(document)
    for span in state.gold:
        span.text = document.text[span.start : span.end]
    names = request.GET.get("names") == "1" or request.POST.get("names") == "1"
    people = annotator_names(state.candidates.annotators, names=names)
    groups = []
    for index, group in enumerate(state.candidates.groups):
        groups.append(
            {
                "index": index,
                "group": group,
                "text": document.text[group.start : group.end],
                "resolved": state.is_resolved(group),
                "gold": [
                    span for span in state.gold if span.start < group.end and group.start < span.end
                ],
                "variants": [
                    {
                        "variant": variant,
                        "text": document.text[variant.start : variant.end],
                        "who": [people[a] for a in variant.annotators],
                        "majority": group.choice is variant,
                    }
                    for variant in group.variants
                ],
                "silent": [people[a] for a in group.silent],
                "no_span_majority": group.choice == "no span",
            }
        )
    current = _current_group(groups, after)
    links = link_candidates(document, state.candidates, state.gold, state.review)
    for link in links:
        link.who = [people.get(a, str(a)) for a in link.annotators]
    return {
        "project": project,
        "document": document,
        "state": state,
        "status_label": Review.Status(state.status).label,
        "groups": groups,
        "current": current,
        "open_count": sum(not group["resolved"] for group in groups),
        "attribute_conflicts": [
            {
                "variant": v,
                "text": document.text[v.start : v.end],
                "conflicts": _named(v, people),
                "gold": next((g for g in state.gold if _same(g, v)), None),
            }
            for v in [
                *state.candidates.agreed,
                *(v for group in state.candidates.groups for v in group.variants),
            ]
            if v.conflicts
        ],
        "annotators": [people[a] for a in state.candidates.annotators],
        "links": links,
        "names": names,
        "labels": project.labels.all(),
        "shortcuts": json.dumps({label.shortcut: label.key for label in project.labels.all()}),
        "reasons": REASONS,
        "events": list(state.review.events.select_related("lead")) if state.review else [],
        "carried": passages_decided_elsewhere(document) if state.status != "done" else [],
        "error": error,
    }


def _current_group(groups: list[dict], after) -> int:
    """The first undecided conflict after the one just decided (then from the top)."""
    start = int(after) + 1 if after and after.isdigit() else 0
    order = [*groups[start:], *groups[:start]]
    for group in order:
        if not group["resolved"]:
            return group["index"]
    return min(start, len(groups) - 1) if groups else 0


def _same(gold, variant) -> bool:
    return (gold.start, gold.end, gold.label.key) == variant.key


def _named(variant, people) -> dict:
    """{attribute: [(value, {attribute: value} as JSON, proposers)]}, for buttons that pick a
    value. The JSON is made whole here and the template only escapes it for the attribute, so
    no quote or markup in a name or value can end the attribute or the JSON early."""
    return {
        name: [
            (json.loads(value), json.dumps({name: json.loads(value)}), [people[a] for a in who])
            for value, who in values.items()
        ]
        for name, values in variant.conflicts.items()
    }

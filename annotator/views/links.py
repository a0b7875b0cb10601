"""Links between an annotator's spans, from the annotate page: make one, remove one.

Both answer with the span list, where each figure shows its links as chips, and announce
`links-changed` with what changed.
"""

import json

from django.shortcuts import render
from django.views.decorators.http import require_POST

from .. import services
from ..permissions import own_assignment
from ..services import AssignmentClosed, LinkRejected, SpanGone
from .annotate import PAGE, _integer, _page_context, _refusal


@require_POST
@own_assignment
def link_create(request, project, assignment):
    spans = assignment.spans.all()
    source = spans.filter(pk=_integer(request.POST.get("source"))).first()
    target = spans.filter(pk=_integer(request.POST.get("target"))).first()
    if source is None or target is None:
        return _refusal(404, SpanGone().message)
    try:
        link = services.link_create(
            assignment=assignment, source=source, target=target, kind=request.POST.get("kind", "")
        )
    except AssignmentClosed as error:
        return _refusal(409, error.message)
    except SpanGone as error:
        return _refusal(404, error.message)
    except LinkRejected as error:
        return _refusal(400, error.message, field=error.field)
    # Not "target": htmx would take it for the element to announce the event on.
    payload = {"action": "created", "id": link.pk, "from": source.pk, "to": target.pk}
    return _list_changed(request, project, assignment, {**payload, "kind": link.kind})


@require_POST
@own_assignment
def link_delete(request, project, assignment, link_id):
    link = assignment.links.filter(pk=link_id).first()
    if link is not None:  # else already gone (another tab, a repeated request): nothing to do
        try:
            services.link_delete(link=link)
        except AssignmentClosed as error:
            return _refusal(409, error.message)
    return _list_changed(request, project, assignment, {"action": "deleted", "id": link_id})


def _list_changed(request, project, assignment, payload):
    context = _page_context(project, assignment, spans_listed=True)
    response = render(request, f"{PAGE}#span-list", context)
    response["HX-Trigger"] = json.dumps({"links-changed": payload})
    return response

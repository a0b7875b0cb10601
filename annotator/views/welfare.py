"""The content note a volunteer reads before their first document of a project.

The annotate views send a volunteer here while the note is due (see
Project.content_note_due_for); accepting it returns them to where they were going.
"""

from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .. import services
from ..permissions import project_annotator
from .annotate import next_document


@require_http_methods(["GET", "POST"])
@project_annotator
def content_note(request, project):
    going_to = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        going_to, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if request.method == "POST":
        services.membership_content_note_accept(project=project, user=request.user)
        # Only to a page of this site: a link from elsewhere must not use us to send someone
        # on. With no page to return to, the volunteer was asking for their next document.
        return redirect(going_to) if safe else next_document(request, project)
    if not project.content_note_due_for(request.user):
        return redirect(going_to) if safe else redirect("project_detail", project.slug)
    return render(
        request,
        "welfare/content_note.html",
        {"project": project, "next": going_to if safe else ""},
    )

"""A lead's settings of a project: the content note and the break reminder."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import ProjectSettingsForm
from ..permissions import project_lead


@require_http_methods(["GET", "POST"])
@project_lead
def project_settings(request, project):
    form = ProjectSettingsForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.project_settings_update(project=project, values=form.cleaned_data)
        messages.success(request, "Settings saved.")
        return redirect("project_settings", project.slug)
    status = 400 if form.errors else 200
    return render(
        request, "projects/settings.html", {"project": project, "form": form}, status=status
    )

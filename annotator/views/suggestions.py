"""The leads' suggestions page: the switch that shows them to annotators, how well they match
the gold so far, and the gazetteer the place and party names come from."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import services
from ..forms import GazetteerEntryForm, SuggestionsSwitchForm
from ..permissions import project_lead
from ..services import ServiceError
from ..services.gazetteer import gazetteer_labels

PAGE = "suggestions/settings.html"


@require_GET
@project_lead
def suggestions_settings(request, project):
    return _page(request, project, _entry_form(project))


@require_POST
@project_lead
def suggestions_switch(request, project):
    form = SuggestionsSwitchForm(request.POST)
    enabled = form.is_valid() and form.cleaned_data["enabled"]
    services.project_set_suggestions(project=project, enabled=enabled)
    messages.success(
        request, "Annotators now see suggestions." if enabled else "Suggestions are turned off."
    )
    return redirect("suggestions_settings", project.slug)


@require_POST
@project_lead
def gazetteer_entry_add(request, project):
    form = _entry_form(project, request.POST)
    if not _saved(form, project):
        return _page(request, project, form, status=400)
    messages.success(request, f"Added “{form.cleaned_data['name']}”.")
    return redirect("suggestions_settings", project.slug)


@require_http_methods(["GET", "POST"])
@project_lead
def gazetteer_entry_edit(request, project, entry_id: int):
    entry = get_object_or_404(project.gazetteer.select_related("label"), pk=entry_id)
    if request.method == "GET":
        initial = {
            "label": entry.label,
            "name": entry.name,
            "aliases": ", ".join(entry.aliases),
            "attributes": ", ".join(f"{name}={value}" for name, value in entry.attributes.items()),
        }
        form = _entry_form(project, initial=initial)
    else:
        form = _entry_form(project, request.POST)
        if _saved(form, project, entry=entry):
            messages.success(request, f"Saved “{entry.name}”.")
            return redirect("suggestions_settings", project.slug)
    status = 400 if form.errors else 200
    context = {"project": project, "entry": entry, "form": form}
    return render(request, "suggestions/entry.html", context, status=status)


@require_POST
@project_lead
def gazetteer_entry_remove(request, project, entry_id: int):
    entry = get_object_or_404(project.gazetteer, pk=entry_id)
    services.gazetteer_entry_delete(entry=entry)
    messages.success(request, f"Deleted “{entry.name}”.")
    return redirect("suggestions_settings", project.slug)


@require_POST
@project_lead
def gazetteer_starter_add(request, project):
    added = services.gazetteer_add_starter(project=project)
    messages.success(
        request,
        f"Added {added} entr{'y' if added == 1 else 'ies'} from the starter list for Syria."
        if added
        else "The gazetteer has every entry of the starter list for Syria already.",
    )
    return redirect("suggestions_settings", project.slug)


def _entry_form(project, data=None, **kwargs) -> GazetteerEntryForm:
    return GazetteerEntryForm(data, labels=gazetteer_labels(project), **kwargs)


def _saved(form: GazetteerEntryForm, project, entry=None) -> bool:
    """Whether the form's entry was saved; the service's refusal goes next to its field."""
    if not form.is_valid():
        return False
    try:
        services.gazetteer_entry_save(project=project, entry=entry, **form.cleaned_data)
    except ServiceError as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return False
    return True


def _page(request, project, form, status=200):
    context = {
        "project": project,
        "form": form,
        "switch": SuggestionsSwitchForm(initial={"enabled": project.suggestions_enabled}),
        "entries": project.gazetteer.select_related("label"),  # by label, then name
        "report": services.suggestions_measure(project=project),
    }
    return render(request, PAGE, context, status=status)

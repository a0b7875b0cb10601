from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..domain.agreement import DocumentTallies
from ..forms import DocumentImportForm
from ..models import DocumentAgreement
from ..permissions import documents_visible_to, project_lead
from ..services import ServiceError
from ..services import document_import as import_documents
from ..services.ignored import (
    boilerplate_proposals,
    ignored_region_add,
    ignored_region_remove,
    ignored_regions,
)
from ..services.imported_annotations import AnnotationOptions
from ..services.passages import shared_paragraphs
from .agreement import KIND_NAMES


@project_lead
def document_detail(request, project, document_id):
    document = get_object_or_404(documents_visible_to(request.user, project), pk=document_id)
    stored = DocumentAgreement.objects.filter(document=document).first()
    agreement = None
    if stored:
        tallies = DocumentTallies.from_json(stored.tallies)
        matched, unmatched = tallies.totals("overlap")
        agreement = {
            "annotators": stored.annotators,
            "exact_f1": stored.score,
            "overlap_f1": 2 * matched / (2 * matched + unmatched) if matched or unmatched else 1.0,
            "kinds": [(KIND_NAMES[kind], count) for kind, count in _kinds(tallies)],
        }
    return render(
        request,
        "documents/detail.html",
        {
            "project": project,
            "document": document,
            "agreement": agreement,
            "regions": ignored_regions(document),
            "no_spans": (),
            "no_labels": (),
            "proposals": boilerplate_proposals(document),
            "shared": shared_paragraphs(document),
        },
    )


@require_POST
@project_lead
def ignored_region_mark(request, project, document_id):
    """Ignore a stretch of the document: a proposal's Ignore button or the lead's selection."""
    document = get_object_or_404(documents_visible_to(request.user, project), pk=document_id)
    try:
        ignored_region_add(
            document=document,
            start=_whole(request.POST.get("start")),
            end=_whole(request.POST.get("end")),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    return redirect("document_detail", project.slug, document.pk)


@require_POST
@project_lead
def ignored_region_unmark(request, project, document_id, region_id):
    document = get_object_or_404(documents_visible_to(request.user, project), pk=document_id)
    region = get_object_or_404(document.ignored, pk=region_id)
    ignored_region_remove(region=region)
    return redirect("document_detail", project.slug, document.pk)


def _whole(value):
    return int(value) if value and value.isdigit() else value


def _kinds(tallies: DocumentTallies):
    found = tallies.disagreements()
    return [(kind, found[kind]) for kind in KIND_NAMES]


@project_lead
def document_import(request, project):
    report = None
    if request.method == "POST":
        form = DocumentImportForm(request.POST, request.FILES)
    else:
        form = DocumentImportForm()
    if form.is_bound and form.is_valid():
        report = import_documents(
            project=project,
            files=[(upload.name, upload.file) for upload in form.cleaned_data["files"]],
            skip_invalid=form.cleaned_data["skip_invalid"],
            annotations=AnnotationOptions(
                mode=form.cleaned_data["annotations"] or "gold",
                create_labels=form.cleaned_data["create_labels"],
            ),
            actor=request.user,
        )
        if report.committed:
            form = DocumentImportForm()
    status = 400 if report is not None and not report.committed else 200
    return render(
        request,
        "documents/import.html",
        {"project": project, "form": form, "report": report},
        status=status,
    )

from django.shortcuts import get_object_or_404, render

from ..domain.agreement import DocumentTallies
from ..forms import DocumentImportForm
from ..models import DocumentAgreement
from ..permissions import documents_visible_to, project_lead
from ..services import document_import as import_documents
from ..services.imported_annotations import AnnotationOptions
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
        {"project": project, "document": document, "agreement": agreement},
    )


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

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from ..models import Document
from ..permissions import (
    assignments_visible_to,
    authenticated,
    can_annotate,
    documents_visible_to,
    project_member,
    projects_visible_to,
)
from .feedback import gold_feedback

DOCUMENTS_PER_PAGE = 50


@authenticated
def home(request):
    projects = (
        projects_visible_to(request.user)
        .with_role_of(request.user)
        .annotate(document_count=Count("documents"))
    )
    cards = [_card(request.user, project) for project in projects]
    return render(request, "projects/home.html", {"cards": cards})


def _card(user, project) -> dict:
    card = {"project": project, "annotates": can_annotate(project.role)}
    if card["annotates"]:
        card["progress"] = assignments_visible_to(user, project).progress()
        card["gold"] = gold_feedback(user, project)
        card["available"] = Document.objects.needing_annotator(project, user).count()
    return card


@project_member
def project_detail(request, project):
    documents = documents_visible_to(request.user, project).only(
        "id", "title", "external_id", "created_at"
    )
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/detail.html",
        {"project": project, "page": page, "is_lead": request.project_role == "lead"},
    )

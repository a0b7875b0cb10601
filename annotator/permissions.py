"""THE one place for role decisions.

Predicates decide; queryset scoping, view decorators (and, later, DRF permission classes) are
thin over them. Every view declares its policy with one of the decorators below, and an
architecture test fails on any URL whose view declares none. Someone who is not a member of a
project gets 404 for it, never 403, so a project's existence is not revealed.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from .models import Document, Membership, Project

POLICY_ATTRIBUTE = "permission_policy"

type View = Callable[..., HttpResponse]


# Predicates -----------------------------------------------------------------------------------


def project_role(user, project: Project) -> str | None:
    """The user's role in the project; site admins lead every project."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Membership.Role.LEAD
    return (
        Membership.objects.filter(user=user, project=project).values_list("role", flat=True).first()
    )


def is_project_lead(user, project: Project) -> bool:
    return project_role(user, project) == Membership.Role.LEAD


# Scoping --------------------------------------------------------------------------------------


def projects_visible_to(user):
    projects = Project.objects.all()
    return projects if user.is_superuser else projects.with_member(user)


def documents_visible_to(user, project: Project):
    """Leads see every document of their project; annotators reach documents only through
    their own assignments (the annotation screen), so they see none here."""
    if is_project_lead(user, project):
        return Document.objects.in_project(project)
    return Document.objects.none()


# View decorators ------------------------------------------------------------------------------


def _declare(view: View, policy: str) -> View:
    setattr(view, POLICY_ATTRIBUTE, policy)
    return view


def public(view: View) -> View:
    """Anyone, logged in or not (the login page)."""
    return _declare(login_not_required(view), "public")


def authenticated(view: View) -> View:
    """Any logged-in user; the view scopes what it shows to the user."""
    return _declare(view, "authenticated")


def _project_view(view: View, *, lead_only: bool, policy: str) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
        project = get_object_or_404(Project, slug=slug)
        role = project_role(request.user, project)
        if role is None:
            raise Http404("No such project.")
        if lead_only and role != Membership.Role.LEAD:
            raise PermissionDenied("Only a lead of this project can do this.")
        request.project_role = role
        return view(request, project, **kwargs)

    return _declare(wrapper, policy)


def project_member(view: View) -> View:
    """Members of the project (and site admins); the view receives the project."""
    return _project_view(view, lead_only=False, policy="project member")


def project_lead(view: View) -> View:
    """Leads of the project (and site admins); the view receives the project."""
    return _project_view(view, lead_only=True, policy="project lead")


# URL namespaces whose views enforce their own policy, with the reason.
SELF_GUARDED_NAMESPACES = {"admin": "Django's admin site admits staff users only"}

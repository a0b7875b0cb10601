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
from rest_framework import permissions as drf
from rest_framework.exceptions import NotFound

from .models import Assignment, Document, Membership, Project

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


def can_annotate(role: str | None) -> bool:
    """Annotators annotate; leads review. A lead who annotated would see the others' spans
    elsewhere and could not be blind, which would bias the agreement figures."""
    return role == Membership.Role.ANNOTATOR


# Scoping --------------------------------------------------------------------------------------


def projects_visible_to(user):
    projects = Project.objects.all()
    return projects if user.is_superuser else projects.with_member(user)


def assignments_visible_to(user, project: Project):
    """Blindness starts here: an annotator's assignments, spans and counts are only ever read
    through this scope, so another annotator's work cannot reach their pages."""
    return Assignment.objects.in_project(project).of(user)


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


def _project_view(view: View, *, allowed: Callable[[str], bool], refusal: str, policy: str) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
        project = get_object_or_404(Project, slug=slug)
        role = project_role(request.user, project)
        if role is None:
            raise Http404("No such project.")
        if not allowed(role):
            raise PermissionDenied(refusal)
        request.project_role = role
        return view(request, project, **kwargs)

    return _declare(wrapper, policy)


def project_member(view: View) -> View:
    """Members of the project (and site admins); the view receives the project."""
    return _project_view(view, allowed=lambda role: True, refusal="", policy="project member")


def project_lead(view: View) -> View:
    """Leads of the project (and site admins); the view receives the project."""
    return _project_view(
        view,
        allowed=lambda role: role == Membership.Role.LEAD,
        refusal="Only a lead of this project can do this.",
        policy="project lead",
    )


def project_annotator(view: View) -> View:
    """Annotators of the project; the view receives the project."""
    return _project_view(
        view,
        allowed=can_annotate,
        refusal="Only annotators of this project annotate; leads review.",
        policy="project annotator",
    )


def own_assignment(view: View) -> View:
    """An annotator on one of their own assignments; the view receives project and
    assignment. Anyone else's assignment is 404, so its existence is not revealed."""

    @wraps(view)
    def with_assignment(request, project, assignment_id: int, **kwargs):
        assignment = get_object_or_404(
            assignments_visible_to(request.user, project).select_related("document"),
            pk=assignment_id,
        )
        return view(request, project, assignment, **kwargs)

    return _declare(project_annotator(with_assignment), "own assignment")


# URL namespaces whose views enforce their own policy, with the reason.
SELF_GUARDED_NAMESPACES = {"admin": "Django's admin site admits staff users only"}


# DRF permission classes ----------------------------------------------------------------------


class _ProjectRole(drf.BasePermission):
    """Resolves the project of the URL and the caller's role in it, for the view to use.
    A non-member gets 404, like the HTML views, so the project's existence is not revealed."""

    message = "You do not have the role this needs in this project."

    def allows(self, role: str) -> bool:
        raise NotImplementedError

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        project = Project.objects.filter(slug=view.kwargs.get("slug")).first()
        role = project_role(request.user, project) if project else None
        if role is None:
            raise NotFound("No such project.")
        view.project, view.project_role = project, role
        return self.allows(role)


class IsProjectMember(_ProjectRole):
    def allows(self, role: str) -> bool:
        return True


class IsProjectLead(_ProjectRole):
    message = "Only a lead of this project can do this."

    def allows(self, role: str) -> bool:
        return role == Membership.Role.LEAD


class IsProjectAnnotator(_ProjectRole):
    message = "Only annotators of this project annotate; leads review."

    def allows(self, role: str) -> bool:
        return can_annotate(role)


def api_view(view_class, **initkwargs):
    """The callable for an API view's URL: DRF authenticates (token or session) and the
    permission classes decide, so Django's login redirect must not run first."""
    view = login_not_required(view_class.as_view(**initkwargs))
    names = [permission.__name__ for permission in view_class.permission_classes]
    return _declare(view, "api: " + " & ".join(names))

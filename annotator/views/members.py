"""The leads' members page: who is in the project with which role, and the invitations that
let new people in. A new invitation's link is shown once, in the answer to the form that made
it: only its hash is kept, so nobody can read it again later."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..forms import InvitationForm, MemberRoleForm
from ..permissions import project_lead
from ..services import ServiceError


@require_GET
@project_lead
def member_list(request, project):
    return _page(request, project, InvitationForm())


@require_POST
@project_lead
def member_role(request, project, membership_id: int):
    membership = get_object_or_404(project.memberships.select_related("user"), pk=membership_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose annotator or lead.")
        return redirect("member_list", project.slug)
    try:
        services.membership_set(
            project=project,
            username=membership.user.get_username(),
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, f"{membership.user.get_username()} is now {form.cleaned_data['role']}."
        )
    return redirect("member_list", project.slug)


@require_POST
@project_lead
def member_remove(request, project, membership_id: int):
    membership = get_object_or_404(project.memberships.select_related("user"), pk=membership_id)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
        return redirect("member_list", project.slug)
    messages.success(request, f"{membership.user.get_username()} is no longer a member.")
    if membership.user == request.user and not request.user.is_superuser:
        return redirect("home")
    return redirect("member_list", project.slug)


@require_POST
@project_lead
def invitation_create(request, project):
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _page(request, project, form, status=400)
    invitation, token = services.invitation_create(
        project=project,
        role=form.cleaned_data["role"],
        created_by=request.user,
        note=form.cleaned_data["note"],
        valid_for=timedelta(days=form.cleaned_data["valid_days"]),
    )
    link = request.build_absolute_uri(reverse("invitation_accept", args=[token]))
    return _page(request, project, InvitationForm(), new={"invitation": invitation, "link": link})


@require_POST
@project_lead
def invitation_revoke(request, project, invitation_id: int):
    invitation = get_object_or_404(project.invitations, pk=invitation_id)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ServiceError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The invitation is withdrawn: its link no longer works.")
    return redirect("member_list", project.slug)


def _page(request, project, form, *, new=None, status=200):
    memberships = project.memberships.select_related("user").order_by("role", "user__username")
    pending = project.invitations.usable(timezone.now()).select_related("created_by")
    context = {
        "project": project,
        "memberships": memberships,
        "pending": pending,
        "form": form,
        "new": new,
        "roles": MemberRoleForm.base_fields["role"].choices,
    }
    return render(request, "members/members.html", context, status=status)

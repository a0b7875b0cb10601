"""A person's own account: the refused login, changing the password, and opening an invitation
(the only way in for someone new: there is no sign-up page)."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import LOGIN_REFUSED, AccountForm
from ..permissions import authenticated, public
from ..services import AccountRejected, InvitationUnusable, ServiceError

# What a new account logs in with: the model backend (axes only watches attempts).
ACCOUNT_BACKEND = "django.contrib.auth.backends.ModelBackend"


def login_refused(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out login: the page the login view drew, whose form
    already says LOGIN_REFUSED, exactly as for a wrong password. Axes' async path passes the
    credentials where the response should be; this app runs on WSGI, but say no all the same."""
    if isinstance(original_response, HttpResponse):
        return original_response
    return HttpResponse(LOGIN_REFUSED, status=429, content_type="text/plain")


@authenticated
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, _posted(request))
    if form.is_valid():
        services.password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        # This session stays; every other session of the user ends.
        update_session_auth_hash(request, request.user)
        messages.success(request, "Your password is changed. You are logged out everywhere else.")
        return redirect("home")
    return render(
        request,
        "accounts/password_change.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@public
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_for_token(token)
    except InvitationUnusable as refusal:
        return _unusable(request, refusal)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AccountForm(_posted(request))
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                token=token,
                user=request.user if signed_in else None,
                username=form.cleaned_data["username"] if form else "",
                password=form.cleaned_data["password"] if form else "",
            )
        except InvitationUnusable as refusal:
            return _unusable(request, refusal)
        except AccountRejected as rejected:
            for field, field_errors in rejected.errors.items():
                for message in field_errors:
                    form.add_error(field, message)
        except ServiceError as refusal:
            error = refusal.message
        else:
            if not signed_in:
                login(request, membership.user, backend=ACCOUNT_BACKEND)
            messages.success(request, f"Welcome to {membership.project.name}.")
            # Always the project: a `next` from the link is never followed.
            return redirect("project_detail", membership.project.slug)
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "form": form, "error": error},
        status=400 if request.method == "POST" else 200,
    )


def _posted(request):
    """The form data of a POST, even an empty one (which must fail validation, not show an
    empty form as if nothing was sent)."""
    return request.POST if request.method == "POST" else None


def _unusable(request, refusal: InvitationUnusable) -> HttpResponse:
    return render(
        request,
        "accounts/invitation_unusable.html",
        {"refusal": refusal},
        status=404 if refusal.reason == "unknown" else 410,
    )

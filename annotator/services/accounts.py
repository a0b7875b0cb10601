"""A person's own account."""

from django.db import transaction
from rest_framework.authtoken.models import Token


def password_change(*, user, new_password: str) -> None:
    """Set a new (already validated) password.

    The user's other sessions end with it (Django checks a hash of the password on every
    request), and so does their API token: a token copied along with an old password would
    otherwise outlive it. A user who had a token gets a new one in its place."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        if Token.objects.filter(user=user).delete()[0]:
            Token.objects.create(user=user)

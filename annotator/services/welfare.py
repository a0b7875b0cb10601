"""What protects volunteers reading distressing reports: the project's content note."""

from django.utils import timezone

from ..models import Membership, Project


def membership_content_note_accept(*, project: Project, user) -> None:
    """Record that `user` read the project's content note; the first time counts, so a
    second click (another tab) keeps the original time."""
    Membership.objects.filter(project=project, user=user, content_note_seen_at__isnull=True).update(
        content_note_seen_at=timezone.now()
    )

"""The audit log's one write. Called inside the transaction of the change it records, so a
change that rolls back leaves no entry, and an entry never describes something that did not
happen."""

from ..models import AuditEvent, Project


def audit_record(
    *,
    project: Project,
    actor,
    action: str,
    summary: str,
    details: dict | None = None,
) -> AuditEvent:
    """Record that `actor` (a user, or None for the command line and background work) did
    `action` to `project`. `summary` is one line a lead reads; `details` holds the ids and
    counts behind it, as JSON."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        project=project,
        actor=user,
        actor_name=user.get_username() if user else "",
        action=action,
        summary=summary[:300],
        details=details or {},
    )

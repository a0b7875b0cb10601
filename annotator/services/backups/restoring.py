"""Restoring a project from a backup file, in one transaction: all of it or nothing.

The file is read twice: once to check it whole (format, version, checksum, its end) before the
database is touched, then record by record into the database, each record checked before it is
written; the first that does not fit stops the restore, naming its line, and nothing stays.

Ids: where none of the file's ids is taken in this database (an empty one, or the one the
project was deleted from), documents, assignments, gold spans and review events keep their ids,
so exports are byte for byte those of the original. Otherwise all of them get new ids, and the
review events' records of gold spans (what undo puts back) are translated to them.

People are matched by username: an account of that name is the one the project's work is
given to; a missing one is made, without staff or superuser rights, and without a usable
password unless the backup holds its hash.

Agreement figures are not in the file: they are computed again from the spans.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import ValidationError
from django.db import transaction

from ...domain.backup_records import document_check, record_check
from ...domain.backups import ORDER, BackupError
from ...models import (
    Assignment,
    AuditEvent,
    GazetteerEntry,
    GoldSpan,
    Label,
    Membership,
    Project,
    Review,
)
from ..agreement import agreement_refresh
from ..audit import audit_record
from ..errors import ServiceError
from ..passages import passages_refresh_request
from .raw import ids_claim, rows_insert
from .reading import backup_lines, backup_record, backup_verify
from .rows import MODELS, DocumentRows
from .writing import BATCH, GAZETTEER_FIELDS, LABEL_FIELDS, PROJECT_FIELDS, pick

CHOICES = {
    "assignment": set(Assignment.Status.values),
    "review": set(Review.Status.values),
    "gold": set(GoldSpan.Decision.values),
}


@dataclass
class RestoreSummary:
    project: Project
    counts: dict[str, int]
    ids_kept: bool


def project_restore(
    *,
    path: Path,
    slug: str | None = None,
    actor=None,
    progress: Callable[[int, int], None] | None = None,
) -> RestoreSummary:
    """Restore the backup at `path` as a new project (under `slug`, or the slug it had).

    Raises BackupError, naming the line, for a file that is not a whole backup or holds a
    record that does not fit, and ServiceError when the slug is taken; either way the
    database is left as it was."""
    header, trailer = backup_verify(Path(path))
    slug = slug or header["project"]
    if Project.objects.filter(slug=slug).exists():
        raise ServiceError(
            f"There is already a project '{slug}': restore under another slug.", field="slug"
        )
    end = trailer["records"] + 2
    with transaction.atomic():
        restore = _Restore(slug, header, trailer, _ids_free(trailer["ids"]), progress)
        digest = hashlib.sha256()
        for number, data in backup_lines(Path(path)):
            if number < end:
                digest.update(data)
            if 1 < number < end:
                restore.add(number, record_check(backup_record(data, number), number))
        if digest.hexdigest() != trailer["sha256"]:
            raise BackupError("the file changed while it was being restored")
        restore.finish()
        audit_record(
            project=restore.project,
            actor=actor,
            action=AuditEvent.Action.BACKUP_RESTORED,
            summary=f"Restored from {Path(path).name}, a backup of '{header['project']}' "
            f"made {header['made_at']:%Y-%m-%d %H:%M}",
            details={
                "file": Path(path).name,
                "from": header["project"],
                "counts": restore.counts,
                "ids_kept": restore.keep,
            },
        )
    return RestoreSummary(restore.project, restore.counts, restore.keep)


def _ids_free(ranges: dict[str, tuple[int, int]]) -> bool:
    """Whether this database holds no row in any of the file's id ranges, so they can be kept."""
    return not any(
        MODELS[kind].objects.filter(pk__range=bounds).exists() for kind, bounds in ranges.items()
    )


class _Restore:
    """The restore under way: records go in as they come, documents a batch at a time; what
    later records refer to (labels, users) is kept by the ids the file gives them."""

    def __init__(self, slug: str, header: dict, trailer: dict, keep: bool, progress):
        self.slug, self.header, self.keep, self.progress = slug, header, keep, progress
        self.ranges: dict[str, tuple[int, int]] = trailer["ids"]
        self.stage = 0
        self.project: Project | None = None
        self.labels: dict[str, Label] = {}
        self.label_ids: dict[int, int] = {}
        self.users: dict[int, int] = {}
        self.usernames: set[str] = set()
        self.members: set[int] = set()
        self.texts: set[str] = set()
        self.external_ids: set[str] = set()
        self.pending: list[tuple[int, dict]] = []
        self.counts = dict.fromkeys(header["counts"], 0)

    def add(self, line: int, record: dict) -> None:
        kind = record["type"]
        if ORDER.index(kind) < self.stage:
            raise BackupError(f"a {kind} record cannot come after a {ORDER[self.stage]}", line)
        if (kind == "project") == (self.project is not None):
            raise BackupError("the project record must come first, and once", line)
        if kind != ORDER[self.stage]:
            self._flush()
        self.stage = ORDER.index(kind)
        getattr(self, f"_{kind}")(line, record)

    def _id(self, kind: str, original: int, line: int) -> int | None:
        """The id a project or label keeps, or None for a new one (given by the database)."""
        if not self.keep:
            return None
        self.kept(kind, [original], line)
        return original

    def kept(self, kind: str, ids, line: int) -> None:
        """Ids are kept only inside the ranges the end record declares, which were checked to
        be free here."""
        low, high = self.ranges.get(kind, (1, 0))
        outside = [pk for pk in ids if not low <= pk <= high]
        if outside:
            raise BackupError(f"{kind} id {outside[0]} is outside the end record's ids", line)

    def _project(self, line: int, record: dict) -> None:
        project = Project(
            id=self._id("project", record["id"], line),
            slug=self.slug,
            assignment_timeout=timedelta(seconds=record["assignment_timeout"]),
            **pick(record, PROJECT_FIELDS),
        )
        _valid(project, line)
        self.project = rows_insert(Project, [project], line)[0]

    def _label(self, line: int, record: dict) -> None:
        label = Label(
            id=self._id("label", record["id"], line),
            project=self.project,
            **pick(record, LABEL_FIELDS),
        )
        _valid(label, line)
        label = rows_insert(Label, [label], line)[0]
        self.labels[label.key] = label
        self.label_ids[record["id"]] = label.pk
        self.counts["labels"] += 1

    def _user(self, line: int, record: dict) -> None:
        model = get_user_model()
        name = record["username"]
        if name in self.usernames:
            raise BackupError(f"username '{name}' is there twice", line)
        self.usernames.add(name)
        user = model.objects.filter(**{model.USERNAME_FIELD: name}).first()
        if user is None:
            user = _new_user(model, record, line, keep_id=self.keep)
        self.users[record["id"]] = user.pk
        self.counts["users"] += 1

    def _member(self, line: int, record: dict) -> None:
        if record["user"] not in self.users:
            raise BackupError(f"user: user {record['user']} is not among the file's users", line)
        if record["role"] not in Membership.Role.values:
            raise BackupError(f"role: '{record['role'][:50]}' is not a role", line)
        if record["user"] in self.members:
            raise BackupError(f"user {record['user']} is a member twice", line)
        self.members.add(record["user"])
        member = Membership(
            project=self.project,
            user_id=self.users[record["user"]],
            role=record["role"],
            content_note_seen_at=record["content_note_seen_at"],
            created_at=record["created_at"],
        )
        rows_insert(Membership, [member], line)
        self.counts["members"] += 1

    def _gazetteer(self, line: int, record: dict) -> None:
        if record["label"] not in self.labels:
            raise BackupError(f"label: the project has no label '{record['label'][:50]}'", line)
        aliases = record["aliases"]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise BackupError("aliases: not a list of names", line)
        entry = GazetteerEntry(
            project=self.project,
            label=self.labels[record["label"]],
            **pick(record, GAZETTEER_FIELDS),
        )
        _valid(entry, line)
        rows_insert(GazetteerEntry, [entry], line)
        self.counts["gazetteer_entries"] += 1

    def _document(self, line: int, record: dict) -> None:
        document_check(
            record, labels=set(self.labels), users=set(self.users), choices=CHOICES, line=line
        )
        if record["sha256"] in self.texts:
            raise BackupError("text: the same text is in an earlier document", line)
        if record["external_id"] in self.external_ids:
            raise BackupError(f"external_id: '{record['external_id']}' is there twice", line)
        self.texts.add(record["sha256"])
        if record["external_id"] is not None:
            self.external_ids.add(record["external_id"])
        self.pending.append((line, record))
        if len(self.pending) >= BATCH:
            self._flush()

    def _audit(self, line: int, record: dict) -> None:
        if record["action"] not in AuditEvent.Action.values:
            raise BackupError(f"action: '{record['action'][:50]}' is not an audit action", line)
        actor = record["actor"]
        if actor is not None and actor not in self.users:
            raise BackupError(f"actor: user {actor} is not among the file's users", line)
        event = AuditEvent(
            project=self.project,
            actor_id=None if actor is None else self.users[actor],
            **{name: record[name] for name in ("actor_name", "action", "details", "created_at")},
            summary=record["summary"][:300],
        )
        rows_insert(AuditEvent, [event], line)
        self.counts["audit_events"] += 1

    def _flush(self) -> None:
        if not self.pending:
            return
        DocumentRows(self).insert(self.pending)
        self.pending = []
        if self.progress:
            self.progress(self.counts["documents"], self.header["counts"]["documents"])

    def finish(self) -> None:
        self._flush()
        if self.project is None:
            raise BackupError("the file holds no project record")
        expected = self.header["counts"]
        for kind, count in self.counts.items():
            if expected[kind] != count:
                raise BackupError(
                    f"the header counts {expected[kind]:,} {kind} but the file holds {count:,}", 1
                )
        if self.keep:
            for kind, (_, highest) in self.ranges.items():
                ids_claim(MODELS[kind], highest)
        ids_claim(get_user_model(), max(self.users.values(), default=0))
        agreement_refresh(self.project, recompute=True)
        passages_refresh_request(self.project)


def _new_user(model, record: dict, line: int, *, keep_id: bool):
    user = model(
        **{model.USERNAME_FIELD: record["username"]},
        first_name=record["first_name"],
        last_name=record["last_name"],
        email=record["email"],
        is_active=record["is_active"],
    )
    if keep_id and not model.objects.filter(pk=record["id"]).exists():
        user.pk = record["id"]
    if record["password"] is None:
        user.set_unusable_password()
    else:
        try:
            identify_hasher(record["password"])
        except ValueError:
            raise BackupError("password: not a password hash this site knows", line) from None
        user.password = record["password"]
    _valid(user, line)
    user.save(force_insert=True)
    return user


def _valid(instance, line: int) -> None:
    try:
        instance.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise BackupError(f"{field}: {' '.join(messages)}", line) from None

"""A project's gazetteer, edited by its leads, and the switch that shows suggestions at all."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from ..domain.attributes import clean_attributes
from ..domain.suggest import STARTER_GAZETTEER
from ..domain.suggest.gazetteer import LABELS
from ..models import GazetteerEntry, Label, Project
from .errors import ServiceError


def gazetteer_labels(project: Project):
    """The project's labels a gazetteer entry may take: the suggestions name places and
    parties only."""
    return project.labels.filter(key__in=LABELS)


def gazetteer_entry_save(
    *,
    project: Project,
    label: Label,
    name: str,
    aliases: Iterable[str] = (),
    attributes: Mapping[str, Any] | None = None,
    entry: GazetteerEntry | None = None,
) -> GazetteerEntry:
    """Create an entry, or change `entry`; its attribute values are checked against the
    label's schema so that an accepted suggestion is never refused for them."""
    name = " ".join(name.split())
    if not name:
        raise ServiceError("Give the entry a name.", field="name")
    if label.project_id != project.pk or label.key not in LABELS:
        raise ServiceError("Choose the project's LOCATION or ACTOR label.", field="label")
    names = [" ".join(alias.split()) for alias in aliases]
    names = list(dict.fromkeys(alias for alias in names if alias and alias != name))
    cleaned = clean_attributes(label.attribute_specs, dict(attributes or {}), name)
    if cleaned.errors:
        problems = "; ".join(f"{key}: {reason}" for key, reason in cleaned.errors.items())
        raise ServiceError(problems, field="attributes")
    target = entry or GazetteerEntry(project=project)
    target.label, target.name, target.aliases, target.attributes = (
        label,
        name,
        names,
        cleaned.values,
    )
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise ServiceError(
            f"There is already a {label.key} entry “{name}”.", field="name"
        ) from None
    return target


def gazetteer_entry_delete(*, entry: GazetteerEntry) -> None:
    entry.delete()


def gazetteer_add_starter(*, project: Project) -> int:
    """Copy the starter list for Syria into the project; entries it has already (by label and
    name) are left as the lead edited them. Returns how many were added."""
    labels = {label.key: label for label in gazetteer_labels(project)}
    with transaction.atomic():
        existing = set(
            GazetteerEntry.objects.filter(project=project).values_list("label__key", "name")
        )
        new = [
            GazetteerEntry(
                project=project,
                label=labels[entry.label],
                name=entry.name,
                aliases=list(entry.aliases),
                attributes=dict(entry.attributes),
            )
            for entry in STARTER_GAZETTEER
            if entry.label in labels and (entry.label, entry.name) not in existing
        ]
        GazetteerEntry.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def project_set_suggestions(*, project: Project, enabled: bool) -> Project:
    project.suggestions_enabled = enabled
    project.save(update_fields=["suggestions_enabled"])
    return project

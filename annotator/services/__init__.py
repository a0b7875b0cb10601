"""Writes that need a transaction or touch several rows: keyword-only arguments,
<entity>_<action> names, never HTTP. Views, the API and the CLI all go through these."""

from .documents import document_import
from .projects import membership_set, project_create

__all__ = ["document_import", "membership_set", "project_create"]

"""Backups of one project: `project_backup` writes a project to one file, `project_restore`
makes it again from that file, in any database. The file's format is `domain.backups`.

This is per project, for moving a project or bringing back one deleted by mistake; a
whole-database dump (pg_dump) is still the backup against losing the server.
"""

from .restoring import RestoreSummary, project_restore
from .writing import BackupSummary, project_backup

__all__ = ["BackupSummary", "RestoreSummary", "project_backup", "project_restore"]

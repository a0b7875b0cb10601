"""Exports made in the background: a lead asks for one, a worker writes its file, the lead
downloads it from the export page or the API when it is done.

Big projects take minutes to export; a request that waited for them would time out, so the
page and the API queue an Export and poll it. The command line writes its file directly.
"""

import logging
import shutil
import tempfile
from functools import partial
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from ..models import AuditEvent, Export, Project
from ..tasks import run_export
from .audit import audit_record
from .errors import ServiceError
from .export_files import export_check, export_download, export_download_record
from .exports import write_beside_snapshot

logger = logging.getLogger(__name__)

KEPT = 20  # past exports kept per project; older ones go, with their files
PROBLEMS_KEPT = 50
PROGRESS_EVERY = 500  # documents between stored progress updates


def export_request(
    *,
    project: Project,
    user,
    format: str,
    include_auto_accepted: bool = False,
    ratios: tuple[float, float, float] | None = None,
    seed: int = 0,
) -> Export:
    """Queue an export of the project's gold; it runs once this transaction commits. The
    request is written to the audit log as `user`'s."""
    export_check(format, ratios)
    options = {
        "include_auto_accepted": include_auto_accepted,
        "ratios": list(ratios) if ratios is not None else None,
        "seed": seed,
    }
    with transaction.atomic():
        export = Export.objects.create(
            project=project, requested_by=user, format=format, options=options
        )
        _forget_old(project)
        audit_record(
            project=project,
            actor=user,
            action=AuditEvent.Action.EXPORT_REQUESTED,
            summary=f"Requested export {export.pk}: {format}"
            + (", with documents accepted without review" if include_auto_accepted else ""),
            details={"export_id": export.pk, "format": format, **options},
        )
        transaction.on_commit(partial(run_export.enqueue, export.pk))
    return export


def export_file_open(*, export: Export, actor):
    """The finished export's file, opened for sending to `actor`; the download is written to
    the audit log. The caller closes the file (a FileResponse does, once it is sent)."""
    with transaction.atomic():
        export_download_record(
            project=export.project,
            actor=actor,
            format=export.format,
            summary=f"Downloaded export {export.pk}: {export.file_name}",
            details={"export_id": export.pk, "file_name": export.file_name},
        )
        # Inside: a file that cannot be opened was not downloaded, and leaves no entry.
        return export.file.open("rb")


def export_run(export_id: int) -> Export | None:
    """Write the export's file; None when there is nothing to do (it is gone, or another worker
    took it). A failure is stored on the export for the lead to read, never raised."""
    taken = Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return None
    export = Export.objects.select_related("project").get(pk=export_id)
    folder = Path(tempfile.mkdtemp(prefix="export-"))
    try:
        path, name, result = export_download(
            project=export.project,
            format=export.format,
            folder=folder,
            include_auto_accepted=export.options.get("include_auto_accepted", False),
            ratios=tuple(export.options["ratios"]) if export.options.get("ratios") else None,
            seed=export.options.get("seed", 0),
            progress=partial(_progress, export_id),
        )
        with path.open("rb") as content:
            export.file.save(name, File(content), save=False)
        outcome = {
            "status": Export.Status.DONE,
            "file": export.file.name,
            "file_name": name,
            "size": path.stat().st_size,
            "done": result.documents,
            "total": result.documents,
            "problems": [str(problem) for problem in result.problems[:PROBLEMS_KEPT]],
            "problem_count": len(result.problems),
        }
    except ServiceError as refusal:
        outcome = {"status": Export.Status.FAILED, "error": refusal.message}
    except Exception:
        logger.exception("export %s failed", export_id)
        outcome = {
            "status": Export.Status.FAILED,
            "error": "The export failed on the server; the error is in its log.",
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # An update, not save(): a lead may have removed the export while it ran, and save()
    # would bring it back.
    if not Export.objects.filter(pk=export_id).update(finished_at=timezone.now(), **outcome):
        if export.file:
            export.file.delete(save=False)
        return None
    return Export.objects.get(pk=export_id)


def export_delete(export: Export) -> None:
    if export.file:
        export.file.delete(save=False)
    export.delete()


def _progress(export_id: int, done: int, total: int) -> None:
    if done == 1 or done % PROGRESS_EVERY == 0 or done == total:
        write_beside_snapshot(
            partial(Export.objects.filter(pk=export_id).update, done=done, total=total)
        )


def _forget_old(project: Project) -> None:
    kept = Export.objects.filter(project=project).order_by("-created_at", "-id")[:KEPT]
    for export in Export.objects.filter(project=project).exclude(pk__in=kept):
        export_delete(export)

"""Background work, on Django's tasks framework: arguments are plain JSON values (ids), because
a database-backed queue stores them."""

from django.tasks import task

from .models import Project


@task
def refresh_project_agreement(project_id: int) -> None:
    # Imported here: the services enqueue these tasks, so they import this module first.
    from .services.agreement import agreement_refresh

    project = Project.objects.filter(pk=project_id).first()
    if project is not None:  # deleted while the task waited
        agreement_refresh(project)


@task
def run_export(export_id: int) -> None:
    from .services.export_jobs import export_run

    export_run(export_id)


@task
def refresh_passages(project_id: int) -> None:
    from .services.passages import passages_refresh

    project = Project.objects.filter(pk=project_id).first()
    if project is not None:  # deleted while the task waited
        passages_refresh(project=project)

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_places(apps, schema_editor):
    """The stored count starts as the count of assignments that hold a place."""
    Assignment = apps.get_model("annotator", "Assignment")
    Document = apps.get_model("annotator", "Document")
    holding = (
        Assignment.objects.exclude(status__in=["skipped", "released"])
        .filter(document=OuterRef("pk"))
        .order_by()
        .values("document")
        .annotate(count=Count("id"))
        .values("count")
    )
    Document.objects.update(places_taken=Coalesce(Subquery(holding), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0006_assignment_annotator_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="places_taken",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(count_places, migrations.RunPython.noop),
    ]

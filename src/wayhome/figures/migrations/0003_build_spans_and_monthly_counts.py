"""Build the figures' spans and monthly counts from the timelines and requests already
there (figures.history.rebuild: the same SQL the writers' refresh uses). Undoing it
empties them."""

from typing import Any

from django.db import migrations


def build(apps: Any, schema_editor: Any) -> None:
    from wayhome.figures.history import rebuild

    rebuild()


def empty(apps: Any, schema_editor: Any) -> None:
    apps.get_model("figures", "MonthlyCount").objects.all().delete()
    apps.get_model("figures", "Span").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("figures", "0002_spans_and_monthly_counts"),
        ("people", "0007_merge_0006_person_team_assignment_0006_version"),
        ("tracing", "0004_merge_0003_tracingrequest_team_0003_version"),
    ]

    operations = [migrations.RunPython(build, empty)]

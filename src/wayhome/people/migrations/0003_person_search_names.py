"""Name search reads one column of the person row.

Searching "contains" through a join on the names made PostgreSQL walk the persons in
name order and probe each one's names: 440 ms for a common surname at a million persons.
A trigram index on the person's own folded names answers the same query in about 100 ms
(bench/README.md). Existing rows are filled here; services keep the column current.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

BATCH = 5000


def fill(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    person_model = apps.get_model("people", "Person")
    name_model = apps.get_model("people", "PersonName")
    last = 0
    while True:
        ids = list(
            person_model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        texts: dict[int, list[str]] = {}
        for person_id, text in (
            name_model.objects.filter(person_id__in=ids).order_by("pk").values_list("person_id", "search_text")
        ):
            texts.setdefault(person_id, []).append(text)
        rows = [person_model(pk=pk, search_names="\n".join(t for t in texts.get(pk, []) if t)) for pk in ids]
        person_model.objects.bulk_update(rows, ["search_names"], batch_size=1000)
        last = ids[-1]


def create_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS person_search_names_trgm "
            "ON people_person USING gin (search_names gin_trgm_ops)"
        )


def drop_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_names_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_personname_search_trigram")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_names",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]

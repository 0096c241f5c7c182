"""PostgreSQL only: Wagtail's index table keeps the title and body vectors in the row (STORAGE MAIN).

Stored out of line (the default once a row passes 2 kB), reading them took longer than matching them: over 20,000
articles 84 ms against 15 ms (portal.search.results.PostgresRankedPages reads both to match and to score). Rows
written before this change move when rewritten (``manage.py update_index``). SQLite has no such setting.
"""

from django.db import migrations

FORWARD = ["ALTER TABLE wagtailsearch_indexentry ALTER COLUMN title SET STORAGE MAIN, ALTER COLUMN body SET STORAGE MAIN"]
BACKWARD = [
    "ALTER TABLE wagtailsearch_indexentry ALTER COLUMN title SET STORAGE EXTENDED, "
    "ALTER COLUMN body SET STORAGE EXTENDED"
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]

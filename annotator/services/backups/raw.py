"""Writing rows as they are given, and the ids they keep or are given."""

from django.db import DatabaseError, connection

from ...domain.backups import BackupError


def rows_insert(model, objects: list, line: int | tuple[int, int]) -> list:
    """Insert the rows with every value as given, their times included: bulk_create would stamp
    the auto_now fields with the time of the restore, and a backup keeps when things happened.
    This is how `loaddata` saves too (a "raw" save)."""
    if not objects:
        return objects
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and objects[0].pk is None)
    ]
    returning = [] if objects[0].pk is not None else model._meta.db_returning_fields
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    try:
        for first in range(0, len(objects), size):
            batch = objects[first : first + size]
            rows = model._base_manager._insert(
                batch, fields=fields, returning_fields=returning or None, raw=True
            )
            for instance, row in zip(batch, rows or [], strict=False):
                instance.pk = row[0]
    except DatabaseError as error:
        where = line if isinstance(line, int) else None
        span = "" if where else f"lines {line[0]}–{line[1]}: "
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise BackupError(f"{span}the database refused it ({reason})", where) from None
    return objects


def ids_reserve(model, count: int) -> list[int]:
    """`count` new ids of the model's table that no insert will be given: the ids a restore
    gives rows whose own ids are taken here."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        base = _sqlite_next(cursor, table)
        _sqlite_set(cursor, table, base + count)
        return list(range(base + 1, base + count + 1))


def ids_claim(model, highest: int) -> None:
    """Make the table's next new id come after `highest`, which rows were inserted with (or
    which undo may bring back)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "GREATEST(nextval(pg_get_serial_sequence(%s, 'id')), %s))",
                [table, table, highest],
            )
        elif _sqlite_next(cursor, table) < highest:
            _sqlite_set(cursor, table, highest)


# SQLite's AUTOINCREMENT gives one more than the larger of the table's highest id and the
# number kept for it in sqlite_sequence: raising that number sets ids aside.
def _sqlite_next(cursor, table: str) -> int:
    cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
    highest = cursor.fetchone()[0] or 0
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    row = cursor.fetchone()
    return max(highest, row[0] if row else 0)


def _sqlite_set(cursor, table: str, value: int) -> None:
    cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [value, table])
    if cursor.rowcount == 0:
        cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value])

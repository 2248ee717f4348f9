"""Rows written through the driver's executemany are stored exactly as SQLAlchemy stores them.

A push writes its rows with `driver_sql` (SQL text and conversions worked out once), and the
rest of the server reads them back through SQLAlchemy: a time stored in another text shape
would sort wrongly on SQLite or fail to read back. Each row here is written both ways, on
SQLite and PostgreSQL, and the raw stored values compared.
"""

import uuid
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import insert, select, text

from fieldkit_server.db import open_database, writing
from fieldkit_server.driver_sql import IN_LIST, insert_rows, select_in, update_rows
from fieldkit_server.ownership import table_of
from fieldkit_server.tables import change_log

HANOI = timezone(timedelta(hours=7))


def _row(table: str, **values: object) -> dict[str, object]:
    """A row of `table` with `values`, and a plain value in every other required column."""
    row: dict[str, object] = {}
    for column in table_of(table).columns:
        kind = column.type.python_type
        row[column.name] = None if column.nullable else \
            0 if kind is int else False if kind is bool else "x"
    row.update({"id": str(uuid.uuid4()), "version": 1, "device_id": str(uuid.uuid4()),
                "updated_at": datetime(2026, 1, 1, tzinfo=UTC), **values})
    return row


def _household(conn) -> str:
    """A commune, village and household to hang people on, written the usual way."""
    commune = _row("commune", code=99999, name="Xã Thử", province_code=1,
                   province_name="Tỉnh Thử")
    village = _row("village", commune_id=commune["id"], name="Bản Thử")
    household = _row("household", village_id=village["id"], head_name="Lò Văn Páo")
    for table, row in (("commune", commune), ("village", village), ("household", household)):
        conn.execute(insert(table_of(table)), [row])
    return str(household["id"])


def _person(household_id: str, updated_at: datetime) -> dict[str, object]:
    return _row("person", household_id=household_id, full_name="Lò Văn Páo",
                relation_to_head="head", vneid_status="none", updated_at=updated_at,
                date_of_birth=date(1961, 2, 28))


def _stored(conn, table: str, row_id: str) -> tuple[object, ...]:
    return tuple(conn.execute(text(f"SELECT * FROM {table} WHERE id = :id"),
                              {"id": row_id}).one())


def test_times_dates_and_flags_are_stored_as_sqlalchemy_stores_them(db_url: str) -> None:
    engine = open_database(db_url)
    people = table_of("person")
    moments = [datetime(2026, 12, 6, 4, 11, 42, 123456, tzinfo=UTC),
               datetime(2026, 12, 6, 11, 0, tzinfo=HANOI),  # same instant kind, other zone
               datetime(2026, 1, 1, tzinfo=UTC)]  # no microseconds
    try:
        with writing(engine) as conn:
            household = _household(conn)
            for moment in moments:
                ours, theirs = _person(household, moment), _person(household, moment)
                insert_rows(conn, people, [ours])
                conn.execute(insert(people), [theirs])
                mine, sqlalchemy = _stored(conn, "person", ours["id"]), \
                    _stored(conn, "person", theirs["id"])
                assert [v for v, c in zip(mine, people.columns, strict=True)
                        if c.name not in ("id", "device_id")] == \
                    [v for v, c in zip(sqlalchemy, people.columns, strict=True)
                     if c.name not in ("id", "device_id")]
                # And read back through SQLAlchemy as the same instant.
                back = conn.execute(select(people.c.updated_at, people.c.date_of_birth)
                                    .where(people.c.id == ours["id"])).one()
                assert back.updated_at == moment and back.date_of_birth == date(1961, 2, 28)
            edited = {**ours, "full_name": "Lò Thị Mỷ", "version": 2,
                      "updated_at": datetime(2026, 12, 7, tzinfo=UTC)}
            update_rows(conn, people, "id", [edited])
            again = conn.execute(select(people).where(people.c.id == ours["id"])).one()
            assert (again.full_name, again.version) == ("Lò Thị Mỷ", 2)
            assert select_in(conn, people, ["id", "household_id"], "id",
                             [ours["id"], "nobody"]) == [{"id": ours["id"],
                                                          "household_id": household}]
            # More values than one IN list takes: every row is found, each once, and an
            # empty list asks nothing.
            many = [f"nobody-{n}" for n in range(2 * IN_LIST)] + [ours["id"], theirs["id"]]
            assert sorted(row["id"] for row in select_in(conn, people, ["id"], "id", many)) == \
                sorted([ours["id"], theirs["id"]])
            assert select_in(conn, people, ["id"], "id", []) == []
    finally:
        engine.dispose()


def test_a_plain_time_column_keeps_its_own_fields(db_url: str) -> None:
    """change_log's time column is not the UTC-converting type: its text is the fields as
    given, as SQLAlchemy writes them."""
    engine = open_database(db_url)
    moment = datetime(2026, 12, 6, 11, 30, 5, 7, tzinfo=HANOI)
    entry = {"table_name": "person", "seq": 10**9, "version": 1, "commune_id": None,
             "device_id": None, "changed_at": moment}
    try:
        with writing(engine) as conn:
            insert_rows(conn, change_log, [{**entry, "row_id": "a"}])
            conn.execute(insert(change_log), [{**entry, "row_id": "b", "seq": 10**9 + 1}])
            stored = conn.execute(text(
                "SELECT row_id, changed_at FROM change_log WHERE row_id IN ('a', 'b') "
                "ORDER BY row_id")).all()
            assert stored[0][1] == stored[1][1]
    finally:
        engine.dispose()

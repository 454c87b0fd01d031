"""Special-group residents' identity numbers stored as the registries' are (issue 14, PIPL): encrypted (AES-GCM) and
as their keyed hash (HMAC-SHA256) for exact search, never in clear. The rows there are encrypted here with the key of
the settings the application runs with (WANGGE_PERSONAL_DATA_KEY; in development and tests derived from the secret
key), through wangge.registries.personal; the downgrade decrypts them back into the clear column.

SQLite: the columns are added and dropped in place (ALTER TABLE … ADD/DROP COLUMN, SQLite 3.35+) rather than by
batch mode's copy of the table, whose DROP of the old table would trip the home visits' foreign key to it.

Revision ID: 0023_special_resident_ids
Revises: 0021_warnings
Create Date: 2026-12-02 07:00:00
"""

import sqlalchemy as sa
from alembic import op

from wangge.config import get_settings
from wangge.registries import personal

revision = "0023_special_resident_ids"
down_revision = "0022_sweeps"
branch_labels = None
depends_on = None

T = "special_residents"
INDEX = "ix_special_residents_id_number_hash"


def _rows(column: str) -> list[tuple[int, str]]:
    query = sa.text(f"SELECT id, {column} FROM {T} WHERE {column} IS NOT NULL")  # noqa: S608 - this file's names
    return [(row_id, value) for row_id, value in op.get_bind().execute(query)]


def upgrade() -> None:
    op.add_column(T, sa.Column("id_number_enc", sa.Text(), nullable=True))
    op.add_column(T, sa.Column("id_number_hash", sa.String(64), nullable=True))
    settings = get_settings()
    update = sa.text(
        f"UPDATE {T} SET id_number_enc = :enc, id_number_hash = :hash, id_number = NULL WHERE id = :id"  # noqa: S608
    )
    for row_id, number in _rows("id_number"):
        clean = number.strip().upper()
        op.get_bind().execute(
            update,
            {
                "id": row_id,
                "enc": personal.encrypt(settings, clean, field="id_number"),
                "hash": personal.search_hash(settings, clean),
            },
        )
    op.create_index(INDEX, T, ["id_number_hash"])
    with op.batch_alter_table(T, recreate="never") as batch:
        batch.drop_column("id_number")


def downgrade() -> None:
    op.add_column(T, sa.Column("id_number", sa.String(18), nullable=True))
    settings = get_settings()
    update = sa.text(f"UPDATE {T} SET id_number = :number WHERE id = :id")  # noqa: S608
    for row_id, sealed in _rows("id_number_enc"):
        op.get_bind().execute(update, {"id": row_id, "number": personal.decrypt(settings, sealed, field="id_number")})
    op.drop_index(INDEX, table_name=T)
    with op.batch_alter_table(T, recreate="never") as batch:
        batch.drop_column("id_number_hash")
        batch.drop_column("id_number_enc")

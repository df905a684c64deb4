"""A cancellation can be undone: `cancellations.resolution` gains `undone`.

Revision ID: 20261202_0007
Revises: 20261201_0006
Create Date: 2026-12-02 00:00:00

SQLite cannot alter a CHECK constraint, so batch mode rebuilds the table
there; PostgreSQL drops and recreates the constraint. A downgrade keeps the
rows and calls an undone cancellation "dismissed" (closed without a
replacement), the nearest word the older schema has.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261202_0007"
down_revision: str | None = "20261201_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "resolution IN ('', 'replaced', 'replanned', 'dismissed')"
NEW = "resolution IN ('', 'replaced', 'replanned', 'dismissed', 'undone')"


def _resolutions(check: str) -> None:
    with op.batch_alter_table("cancellations", recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f("ck_cancellations_resolution"), type_="check")
        batch_op.create_check_constraint("resolution", check)


def upgrade() -> None:
    _resolutions(NEW)


def downgrade() -> None:
    op.execute("UPDATE cancellations SET resolution = 'dismissed' WHERE resolution = 'undone'")
    _resolutions(OLD)

"""One check-in per pair and day: a second check-in of the same pair for the same day edits the first.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03

Self-contained (imports nothing from ``peermatch``). A database may already hold two check-ins of one pair
for one day (before this revision the second was stored beside the first). They are merged into the newest
before the unique index is made: its answers stay; a worry signal of an older one is kept on it (a worry is
never lost by a merge), as are the tutee's answers when the newest has none. Then the older rows go.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_checkins = sa.table(
    "checkins",
    sa.column("id", sa.Integer),
    sa.column("pair_id", sa.Integer),
    sa.column("session_date", sa.Date),
    sa.column("worry", sa.Boolean),
    sa.column("worry_text", sa.String),
    sa.column("tutee_fun", sa.Integer),
    sa.column("tutee_learned", sa.Integer),
)


def _merge_duplicates() -> None:
    bind = op.get_bind()
    c = _checkins.c
    twice = sa.select(c.pair_id, c.session_date).group_by(c.pair_id, c.session_date).having(sa.func.count() > 1)
    for pair_id, day in bind.execute(twice).all():
        rows = bind.execute(
            sa.select(c.id, c.worry, c.worry_text, c.tutee_fun, c.tutee_learned)
            .where(c.pair_id == pair_id, c.session_date == day)
            .order_by(c.id.desc())
        ).all()
        keep, older = rows[0], rows[1:]
        texts = [r.worry_text for r in rows if r.worry_text]
        merged = {
            "worry": any(r.worry for r in rows),
            "worry_text": " | ".join(dict.fromkeys(reversed(texts)))[:500],
            "tutee_fun": next((r.tutee_fun for r in rows if r.tutee_fun is not None), None),
            "tutee_learned": next((r.tutee_learned for r in rows if r.tutee_learned is not None), None),
        }
        bind.execute(sa.update(_checkins).where(c.id == keep.id).values(**merged))
        bind.execute(sa.delete(_checkins).where(c.id.in_([r.id for r in older])))


def upgrade() -> None:
    _merge_duplicates()
    op.create_index("uq_checkins_pair_day", "checkins", ["pair_id", "session_date"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_checkins_pair_day", table_name="checkins")

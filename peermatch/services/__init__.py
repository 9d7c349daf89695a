"""Use cases: what a page, the command line or the demo seed asks of PeerMatch.

Each service is a function that takes the :class:`Database` and the acting user, opens one transaction
(``db.write()`` or ``db.read()``), calls the pure core (levels, roster, rules, matching, training,
check-ins, monitoring, reports) and the repositories in ``peermatch.storage``, and returns plain values.
Pages (``views/``) and their Streamlit helpers (``ui/``) reach the database only through here; the
layers are import-linter contracts in ``pyproject.toml``.
"""

from __future__ import annotations

from peermatch.services.database import Database, database_url

__all__ = ["Database", "database_url"]

"""A throwaway PostgreSQL server for the storage tests: initdb + pg_ctl in a temp dir, one per test run.

The binaries come from PATH or ``/usr/lib/postgresql/*/bin`` (Debian package ``postgresql``).
As root, the server runs as the ``postgres`` OS user (or ``nobody``) via ``runuser``, because
PostgreSQL refuses to run as root. It listens on 127.0.0.1 on a free port with trust auth, keeps its
unix socket in the temp dir, runs with fsync off, and is stopped and deleted when the run ends.
Without the binaries the PostgreSQL tests are skipped, but with ``CI=true`` they fail instead.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

__all__ = ["PostgresServer", "find_bindir", "require_server"]

_NEEDED = ("initdb", "pg_ctl", "postgres")


def find_bindir() -> Path | None:
    """The folder with initdb, pg_ctl and postgres, newest version first; None when absent."""
    candidates = []
    if found := shutil.which("pg_ctl"):
        candidates.append(Path(found).resolve().parent)
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if all((folder / name).exists() for name in _NEEDED):
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _os_user() -> str | None:
    """The unprivileged user to run as when we are root; None when not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as")


class PostgresServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.user = _os_user()
        self.base = Path(tempfile.mkdtemp(prefix="peermatch-pg-"))
        self.data = self.base / "data"
        self.sockets = self.base / "sockets"
        self.log = self.base / "server.log"
        self.port = 0
        self.started = False

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{log}")

    def start(self) -> None:
        self.sockets.mkdir()
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            for path in (self.base, self.sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale",
                  "--no-sync")  # fmt: skip
        for attempt in range(3):
            self.port = _free_port()
            options = (
                f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
            )
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", options, "start")
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        self.started = True

    def stop(self) -> None:
        if self.started:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            self.started = False
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, statement: str, database: str) -> None:
        import psycopg
        from psycopg import sql

        conninfo = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(database)))

    def create_database(self, template: str | None = None) -> tuple[str, str]:
        """A fresh database, empty or a copy of ``template`` (no one may be connected to it): (name, URL)."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        if template is None:
            self._admin("CREATE DATABASE {}", name)
        else:
            self._admin(f"CREATE DATABASE {{}} TEMPLATE {template}", name)
        return name, self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


_server: PostgresServer | None = None
_failure: str | None = None


def require_server() -> PostgresServer:
    """The shared server, started on first use; skip (or fail when CI=true) when it cannot run."""
    global _server, _failure
    if _server is None and _failure is None:
        bindir = find_bindir()
        if bindir is None:
            _failure = (
                "PostgreSQL binaries (initdb, pg_ctl, postgres) not found on PATH or in /usr/lib/postgresql/*/bin; "
                "install the Debian package 'postgresql' to run the PostgreSQL storage tests"
            )
        else:
            server = PostgresServer(bindir)
            try:
                server.start()
            except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
                server.stop()
                _failure = f"could not start a throwaway PostgreSQL server: {exc}"
            else:
                _server = server
                atexit.register(server.stop)
    if _server is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{_failure} (CI=true: PostgreSQL tests must run, not skip)")
        pytest.skip(_failure or "PostgreSQL unavailable")
    return _server

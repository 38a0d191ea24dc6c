"""A throwaway PostgreSQL cluster for the `pg` tests: initdb in a temp folder, a free port
on 127.0.0.1, stopped and removed at the end.

PostgreSQL refuses to run as root, and CI runs as root: then the server runs as the
`postgres` user (runuser). MOTCUA_TEST_DATABASE_URL (a server URL whose user may create
databases) skips the cluster and uses that server instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    found.sort(key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """initdb + pg_ctl start; `url(db)` for a database in it; `stop()` removes it all."""

    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # As root the server runs as postgres, who must reach the folder: /tmp, not a
        # private TMPDIR.
        self.dir = Path(tempfile.mkdtemp(prefix="motcua-pg-", dir="/tmp" if self.as_user else None))
        self.port = _free_port()
        if self.as_user:
            shutil.chown(self.dir, "postgres")
        data = self.dir / "data"
        self._run(
            "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync",
            "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        options = (
            f"-k {self.dir} -p {self.port} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", data, "-l", self.dir / "log", "-w", "-o", options, "start")

    def _run(self, tool: str, *args) -> None:
        command = [*self.as_user, str(self.bin / tool), *map(str, args)]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", self.dir / "data", "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def psql(url: str, sql: str) -> None:
    """Run one admin statement (CREATE/DROP DATABASE) with the cluster's psql."""
    tool = str(binaries() / "psql") if binaries() else "psql"
    subprocess.run(
        [tool, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip

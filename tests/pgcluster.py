"""A throw-away PostgreSQL cluster for the test suite: Debian's server binaries, a data directory and a
unix socket in a fresh temp dir, no TCP port, trust authentication, stopped and deleted afterwards.

initdb refuses to run as root, so as root the cluster is created and run as Debian's `postgres` system
user (made by the `postgresql` package) through `runuser`; the temp dir is handed to that user. The
test process connects over the socket as the database superuser `postgres` either way.

    python -m tests.pgcluster      # start one by hand, print its URL, stop it on Ctrl-C
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVICE_USER = "postgres"  # the system user Debian's postgresql package creates
SUPERUSER = "postgres"  # the database role initdb creates (-U)


def find_bindir() -> Path | None:
    """The newest Debian PostgreSQL server bindir, else the directory of an initdb on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                        if Path(p).parent.name.isdigit() else 0)
    for bindir in reversed(candidates):
        if (Path(bindir) / "initdb").is_file() and (Path(bindir) / "pg_ctl").is_file():
            return Path(bindir)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    return None


def _as_service_user() -> list[str]:
    """The command prefix that runs the server binaries as a non-root user (nothing when not root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError as err:
        raise RuntimeError(f"running as root and there is no '{SERVICE_USER}' user to run initdb as "
                           "(install Debian's postgresql: make system-deps)") from err
    return ["runuser", "-u", SERVICE_USER, "--"]


def _run(cmd: list[str], log: Path) -> None:
    with log.open("ab") as out:
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"'{' '.join(cmd)}' failed (exit {done.returncode}); server log {log}:\n{tail}")


@contextmanager
def temporary_cluster(bindir: Path | None = None) -> Iterator[str]:
    """Start a cluster, yield its SQLAlchemy URL (psycopg 3, unix socket), stop and delete it on exit."""
    bindir = bindir or find_bindir()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) found; run make system-deps")
    prefix = _as_service_user()
    root = Path(tempfile.mkdtemp(prefix="cr-pg-"))
    data, sock, log = root / "data", root / "sock", root / "server.log"
    sock.mkdir()
    log.touch()
    if prefix:
        for path in (root, sock, log):
            shutil.chown(path, SERVICE_USER, SERVICE_USER)
    started = False
    try:
        _run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
              "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"], log)
        # No TCP listener; fsync off because the cluster is thrown away (speed, not durability).
        opts = f"-k {sock} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        _run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60",
              "start"], log)
        started = True
        yield f"postgresql+psycopg://{SUPERUSER}@/postgres?host={sock}"
    finally:
        if started:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    import time

    with temporary_cluster() as url:
        print(f"CASEREVIEW_TEST_PG_URL={url}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass

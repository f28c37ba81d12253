"""A city on one machine: a PostgreSQL primary with a streaming standby, several `hallq serve`
hosts and HAProxy in front of them, all real processes on loopback ports.

    template = build_template(folder, CityShape(halls=100, windows=8, staffed=2))
    with city_bed(template, hosts=3, workers=1) as city:
        city.balancer          # http://127.0.0.1:PORT, what every client talks to
        city.kill_host(0)      # SIGKILL the host's supervisor and workers (one process group)
        city.fail_over()       # stop the primary, promote the standby

Entering a hundred halls takes a while, so it happens once in a template cluster whose data
directory each bed copies. The hosts get libpq's multi-host URL (primary then standby,
`target_session_attrs=read-write`): after a promotion they find the new primary themselves.
PostgreSQL refuses to run as root; as root its programs run as the `postgres` OS user.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from tests.support.hallq_command import hallq
from tests.support.live_server import free_port
from tests.support.private_postgres import postgres_bin

REPO = Path(__file__).resolve().parents[2]
SERVICES = (("SOC", "A"), ("TAX", "B"))
PG_OPTIONS = "-c fsync=off -c max_connections=400 -c wal_level=replica -c hot_standby=on"


def missing_parts() -> str | None:
    """Why the bed cannot be built here (None: it can)."""
    if postgres_bin() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed"
    if shutil.which("haproxy") is None:
        return "haproxy is not installed (scripts/system-deps.sh installs it)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser: PostgreSQL cannot be started"
    return None


def hall_id(n: int) -> str:
    return f"h{n:03d}"


def hall_toml(hall: str, windows: int) -> str:
    """Open around the clock (tests never depend on the date), every window both services."""
    lines = [
        "[hall]",
        f'id = "{hall}"',
        f'name = {{ zh = "{hall}政务服务大厅", en = "Hall {hall}" }}',
        'timezone = "Asia/Shanghai"',
        'sessions = [["00:00", "24:00"]]',
        "working_weekdays = [1, 2, 3, 4, 5, 6, 7]",
        "issue_cutoff_minutes = 0",
        "",
    ]
    for code, prefix in SERVICES:
        lines += [
            "[[services]]",
            f'code = "{code}"',
            f'name = {{ zh = "业务{prefix}", en = "Service {prefix}" }}',
            f'prefix = "{prefix}"',
            "[services.publics]",
            f'content = {{ zh = "业务{prefix}" }}',
            "time_limit_days = 0",
            "",
        ]
    weights = ", ".join(f"{code} = 1" for code, _ in SERVICES)
    for number in range(1, windows + 1):
        lines += [
            "[[windows]]",
            f"number = {number}",
            f'name = {{ zh = "{number}号窗口" }}',
            f"services = {{ {weights} }}",
            "",
        ]
    return "\n".join(lines)


# ----- PostgreSQL clusters ---------------------------------------------------------------------


class Cluster:
    """One PostgreSQL cluster in `data`, on its own loopback port."""

    def __init__(self, data: Path, port: int | None = None) -> None:
        bin_dir = postgres_bin()
        assert bin_dir is not None
        self.bin = bin_dir
        self.data = data
        self.port = port or free_port()
        self.log = data.parent / f"{data.name}.log"
        self.as_postgres = os.geteuid() == 0

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, program: str, *args: str, timeout: float = 120) -> str:
        command = [str(self.bin / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr[-2000:]}")
        return done.stdout

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1 {PG_OPTIONS}"
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-w", "-l", str(self.log),
                 "start")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        with suppress(RuntimeError):
            self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def promote(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-w", "promote")

    def standby(self, data: Path) -> Cluster:
        """A streaming standby of this cluster (pg_basebackup -R writes its primary_conninfo)."""
        standby = Cluster(data)
        primary = self
        standby.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                 "-D", str(data), "-R", "-X", "stream", "--no-sync")  # fmt: skip
        return standby

    def sql(self, query: str) -> str:
        return self.run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                        "-d", "postgres", "-Atc", query).strip()  # fmt: skip


def own_by_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", str(path)], check=True)


def wait_replicated(primary: Cluster, standby: Cluster, timeout: float = 30) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    target = primary.sql("SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        caught_up = standby.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
        if caught_up == "t":
            return
        time.sleep(0.05)
    raise RuntimeError(f"standby did not replay up to {target} in {timeout} s")


# ----- the template: halls entered once ----------------------------------------------------------


@dataclass(frozen=True)
class CityShape:
    halls: int = 100
    windows: int = 8
    staffed: int = 2  # windows with a clerk (the first ones)


@dataclass
class HallTokens:
    kiosk: str
    clerks: dict[int, str]


@dataclass
class Template:
    folder: Path
    shape: CityShape
    configs: list[Path]
    tokens: dict[str, HallTokens] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def halls(self) -> list[str]:
        return list(self.tokens)


KEYS = ("chain", "id")


def build_template(folder: Path, shape: CityShape) -> Template:
    """A stopped cluster holding every hall migrated, applied and staffed (tokens kept)."""
    from queue_server.api.app import build_services
    from queue_server.config.loader import parse_hall_config
    from queue_server.services.bookings.keys import load_or_create_key
    from queue_server.simulation.provision import provision
    from tests.support.auth import FAST_HASHER

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "halls").mkdir(exist_ok=True)
    keys = {name: load_or_create_key(folder / f"{name}.key") for name in KEYS}
    configs = []
    parsed = []
    for n in range(1, shape.halls + 1):
        path = folder / "halls" / f"{hall_id(n)}.toml"
        text = hall_toml(hall_id(n), shape.windows)
        path.write_text(text, encoding="utf-8")
        configs.append(path)
        parsed.append(parse_hall_config(text, str(path)))
    template = Template(folder, shape, configs)
    own_by_postgres(folder)
    cluster = Cluster(template.data)
    cluster.init()
    cluster.start()
    try:
        services = build_services(
            cluster.url, parsed, migrate=True, password_hasher=FAST_HASHER,
            id_key=keys["id"], chain_key=keys["chain"],
        )  # fmt: skip
        try:
            unstaffed = range(shape.staffed + 1, shape.windows + 1)
            for config in parsed:
                credentials = provision(services.db, services.clock, config, leave=unstaffed)
                assert credentials.kiosk is not None
                template.tokens[config.hall.id] = HallTokens(
                    credentials.kiosk, dict(credentials.clerks)
                )
        finally:
            services.db.engine.dispose()
    finally:
        cluster.stop()
    (folder / "tokens.json").write_text(
        json.dumps({hall: asdict(t) for hall, t in template.tokens.items()})
    )
    return template


# ----- app hosts and the balancer ----------------------------------------------------------------


class AppHost:
    """`hallq serve --workers K --no-migrate` in its own process group."""

    def __init__(self, name: str, folder: Path, env: dict[str, str], workers: int) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.workers = workers
        self.log_path = folder / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "hallq", "serve", "--no-migrate",
                   "--workers", str(self.workers), "--port", str(self.port),
                   "--log-level", "warning"]  # fmt: skip
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 180) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            with suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready in {timeout} s:\n{self.log_tail()}")

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole group: the supervisor and every worker die at once."""
        if self.process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close()

    def _close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


UNAVAILABLE = (
    "HTTP/1.1 503 Service Unavailable\r\n"
    "Content-Type: application/json\r\n"
    "Retry-After: 1\r\n"
    "Cache-Control: no-store\r\n"
    "Connection: close\r\n"
    "\r\n"
    '{"error": {"code": "unavailable", "message": "no server host is ready; retry"}}\n'
)


def haproxy_config(port: int, hosts: list[AppHost], errorfile: Path, maxconn: int = 4000) -> str:
    """Round robin over every host, /readyz as the health check, nothing sticky."""
    servers = "\n".join(
        f"    server {h.name} 127.0.0.1:{h.port} check inter 1s fall 2 rise 1" for h in hosts
    )
    return f"""\
global
    maxconn {maxconn}

defaults
    mode http
    option http-server-close
    option redispatch
    retries 3
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # A dead host refuses the check's connection at once; a busy one may answer /readyz
    # slowly, and must not be taken out of the rotation for it (the default is `inter`).
    timeout check 5s
    # A board's websocket stays open for hours; the server's heartbeat keeps it busy.
    timeout tunnel 1h
    errorfile 503 {errorfile}

frontend city
    bind 127.0.0.1:{port}
    default_backend hosts

backend hosts
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    http-response set-header X-Served-By %[srv_name]
{servers}
"""


class Balancer:
    def __init__(self, folder: Path, hosts: list[AppHost], name: str = "haproxy") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        errorfile = folder / f"{name}-503.http"
        errorfile.write_text(UNAVAILABLE)
        self.config = folder / f"{name}.cfg"
        self.config.write_text(haproxy_config(self.port, hosts, errorfile))
        self.log_path = folder / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        subprocess.run(["haproxy", "-c", "-q", "-f", str(self.config)], check=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                ["haproxy", "-db", "-f", str(self.config)], stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"balancer not ready in {timeout} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ----- the bed -----------------------------------------------------------------------------------


@dataclass
class City:
    folder: Path
    template: Template
    primary: Cluster
    standby: Cluster
    hosts: list[AppHost]
    balancer: str
    database_url: str  # the multi-host URL every host uses
    env: dict[str, str]
    failed_over: bool = False
    primary_stopped_at: float | None = None  # time.monotonic() when the primary was down

    @property
    def writable(self) -> Cluster:
        return self.standby if self.failed_over else self.primary

    @property
    def writable_url(self) -> str:
        return self.writable.url

    def kill_host(self, index: int) -> None:
        self.hosts[index].kill()

    def fail_over(self) -> None:
        """A controlled failover: the primary stops cleanly (its last WAL reaches the
        standby), then the standby is promoted."""
        wait_replicated(self.primary, self.standby)
        self.primary.stop("fast")
        self.primary_stopped_at = time.monotonic()
        self.standby.promote()
        self.failed_over = True

    def audit_verify(self) -> subprocess.CompletedProcess[str]:
        """`hallq audit verify` for every hall, against the current primary."""
        return hallq(
            "audit", "verify", "--database", self.writable_url, cwd=REPO, env=self.env, timeout=300
        )


def host_env(folder: Path, template: Template, database_url: str,
             extra: dict[str, str] | None = None) -> dict[str, str]:  # fmt: skip
    return {
        **os.environ,
        "HALLQ_DATABASE_URL": database_url,
        "HALLQ_CONFIG": ":".join(str(p) for p in template.configs),
        "HALLQ_AUTO_MIGRATE": "false",
        "HALLQ_LIVE_VOICE_AUTOBUILD": "false",
        # Every host must hash and chain with the same keys (docs/scale.md).
        "HALLQ_CHAIN_KEY_FILE": str(template.folder / "chain.key"),
        "HALLQ_ID_KEY_FILE": str(template.folder / "id.key"),
        "HALLQ_CHECKPOINT_KEY_FILE": str(folder / "checkpoint.key"),
        **(extra or {}),
    }


@contextmanager
def city_bed(
    template: Template,
    *,
    hosts: int = 3,
    workers: int = 1,
    extra_env: dict[str, str] | None = None,
    folder: Path | None = None,
) -> Iterator[City]:
    """Primary (a copy of the template), standby, `hosts` app hosts and HAProxy; all torn
    down on exit."""
    root = folder or Path(tempfile.mkdtemp(prefix="hallq-city-"))
    root.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, root, True)
        own_by_postgres(root)
        subprocess.run(["cp", "-a", str(template.data), str(root / "primary")], check=True)
        own_by_postgres(root / "primary")
        with suppress(FileNotFoundError):
            (root / "primary" / "postmaster.pid").unlink()
        primary = Cluster(root / "primary")
        primary.start()
        stack.callback(primary.stop, "immediate")
        standby = primary.standby(root / "standby")
        standby.start()
        stack.callback(standby.stop, "immediate")
        url = (
            f"postgresql://postgres@127.0.0.1:{primary.port},127.0.0.1:{standby.port}"
            "/postgres?target_session_attrs=read-write"
        )
        env = host_env(root, template, url, extra_env)
        app_hosts = [AppHost(f"host{n + 1}", root, env, workers) for n in range(hosts)]
        for host in app_hosts:
            # A bed is thrown away: no graceful shutdown to wait for.
            stack.callback(host.kill)
            host.start()
        for host in app_hosts:
            host.wait_ready()
        balancer = Balancer(root, app_hosts)
        balancer.start()
        stack.callback(balancer.stop)
        balancer.wait_ready()
        yield City(root, template, primary, standby, app_hosts, balancer.url, url, env)


def load_template(folder: Path, shape: CityShape) -> Template:
    """The template in `folder` if it was built for this shape, else a new one there."""
    tokens_file = folder / "tokens.json"
    shape_file = folder / "shape.json"
    if (
        tokens_file.exists()
        and shape_file.exists()
        and json.loads(shape_file.read_text()) == asdict(shape)
    ):
        raw: dict[str, Any] = json.loads(tokens_file.read_text())
        configs = [folder / "halls" / f"{hall_id(n)}.toml" for n in range(1, shape.halls + 1)]
        tokens = {
            hall: HallTokens(t["kiosk"], {int(w): c for w, c in t["clerks"].items()})
            for hall, t in raw.items()
        }
        return Template(folder, shape, configs, tokens)
    shutil.rmtree(folder, ignore_errors=True)
    template = build_template(folder, shape)
    shape_file.write_text(json.dumps(asdict(shape)))
    return template

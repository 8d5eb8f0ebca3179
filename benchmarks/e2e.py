"""End to end: gunicorn (sync workers) on 127.0.0.1 driven by wrk, variants loaded at the same time.

For one framework, one server per variant (bare, ours, the peer), each with one
sync worker on an ephemeral port (the socket is bound here and handed to
gunicorn as ``fd://N``). For each request kind, one ``wrk`` per server runs for
the same bounded duration, all at once, so every variant sees the same machine
load; the throughput ratio ours/bare is taken per run, the median over runs kept.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import KINDS, POLICY_BY_KEY, RequestKind

ROOT = Path(__file__).resolve().parent.parent
_RPS = re.compile(r"Requests/sec:\s+([0-9.]+)")
_NON2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_ERRORS = re.compile(r"Socket errors:.*")
_REQUESTS = re.compile(r"(\d+) requests in")


def _cpu_split() -> tuple[set[int], set[int]]:
    """Servers share one CPU (the kernel's fair scheduler splits it evenly between
    them, so each sees the same load); the wrk clients get the others."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return set(cpus), set(cpus)
    return {cpus[0]}, set(cpus[1:])


SERVER_CPUS, CLIENT_CPUS = _cpu_split()


def _pin(cpus: set[int]) -> Callable[[], None]:
    def pin() -> None:
        os.sched_setaffinity(0, cpus)

    return pin


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def worker_cpu_ns(self) -> int:
        """CPU time (ns, /proc/PID/schedstat) of the arbiter's children: the sync worker."""
        total = 0
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            for child in children:
                total += int(Path(f"/proc/{child}/schedstat").read_text().split()[0])
        except (OSError, ValueError):
            return 0
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def start(name: str, app_spec: str, logdir: Path) -> Server:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    sock.set_inheritable(True)
    port = sock.getsockname()[1]
    log = logdir / f"{name}.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with open(log, "wb") as fh:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "1",
                "--worker-class",
                "sync",
                "--bind",
                f"fd://{sock.fileno()}",
                "--log-level",
                "warning",
                "--backlog",
                "2048",
                app_spec,
            ],
            pass_fds=(sock.fileno(),),
            cwd=ROOT,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            preexec_fn=_pin(SERVER_CPUS),
        )
    sock.close()
    return Server(name, port, process, log)


def wait_ready(server: Server, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited: {server.log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", "/")
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{server.name} not ready: {server.log.read_text()[-2000:]}")
        time.sleep(0.2)


def probe(server: Server, kind: RequestKind, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]]]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request(kind.method, "/", headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, [
        (k, v) for k, v in response.getheaders() if k.lower().startswith(("access-control", "vary"))
    ]


def lua_script(kind: RequestKind, headers: dict[str, str], directory: Path) -> Path:
    lines = [f'wrk.method = "{kind.method}"']
    lines += [f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items()]
    path = directory / f"{kind.key}.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_wrk_together(
    servers: list[Server], script: Path, seconds: float, connections: int
) -> dict[str, dict[str, Any]]:
    cpu_before = {server.name: server.worker_cpu_ns() for server in servers}
    procs = {
        server.name: subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "5s",
                "-s",
                str(script),
                f"http://127.0.0.1:{server.port}/",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            preexec_fn=_pin(CLIENT_CPUS),
        )
        for server in servers
    }
    out: dict[str, dict[str, Any]] = {}
    texts = {name: proc.communicate(timeout=seconds + 30)[0].decode() for name, proc in procs.items()}
    for server in servers:
        name, text = server.name, texts[server.name]
        match = _RPS.search(text)
        non2xx = _NON2XX.search(text)
        errors = _ERRORS.search(text)
        requests = _REQUESTS.search(text)
        count = int(requests.group(1)) if requests else 0
        cpu = server.worker_cpu_ns() - cpu_before[name]
        out[name] = {
            "rps": float(match.group(1)) if match else 0.0,
            "requests": count,
            "worker_cpu_us_per_request": cpu / count / 1000 if count and cpu > 0 else 0.0,
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(0) if errors else "",
        }
    return out


def run(
    framework: str,
    variants: list[str],
    repeats: int,
    seconds: float,
    policy_key: str = "exact3",
    connections: int = 4,
) -> dict[str, Any]:
    """Throughput of every variant for every request kind; ratios to bare per run."""
    policy = POLICY_BY_KEY[policy_key]
    result: dict[str, Any] = {
        "framework": framework,
        "policy": policy_key,
        "seconds": seconds,
        "repeats": repeats,
        "connections": connections,
        "kinds": [],
    }
    with tempfile.TemporaryDirectory(prefix="cors-e2e-") as tmp:
        directory = Path(tmp)
        servers: list[Server] = []
        try:
            for variant in variants:
                spec = f"benchmarks.e2e_apps:app({framework!r}, {variant!r}, {policy_key!r})"
                servers.append(start(variant, spec, directory))
            for server in servers:
                wait_ready(server)
            for kind in KINDS:
                headers = kind.headers(policy)
                script = lua_script(kind, headers, directory)
                probes = {s.name: probe(s, kind, headers) for s in servers}
                runs = []
                for index in range(repeats):
                    order = servers if index % 2 == 0 else servers[::-1]
                    runs.append(run_wrk_together(order, script, seconds, connections))
                ratios = {
                    name: statistics.median(
                        [r[name]["rps"] / r["bare"]["rps"] for r in runs if r["bare"]["rps"]] or [0.0]
                    )
                    for name in variants
                    if name != "bare"
                }
                cpu_ratios = {
                    name: statistics.median(
                        [
                            r["bare"]["worker_cpu_us_per_request"] / r[name]["worker_cpu_us_per_request"]
                            for r in runs
                            if r[name]["worker_cpu_us_per_request"]
                        ]
                        or [0.0]
                    )
                    for name in variants
                    if name != "bare"
                }
                result["kinds"].append(
                    {
                        "kind": kind.key,
                        "runs": runs,
                        "ratio_to_bare": ratios,
                        "cpu_ratio_to_bare": cpu_ratios,
                        "probes": probes,
                    }
                )
                row = ", ".join(f"{n} {statistics.median(r[n]['rps'] for r in runs):.0f}/s" for n in variants)
                print(
                    f"e2e {framework} {kind.key:18} {row}; ratios {ratios}; per CPU {cpu_ratios}",
                    file=sys.stderr,
                    flush=True,
                )
        finally:
            for server in servers:
                server.stop()
    return result

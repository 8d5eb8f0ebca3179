"""Real servers for the doctor's recorded and live tests: nginx, Apache, Node (Express, Fastify), Starlette.

Each runs as this process's child (or thread), on 127.0.0.1 and an ephemeral port, from a
config written into a temporary directory; never a system service. ``available(kind)``
says whether this machine can start one (nginx and apache2 from Debian, node with the
npm packages in ``NODE_MODULES``, Starlette and uvicorn from the venv).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from tests.processes import stop

__all__ = ["NODE_MODULES", "available", "fill", "serve"]

#: Where ``npm install --prefix .node-servers express@4 cors fastify @fastify/cors`` (run in the
#: repository, a git-ignored folder) put the Node packages; CORS_DOCTOR_NODE_MODULES names another.
NODE_MODULES = Path(
    os.environ.get("CORS_DOCTOR_NODE_MODULES", Path(__file__).resolve().parents[2] / ".node-servers" / "node_modules")
)
ITEMS = b'{"items":[]}\n'
_APACHE_MODULES = "/usr/lib/apache2/modules"


def available(kind: str) -> str | None:
    """None if a ``kind`` server can be started here, else why not."""
    if kind == "nginx":
        return None if shutil.which("nginx") or Path("/usr/sbin/nginx").exists() else "nginx is not installed"
    if kind == "apache":
        found = shutil.which("apache2") or Path("/usr/sbin/apache2").exists()
        return None if found else "apache2 is not installed"
    if kind in ("express", "fastify"):
        package = NODE_MODULES / ("express" if kind == "express" else "@fastify/cors")
        return None if shutil.which("node") and package.exists() else f"node or {package} is missing"
    if kind == "starlette":
        try:
            import starlette  # noqa: F401
            import uvicorn  # noqa: F401
        except ImportError as exc:
            return str(exc)
        return None
    return f"unknown server kind {kind!r}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int, process: subprocess.Popen[bytes] | None, log: Path | None) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            text = log.read_text(errors="replace") if log is not None and log.exists() else ""
            raise RuntimeError(f"the server exited with {process.returncode}: {text[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after 15 s")


def fill(config: str, tmp: Path, ports: dict[str, int]) -> str:
    """``{root}``, ``{port}``, ``{port2}``, ``{closed}`` in a config (other braces are the config's own)."""
    for key, value in {"root": str(tmp / "root"), **{k: str(v) for k, v in ports.items()}}.items():
        config = config.replace("{" + key + "}", value)
    return config


def _docroot(root: Path) -> None:
    (root / "api").mkdir(parents=True)
    (root / "api" / "items").write_bytes(ITEMS)


@contextmanager
def _process(argv: list[str], port: int, log: Path, env: dict[str, str] | None = None) -> Iterator[None]:
    with log.open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        _wait(port, process, log)
        yield
    finally:
        stop(process)


def _nginx(config: str, tmp: Path, ports: dict[str, int]) -> AbstractContextManager[None]:
    _docroot(tmp / "root")
    body = fill(config, tmp, ports)
    (tmp / "nginx.conf").write_text(
        f"worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp}/body;\n  proxy_temp_path {tmp}/proxy;\n"
        f"  fastcgi_temp_path {tmp}/fcgi;\n  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n"
        f"  default_type application/octet-stream;\n{textwrap.indent(body, '  ')}\n}}\n"
    )
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    argv = [binary, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"]
    return _process(argv, ports["port"], tmp / "stdout.log")


def _apache(config: str, tmp: Path, ports: dict[str, int]) -> AbstractContextManager[None]:
    _docroot(tmp / "root")
    modules = ["mpm_event", "authz_core", "headers", "rewrite", "setenvif", "mime", "dir", "alias"]
    loads = "".join(f"LoadModule {m}_module {_APACHE_MODULES}/mod_{m}.so\n" for m in modules)
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    (tmp / "httpd.conf").write_text(
        f"{loads}ServerName 127.0.0.1\nListen 127.0.0.1:{ports['port']}\nPidFile {tmp}/httpd.pid\n"
        f"ErrorLog {tmp}/error.log\n{user}Mutex file:{tmp}\nDefaultRuntimeDir {tmp}\n"
        f"DocumentRoot {tmp}/root\nTypesConfig /etc/mime.types\n" + fill(config, tmp, ports)
    )
    binary = shutil.which("apache2") or "/usr/sbin/apache2"
    argv = [binary, "-f", str(tmp / "httpd.conf"), "-DFOREGROUND"]
    env = {**os.environ, "APACHE_RUN_DIR": str(tmp), "APACHE_LOCK_DIR": str(tmp), "APACHE_LOG_DIR": str(tmp)}
    return _process(argv, ports["port"], tmp / "stdout.log", env)


def _node(source: str, tmp: Path, ports: dict[str, int]) -> AbstractContextManager[None]:
    script = tmp / "server.js"
    script.write_text(fill(source, tmp, ports))
    env = {**os.environ, "NODE_PATH": str(NODE_MODULES), "NODE_ENV": "development"}
    return _process(["node", str(script)], ports["port"], tmp / "stdout.log", env)


@contextmanager
def _starlette(source: str, ports: dict[str, int]) -> Iterator[None]:
    import uvicorn

    namespace: dict[str, Any] = {}
    exec(compile(source, "<starlette config>", "exec"), namespace)  # the case's own app, from the repository
    sock = socket.socket()
    sock.bind(("127.0.0.1", ports["port"]))
    sock.listen(64)
    config = uvicorn.Config(namespace["app"], log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        yield
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextmanager
def serve(kind: str, config: str) -> Iterator[str]:
    """Start a ``kind`` server from ``config``; yields its base URL ``http://127.0.0.1:PORT``."""
    why = available(kind)
    if why is not None:
        raise RuntimeError(why)
    ports = {"port": _free_port(), "port2": _free_port(), "closed": _free_port()}
    with tempfile.TemporaryDirectory(prefix=f"cors-doctor-{kind}-") as name:
        tmp = Path(name)
        tmp.chmod(0o755)  # the workers (nobody) read the docroot
        context: AbstractContextManager[None]
        if kind == "nginx":
            context = _nginx(config, tmp, ports)
        elif kind == "apache":
            context = _apache(config, tmp, ports)
        elif kind in ("express", "fastify"):
            context = _node(config, tmp, ports)
        else:
            context = _starlette(config, ports)
        with context:
            yield f"http://127.0.0.1:{ports['port']}"


if __name__ == "__main__":  # a quick manual check: python -m tests.doctor.real_servers nginx
    print(available(sys.argv[1]) or "available")

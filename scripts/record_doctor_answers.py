"""Record real servers' answers to the doctor: tests/data/doctor/<case>.json.

    python scripts/record_doctor_answers.py [CASE ...]
    python scripts/record_doctor_answers.py --expectations [CASE ...]   # no server: copy the
        expectations of tests/doctor/recorded_cases.py into the recordings (same requests only)

Needs nginx and apache2 (Debian: ``apt-get install -y nginx apache2``), node with
``npm install --prefix .node-servers express@4 cors fastify @fastify/cors`` in the repository (or
CORS_DOCTOR_NODE_MODULES), Starlette and uvicorn (the venv). Each server runs as this
script's child on 127.0.0.1 and an ephemeral port, from the case's config written into a
temporary directory (tests/doctor/real_servers.py); the cases, their configs and the
explanation each answer must get are in tests/doctor/recorded_cases.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.doctor.real_servers import NODE_MODULES, available, serve
from tests.doctor.recorded import REQUEST_FIELDS, Recorder, load, run, save
from tests.doctor.recorded_cases import CASES
from wsgicors.doctor.transport import NetworkTransport


def software(kind: str) -> str:
    """The server's name and version, as recorded beside its answers."""
    if kind == "starlette":
        import starlette
        import uvicorn

        return f"starlette {starlette.__version__}, uvicorn {uvicorn.__version__}"
    if kind in ("express", "fastify"):
        names = ["express", "cors"] if kind == "express" else ["fastify", "@fastify/cors"]
        versions = []
        for name in names:
            text = (NODE_MODULES / name / "package.json").read_text()
            version = text.split('"version"', 1)[1].split('"')[1]
            versions.append(f"{name} {version}")
        return ", ".join(versions)
    argv = ["nginx", "-v"] if kind == "nginx" else ["apache2", "-v"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return (done.stdout + done.stderr).strip().splitlines()[0]


def expectations(names: list[str]) -> int:
    """Rewrite the expectations of existing recordings; refuses where the requests changed."""
    stale = 0
    for case in CASES:
        if names and case.name not in names:
            continue
        document = load(case.name)
        asks = document["asks"]
        same = len(asks) == len(case.asks) and all(
            {k: old[k] for k in REQUEST_FIELDS} == {k: new.to_json()[k] for k in REQUEST_FIELDS}
            for old, new in zip(asks, case.asks, strict=True)
        )
        if not same:
            print(f"{case.name}: the requests changed, record it again")
            stale += 1
            continue
        merged = [{**new.to_json(), "exchanges": old["exchanges"]} for old, new in zip(asks, case.asks, strict=True)]
        save(case, document["base"], document["software"], merged)
    return 1 if stale else 0


def main(names: list[str]) -> int:
    if names[:1] == ["--expectations"]:
        return expectations(names[1:])
    missing = 0
    for case in CASES:
        if names and case.name not in names:
            continue
        why = available(case.server)
        if why is not None:
            print(f"skip {case.name}: {why}")
            missing += 1
            continue
        with serve(case.server, case.config) as base:
            asks = []
            for ask in case.asks:
                recorder = Recorder(NetworkTransport(timeout=10))
                outcome, _, _ = run(ask, base, recorder)
                asks.append({**ask.to_json(), "exchanges": recorder.exchanges})
                error = outcome.blocked.id if outcome.blocked else "-"
                print(f"{case.name}: {ask.method} {ask.path} from {ask.origin}: {outcome.verdict} {error}")
        print(f"  -> {save(case, base, software(case.server), asks)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

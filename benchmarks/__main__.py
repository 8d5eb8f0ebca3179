"""``python -m benchmarks [--quick] [--no-e2e] [--only wsgi,flask,django,asgi]``: run everything,
write benchmarks/RESULTS.md, benchmarks/results.json and benchmarks/overhead.png.

Each framework is timed in its own process (``python -m benchmarks.inproc``);
memory in another; the end-to-end part starts gunicorn servers and wrk. The
flood runs with ``wsgi``, the WSGI doors' memory with the doors selected; the
``asgi`` part measures its own memory. With ``--only`` a subset, the parts not
rerun are kept from the existing results.json (RESULTS.md says which part ran when).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import e2e, report
from .peers import ensure_wsgicors07

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FRAMEWORKS = ("wsgi", "flask", "django", "asgi")
WSGI_DOORS = ("wsgi", "flask", "django")
E2E_VARIANTS = {
    "wsgi": ["bare", "ours", "wsgicors07", "empty_body"],
    "flask": ["bare", "ours", "flask_cors"],
    "django": ["bare", "ours", "django_cors_headers"],
}


def _subprocess(args: list[str], out: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.run([sys.executable, "-m", "benchmarks.inproc", *args, str(out)], cwd=ROOT, env=env, check=True)
    with open(out) as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and shorter wrk runs (about 3 minutes)")
    parser.add_argument("--no-e2e", action="store_true", help="skip the gunicorn + wrk part")
    parser.add_argument(
        "--only", default=",".join(FRAMEWORKS), help="comma-separated subset of " + ",".join(FRAMEWORKS)
    )
    parser.add_argument(
        "--policy",
        action="append",
        help="only this policy (repeatable): exact3, exact100, exact10000, wildcard, regex",
    )
    parser.add_argument("--out", type=Path, default=HERE, help="directory for RESULTS.md, results.json, overhead.png")
    args = parser.parse_args(argv)
    frameworks = [f for f in args.only.split(",") if f]
    for name in frameworks:
        if name not in FRAMEWORKS:
            parser.error(f"unknown framework {name!r}")

    wsgi_doors = [name for name in frameworks if name in WSGI_DOORS]
    if wsgi_doors:
        ensure_wsgicors07()
    started = time.time()
    data: dict[str, Any] = {
        "command": "python -m benchmarks"
        + (" --quick" if args.quick else "")
        + (" --no-e2e" if args.no_e2e else "")
        + (f" --only {','.join(frameworks)}" if set(frameworks) != set(FRAMEWORKS) else "")
        + "".join(f" --policy {key}" for key in args.policy or ()),
        "environment": report.environment(),
        "inproc": {},
    }
    load_before = os.getloadavg()
    rounds = 5 if args.quick else 11
    blocks = {
        "wsgi": 4.0 if args.quick else 10.0,
        "flask": 8.0 if args.quick else 20.0,
        "django": 8.0 if args.quick else 20.0,
        "asgi": 4.0 if args.quick else 10.0,
    }
    with tempfile.TemporaryDirectory(prefix="cors-bench-") as tmp:
        for framework in frameworks:
            print(f"== in-process: {framework}", file=sys.stderr, flush=True)
            data["inproc"][framework] = _subprocess(
                [framework, "--rounds", str(rounds), "--block-ms", str(blocks[framework])]
                + [arg for key in (args.policy or []) for arg in ("--policy", key)],
                Path(tmp) / f"{framework}.json",
            )
        if "wsgi" in frameworks:
            print("== flood of new origins", file=sys.stderr, flush=True)
            data["flood"] = _subprocess(["flood", "--rounds", str(rounds)], Path(tmp) / "flood.json")
        if wsgi_doors:
            print("== memory", file=sys.stderr, flush=True)
            data["memory"] = _subprocess(
                ["memory", "--rounds", str(rounds), "--frameworks", ",".join(wsgi_doors)], Path(tmp) / "memory.json"
            )
    data["e2e"] = []
    if args.no_e2e:
        data["e2e_skipped"] = "--no-e2e given"
    elif not e2e.wrk_available():
        data["e2e_skipped"] = "wrk not found (apt-get install wrk)"
        print("SKIPPED e2e: wrk not found (apt-get install wrk)", file=sys.stderr)
    else:
        for framework in wsgi_doors:
            if data["inproc"][framework].get("skipped"):
                continue
            print(f"== end to end: {framework}", file=sys.stderr, flush=True)
            data["e2e"].append(
                e2e.run(
                    framework,
                    E2E_VARIANTS[framework],
                    repeats=2 if args.quick else 5,
                    seconds=1.0 if args.quick else 2.0,
                )
            )
    data["load_average"] = {"before": load_before, "after": os.getloadavg()}
    data["duration_s"] = round(time.time() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    duration = data["duration_s"]
    previous = args.out / "results.json"
    if set(frameworks) != set(FRAMEWORKS) and previous.is_file():
        with open(previous) as fh:
            data = report.merge(json.load(fh), data, frameworks)
    with open(args.out / "results.json", "w") as fh:
        json.dump(data, fh, indent=1)
    report.write(data, args.out)
    print(
        f"wrote {args.out / 'RESULTS.md'} and {args.out / 'overhead.png'} in {duration} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()

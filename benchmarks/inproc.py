"""In-process paired timing of one framework: ``python -m benchmarks.inproc wsgi|flask|django|asgi OUT.json``."""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections.abc import Callable
from typing import Any

from .common import POLICIES, PolicySpec, WSGIApp, check_same_body, paired_rows

Builder = Callable[[PolicySpec], dict[str, WSGIApp]]


def builder(framework: str) -> Builder:
    if framework == "wsgi":
        from .wsgi_apps import variants

        return variants
    if framework == "flask":
        from .flask_apps import variants as flask_variants

        return flask_variants
    if framework == "django":
        from .django_apps import variants as django_variants

        return django_variants
    raise SystemExit(f"unknown framework {framework!r}")


def skipped_builder(framework: str) -> str | None:
    """Why the framework's part must be skipped (our door missing), or None."""
    try:
        build = builder(framework)
        build(POLICIES[0])
    except Exception as exc:
        if type(exc).__name__ == "DoorMissing":
            return str(exc)
        raise
    return None


def run(
    framework: str, rounds: int, block_ms: float, policies: list[str] | None, kinds: list[str] | None
) -> dict[str, Any]:
    out: dict[str, Any] = {"framework": framework, "python": platform.python_version(), "results": []}
    reason = skipped_builder(framework)
    if reason is not None:
        print(f"SKIPPED {framework}: {reason}", file=sys.stderr, flush=True)
        out["skipped"] = reason
        return out
    out["results"] = paired_rows(
        framework,
        builder(framework),
        lambda kind, policy: kind.environ(policy),
        check_same_body,
        rounds,
        block_ms,
        policies,
        kinds,
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("framework", choices=["wsgi", "flask", "django", "asgi", "memory", "flood"])
    parser.add_argument("out")
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--block-ms", type=float, default=10.0)
    parser.add_argument("--policy", action="append")
    parser.add_argument("--kind", action="append")
    parser.add_argument("--frameworks", default="wsgi,flask,django", help="memory: the WSGI doors to measure")
    args = parser.parse_args(argv)
    if args.framework == "asgi":
        from .asgi_driver import run as run_asgi

        with open(args.out, "w") as fh:
            json.dump(run_asgi(args.rounds, args.block_ms, args.policy, args.kind), fh)
        return
    if args.framework == "flood":
        from .flood import measure as flood

        with open(args.out, "w") as fh:
            json.dump(flood(args.rounds), fh)
        return
    if args.framework == "memory":
        from .memory import measure

        names = [name for name in args.frameworks.split(",") if name]
        data = measure({name: builder(name) for name in names}, quick=args.rounds < 7)
        with open(args.out, "w") as fh:
            json.dump(data, fh)
        return
    data = run(args.framework, args.rounds, args.block_ms, args.policy, args.kind)
    with open(args.out, "w") as fh:
        json.dump(data, fh)


if __name__ == "__main__":
    main()

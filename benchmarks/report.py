"""RESULTS.md and the PNG plot, from the results of one run."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from . import report_asgi
from .common import KIND_BY_KEY, KINDS, POLICIES, POLICY_BY_KEY, PairedResult

PEER = {"wsgi": "wsgicors07", "flask": "flask_cors", "django": "django_cors_headers", "asgi": "starlette"}
PEER_LABEL = {
    "wsgicors07": "wsgicors 0.7",
    "flask_cors": "flask-cors",
    "django_cors_headers": "django-cors-headers",
    "starlette": "Starlette's CORSMiddleware",
}
OURS_LABEL = {"wsgi": "wsgicors.CORSMiddleware", "flask": "flask_ext", "django": "django_ext", "asgi": "asgi_ext"}
EXACT = ("exact3", "exact100", "exact10000")
FLOOD_LABEL = {"flood_allowed": "allowed", "flood_denied": "denied"}
#: "flat within noise" from 3 to 10,000 exact origins: the overhead at 10,000 over that at 3.
FLAT_LIMIT = 1.15


def environment() -> dict[str, Any]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    root = Path(__file__).resolve().parent.parent

    def run(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"

    wrk = run(["wrk", "-v"]).splitlines()
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "commit": run(["git", "rev-parse", "--short", "HEAD"])
        + (
            " (with uncommitted changes)"
            if run(["git", "status", "--porcelain", "wsgicors", "flask_ext", "django_ext"])
            else ""
        ),
        "versions": {
            "corsgate": version("corsgate"),
            "wsgicors 0.7 (peer)": "0.7.0",
            "flask": version("flask"),
            "werkzeug": version("werkzeug"),
            "flask-cors": version("flask-cors"),
            "django": version("django"),
            "django-cors-headers": version("django-cors-headers"),
            "gunicorn": version("gunicorn"),
            "starlette": version("starlette"),
            "uvicorn": version("uvicorn"),
            "wrk": wrk[0] if wrk else "not found",
        },
    }


def _paired(entry: dict[str, Any]) -> PairedResult:
    return PairedResult(entry["variants"], entry["rounds"], entry["n"])


def _index(framework_data: dict[str, Any]) -> dict[tuple[str, str], PairedResult]:
    return {(e["policy"], e["kind"]): _paired(e) for e in framework_data.get("results", [])}


def _ns(value: float) -> str:
    return f"{value:,.0f}"


def _x(value: float) -> str:
    if value in (float("inf"), float("-inf")):
        return "∞"
    return f"{value:.2f}"


def _mark(ok: bool) -> str:
    return "met" if ok else "**MISSED**"


# ---------------------------------------------------------------- targets


def targets(data: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(target, where, measured, met) for every target of issue 10 (and the memory rule)."""
    rows: list[tuple[str, str, str, bool]] = []
    wsgi = _index(data["inproc"].get("wsgi", {}))
    for policy in POLICIES:
        where = policy.label
        for kind in KINDS:
            r = wsgi.get((policy.key, kind.key))
            if not r:
                continue
            limit = 1.25 if kind.key == "get_no_origin" else 1.0
            v = r.ratio("ours", "wsgicors07")
            rows.append((f"WSGI {kind.label}: overhead ≤ {limit} x wsgicors 0.7's", where, f"{_x(v)} x", v <= limit))
        for kind in ("get_no_origin", "get_allowed", "get_denied"):
            r = wsgi.get((policy.key, kind))
            if r:
                v = r.ratio("ours", "one_header")
                rows.append(
                    (
                        f"WSGI {KIND_BY_KEY[kind].label}: overhead ≤ 1.5 x one-header floor",
                        where,
                        f"{_x(v)} x",
                        v <= 1.5,
                    )
                )
    for kind in KINDS:
        values = [wsgi[(p, kind.key)].overhead("ours") for p in EXACT if (p, kind.key) in wsgi]
        if len(values) == len(EXACT):
            v = values[-1] / values[0] if values[0] > 0 else float("inf")
            rows.append(
                (
                    f"WSGI {kind.label}: flat from 3 to 10,000 exact origins (≤ {FLAT_LIMIT} x)",
                    "10,000 vs 3",
                    f"{_x(v)} x ({', '.join(_ns(x) for x in values)} ns)",
                    v <= FLAT_LIMIT,
                )
            )
    for framework in ("flask", "django"):
        part = data["inproc"].get(framework, {})
        if part.get("skipped"):
            rows.append((f"{framework} targets", "-", f"skipped: {part['skipped']}", False))
            continue
        index = _index(part)
        peer = PEER[framework]
        for policy in POLICIES:
            for kind in KINDS:
                r = index.get((policy.key, kind.key))
                if not r:
                    continue
                v = r.ratio("ours", peer)
                rows.append(
                    (
                        f"{framework.title()} {kind.label}: overhead ≤ 1/20 of {PEER_LABEL[peer]}'s",
                        policy.label,
                        f"{_x(v)} x",
                        v <= 0.05,
                    )
                )
                w = wsgi.get((policy.key, kind.key))
                if w and "floor" in r.variants:
                    ours, bound = r.overhead("ours"), w.overhead("ours") + r.overhead("floor")
                    rows.append(
                        (
                            f"{framework.title()} {kind.label}: overhead ≤ WSGI door's + {framework.title()}'s floor",
                            policy.label,
                            f"{_ns(ours)} vs {_ns(w.overhead('ours'))} + {_ns(r.overhead('floor'))} ns",
                            ours <= bound,
                        )
                    )
    for entry in data.get("flood", {}).get("results", []):
        r = _paired(entry)
        v = r.ratio("ours", "ours_uncached")
        rows.append(
            (
                "Flood of new origins: overhead ≤ 1.1 x the uncached path's",
                f"{POLICY_BY_KEY[entry['policy']].label}, {FLOOD_LABEL[entry['kind']]}",
                f"{_x(v)} x",
                v <= 1.1,
            )
        )
    for entry in data.get("flood", {}).get("memory", []):
        held = list(entry["held_after"].values())
        growth = held[-1] - held[1]
        rows.append(
            (
                "Flood of new origins: memory flat once the memo is full (growth from 10,000 to 100,000 requests)",
                f"{POLICY_BY_KEY[entry['policy']].label}, {FLOOD_LABEL[entry['kind']]}",
                f"{growth:+,} bytes (held: {', '.join(f'{x:,}' for x in held)})",
                growth <= 64 * 1024,
            )
        )
    for part in data.get("e2e", []):
        for entry in part["kinds"]:
            v = entry["ratio_to_bare"]["ours"]
            cpu = entry.get("cpu_ratio_to_bare", {}).get("ours", 0.0)
            rows.append(
                (
                    f"gunicorn+wrk {part['framework']}: throughput with ours ≥ 0.98 x without "
                    "(in brackets: per worker CPU second)",
                    KIND_BY_KEY[entry["kind"]].label,
                    f"{v:.3f} ({cpu:.3f})",
                    v >= 0.98,
                )
            )
    for row in data.get("memory", {}).get("requests", []):
        if "skipped" in row:
            continue
        extra = row["retained_ours"] - row["retained_bare"]
        rows.append(
            (
                f"{row['framework']}: bytes retained per request after close = 0 (ours - bare)",
                KIND_BY_KEY[row["kind"]].label,
                f"{extra:.3f}",
                extra <= 0,
            )
        )
    return rows + report_asgi.targets(data)


def merge(previous: dict[str, Any], data: dict[str, Any], frameworks: list[str]) -> dict[str, Any]:
    """``previous`` (a whole run's results) with the parts of ``data`` (a run of ``frameworks`` only)
    put in their place; ``parts`` notes which part was rerun, when, by which command."""
    merged = dict(previous)
    merged["inproc"] = {**previous.get("inproc", {}), **data["inproc"]}
    if "flood" in data:
        merged["flood"] = data["flood"]
    if "memory" in data:
        kept = [row for row in previous.get("memory", {}).get("requests", []) if row["framework"] not in frameworks]
        merged["memory"] = {**data["memory"], "requests": kept + data["memory"]["requests"]}
    rerun = {part["framework"] for part in data.get("e2e", [])}
    merged["e2e"] = [part for part in previous.get("e2e", []) if part["framework"] not in rerun] + data["e2e"]
    environment = data["environment"]
    part = {
        "command": data["command"],
        "date": environment["date"],
        "commit": environment["commit"],
        "duration_s": data["duration_s"],
        "load_average": data["load_average"],
        "versions": environment["versions"],
    }
    merged["parts"] = {**previous.get("parts", {}), **dict.fromkeys(frameworks, part)}
    return merged


# ---------------------------------------------------------------- tables


def wsgi_table(index: dict[tuple[str, str], PairedResult]) -> list[str]:
    lines = [
        "| policy | request | bare ns | pass-through | one-header | **ours** | wsgicors 0.7 "
        "| ours / one-header | ours / pass-through | ours / wsgicors 0.7 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for policy in POLICIES:
        for kind in KINDS:
            r = index.get((policy.key, kind.key))
            if r is None:
                continue
            lines.append(
                f"| {policy.label} | {kind.label} | {_ns(r.median('bare'))} "
                f"| {_ns(r.overhead('pass_through'))} "
                f"| {_ns(r.overhead('one_header'))} | **{_ns(r.overhead('ours'))}** "
                f"| {_ns(r.overhead('wsgicors07'))} | {_x(r.ratio('ours', 'one_header'))} "
                f"| {_x(r.ratio('ours', 'pass_through'))} | {_x(r.ratio('ours', 'wsgicors07'))} |"
            )
    return lines


def framework_table(framework: str, index: dict[tuple[str, str], PairedResult]) -> list[str]:
    peer = PEER[framework]
    lines = [
        f"| policy | request | bare ns | {framework.title()}'s floor | **{OURS_LABEL[framework]}** "
        f"| {PEER_LABEL[peer]} | ours / {PEER_LABEL[peer]} | ours / bare cost |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for policy in POLICIES:
        for kind in KINDS:
            r = index.get((policy.key, kind.key))
            if r is None:
                continue
            lines.append(
                f"| {policy.label} | {kind.label} | {_ns(r.median('bare'))} "
                f"| {_ns(r.overhead('floor')) if 'floor' in r.variants else '-'} | **{_ns(r.overhead('ours'))}** "
                f"| {_ns(r.overhead(peer))} | {_x(r.ratio('ours', peer))} "
                f"| {r.overhead('ours') / r.median('bare') * 100:.1f} % |"
            )
    return lines


def e2e_table(part: dict[str, Any]) -> list[str]:
    variants = list(part["kinds"][0]["runs"][0]) if part["kinds"] else []
    names = [v for v in variants if v != "bare"]
    head = (
        "| request | "
        + " | ".join(f"{v} req/s" for v in ["bare", *names])
        + " | "
        + " | ".join(f"{v} / bare: throughput (per worker CPU)" for v in names)
        + " |"
    )
    lines = [head, "|---|" + "---:|" * (1 + 2 * len(names))]
    for entry in part["kinds"]:
        rps = {v: statistics.median(run[v]["rps"] for run in entry["runs"]) for v in ["bare", *names]}
        cpu = entry.get("cpu_ratio_to_bare", {})
        lines.append(
            f"| {KIND_BY_KEY[entry['kind']].label} | "
            + " | ".join(_ns(rps[v]) for v in ["bare", *names])
            + " | "
            + " | ".join(f"{entry['ratio_to_bare'][v]:.3f} ({cpu.get(v, 0.0):.3f})" for v in names)
            + " |"
        )
    return lines


def memory_tables(memory: dict[str, Any]) -> list[str]:
    lines = [
        "| door | request | peak bytes, bare | peak bytes, with ours | retained bytes/request, ours | retained, bare |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in memory["requests"]:
        if "skipped" in row:
            lines.append(f"| {row['framework']} | skipped: {row['skipped']} | | | | |")
            continue
        lines.append(
            f"| {row['framework']} | {KIND_BY_KEY[row['kind']].label} | {_ns(row['peak_bare'])} "
            f"| {_ns(row['peak_ours'])} | {row['retained_ours']:.3f} | {row['retained_bare']:.3f} |"
        )
    lines += [
        "",
        "| exact origins | ours: bytes | ours: bytes/origin | wsgicors 0.7: bytes |",
        "|---:|---:|---:|---:|",
    ]
    for size in memory["policy_size"].values():
        lines.append(
            f"| {size['origins']:,} | {_ns(size['ours'])} | {size['ours'] / size['origins']:,.0f} "
            f"| {_ns(size['wsgicors07'])} |"
        )
    return lines


def flood_tables(flood: dict[str, Any]) -> list[str]:
    lines = [
        "| policy | request | ours | ours, memo off (the uncached path) | wsgicors 0.7 | ours / uncached |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for entry in flood["results"]:
        r = _paired(entry)
        lines.append(
            f"| {POLICY_BY_KEY[entry['policy']].label} | {FLOOD_LABEL[entry['kind']]} | {_ns(r.overhead('ours'))} "
            f"| {_ns(r.overhead('ours_uncached'))} | {_ns(r.overhead('wsgicors07'))} "
            f"| {_x(r.ratio('ours', 'ours_uncached'))} |"
        )
    lines += [
        "",
        "| policy | request | bytes held after "
        + " / ".join(f"{int(k):,}" for k in flood["memory"][0]["held_after"])
        + " requests |",
        "|---|---|---:|",
    ]
    for entry in flood["memory"]:
        lines.append(
            f"| {POLICY_BY_KEY[entry['policy']].label} | {FLOOD_LABEL[entry['kind']]} | "
            + " / ".join(f"{x:,}" for x in entry["held_after"].values())
            + " |"
        )
    return lines


# ---------------------------------------------------------------- plot


def plot(data: dict[str, Any], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    frameworks = [f for f in ("wsgi", "flask", "django", "asgi") if data["inproc"].get(f, {}).get("results")]
    if not frameworks:
        return False
    fig, axes = plt.subplots(len(frameworks), 2, figsize=(15, 4.2 * len(frameworks)), squeeze=False)
    for row, framework in enumerate(frameworks):
        index = _index(data["inproc"][framework])
        variants = ["ours", PEER[framework]]
        if framework in ("wsgi", "asgi"):
            variants = ["pass_through", "one_header", *variants]
        if framework == "asgi" and any("compat" in r.variants for r in index.values()):
            variants.insert(3, "compat")
        labels = {
            "pass_through": "floor: pass-through",
            "one_header": "floor: one header",
            "ours": OURS_LABEL[framework],
            "compat": "asgi_ext.compat",
            **PEER_LABEL,
        }
        colors = {
            "pass_through": "#bbbbbb",
            "one_header": "#888888",
            "ours": "#1f77b4",
            "compat": "#2ca02c",
            PEER[framework]: "#ff7f0e",
        }
        width = 0.8 / len(variants)
        # left: by request kind, 3 exact origins
        ax = axes[row][0]
        for i, v in enumerate(variants):
            ys = [index[("exact3", k.key)].overhead(v) if ("exact3", k.key) in index else 0 for k in KINDS]
            ax.bar([x + i * width for x in range(len(KINDS))], ys, width, label=labels[v], color=colors.get(v))
        ax.set_xticks([x + width * (len(variants) - 1) / 2 for x in range(len(KINDS))])
        ax.set_xticklabels([k.label for k in KINDS], fontsize=8)
        ax.set_ylabel("overhead over bare app, ns/request")
        ax.set_title(f"{framework}: by request kind (3 exact origins)")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.legend(fontsize=7)
        # right: by policy, allowed GET and allowed preflight
        ax = axes[row][1]
        groups = [(p, k) for p in POLICIES for k in ("get_allowed", "preflight_allowed")]
        for i, v in enumerate(variants):
            ys = [index[(p.key, k)].overhead(v) if (p.key, k) in index else 0 for p, k in groups]
            ax.bar([x + i * width for x in range(len(groups))], ys, width, label=labels[v], color=colors.get(v))
        ax.set_xticks([x + width * (len(variants) - 1) / 2 for x in range(len(groups))])
        ax.set_xticklabels([f"{p.key}\n{'GET' if k == 'get_allowed' else 'preflight'}" for p, k in groups], fontsize=7)
        ax.set_yscale("symlog", linthresh=100)
        ax.set_ylabel("overhead, ns/request (symlog)")
        ax.set_title(f"{framework}: by policy (allowed GET / allowed preflight)")
        ax.axhline(0, color="black", linewidth=0.6)
        ax.legend(fontsize=7)
    fig.suptitle(f"CORS middleware overhead, {data['environment']['date']} ({data['command']})", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


# ---------------------------------------------------------------- document


def write(data: dict[str, Any], out: Path) -> None:
    env = data["environment"]
    has_plot = plot(data, out / "overhead.png")
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `{data['command']}` (from the repository root) on {env['date']}, "
        f"in {data['duration_s']} s. Do not edit: rerun the command. Method and set-up: "
        "[README.md](README.md). Raw per-round figures: [results.json](results.json).",
        "",
        f"- machine: {env['machine']}; load average before/after the run: "
        f"{', '.join(f'{x:.2f}' for x in data['load_average']['before'])} / "
        f"{', '.join(f'{x:.2f}' for x in data['load_average']['after'])}",
        f"- {env['python']}; code at {env['commit']}",
        "- " + "; ".join(f"{k} {v}" for k, v in env["versions"].items()),
    ]
    for name, part in data.get("parts", {}).items():
        lines.append(
            f"- the {name} part rerun since by `{part['command']}` on {part['date']} at {part['commit']}, "
            f"in {part['duration_s']} s (load average before: "
            f"{', '.join(f'{x:.2f}' for x in part['load_average']['before'])}; "
            + "; ".join(f"{k} {v}" for k, v in part["versions"].items() if k in ("starlette", "uvicorn"))
            + ")"
        )
    lines += [
        "",
        "Overhead = ns/request with the middleware - ns/request of the bare app, in the same round;",
        "ratios are taken per round (pairs measured side by side), medians over rounds.",
        "",
    ]
    if has_plot:
        lines += ["![overhead by request kind and by policy](overhead.png)", ""]
    rows = targets(data)
    missed = [r for r in rows if not r[3]]
    lines += [
        "## Targets",
        "",
        f"{len(rows) - len(missed)} of {len(rows)} target checks met. Missed ones are in bold; "
        "[README.md](README.md#where-the-time-goes) says what bounds them.",
        "",
        "| target | where | measured | |",
        "|---|---|---:|---|",
    ]
    lines += [f"| {t} | {w} | {m} | {_mark(ok)} |" for t, w, m, ok in rows]
    lines += ["", "## WSGI (in process, ns/request; columns after *bare* are overhead over bare)", ""]
    lines += wsgi_table(_index(data["inproc"].get("wsgi", {})))
    for framework in ("flask", "django"):
        part = data["inproc"].get(framework)
        if part is None:
            continue
        lines += ["", f"## {framework.title()} (in process, ns/request; overhead over the bare app)", ""]
        if part.get("skipped"):
            lines.append(f"Skipped: {part['skipped']}")
        else:
            lines += framework_table(framework, _index(part))
    flood = data.get("flood")
    if flood:
        lines += ["", "## Flood: every request a new origin (ns/request overhead over bare; memory held)", ""]
        lines += flood_tables(flood)
    lines += ["", "## End to end: gunicorn (1 sync worker each) + wrk, all variants loaded at once", ""]
    if data.get("e2e_skipped"):
        lines.append(f"Skipped: {data['e2e_skipped']}")
    for part in data.get("e2e", []):
        lines += [
            f"### {part['framework']} ({POLICY_BY_KEY[part['policy']].label}; {part['repeats']} runs of "
            f"{part['seconds']} s, {part['connections']} connections per server; median ratio per run)",
            "",
            *e2e_table(part),
            "",
        ]
    lines += report_asgi.section(data)
    lines += ["", "## Memory (tracemalloc, 3 exact origins)", ""]
    lines += [
        "Peak bytes: the most memory held at once during one request above what was held before it "
        "(environ copy included, so compare with bare). Retained: bytes still held per request after "
        "2,000 requests were made and their responses closed (the harness itself shows the same small "
        "figure for the bare app).",
        "",
    ]
    if "memory" in data:
        lines += memory_tables(data["memory"])
    (out / "RESULTS.md").write_text("\n".join(lines) + "\n")

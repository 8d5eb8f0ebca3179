"""The ASGI part of RESULTS.md: targets (issue 18), the table and the memory rows, from ``inproc["asgi"]``."""

from __future__ import annotations

from typing import Any

from .common import KIND_BY_KEY, KINDS, POLICIES, POLICY_BY_KEY, PairedResult

#: Issue 18: our overhead at most this fraction of Starlette's CORSMiddleware's.
LIMIT = 0.5
#: The flood: bytes held may grow at most this much from the second checkpoint to the last (as for WSGI).
FLOOD_GROWTH = 64 * 1024
FLOOD_LABEL = {"flood_allowed": "allowed", "flood_denied": "denied"}
OURS = {"ours": "asgi_ext.CORSMiddleware", "compat": "asgi_ext.compat.CORSMiddleware"}
NOTE = (
    "Driver: the app coroutine awaited directly (no server, no event loop), scope built once per case as "
    "uvicorn builds it and copied per request; one-header floor: a send wrapper adding one header in a new "
    "message. Starlette has no wildcard origin: for the wildcard policy Starlette and the compat layer (which "
    "takes Starlette's arguments) get `allow_origin_regex=r'https://([a-z0-9-]+\\.)+example\\.com'`, the "
    "wildcard's meaning (Starlette full-matches it); our door gets `https://*.example.com`. A refused preflight "
    "is Starlette's 400 (and the compat layer's), our door's 200 without CORS headers."
)


def _index(part: dict[str, Any]) -> dict[tuple[str, str], PairedResult]:
    return {(e["policy"], e["kind"]): PairedResult(e["variants"], e["rounds"], e["n"]) for e in part.get("results", [])}


def _x(value: float) -> str:
    return "∞" if value in (float("inf"), float("-inf")) else f"{value:.2f}"


def targets(data: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(target, where, measured, met): overhead ≤ 0.5 x Starlette's for the door and the compat layer,
    every policy and request kind; 0 bytes retained per request."""
    part = data.get("inproc", {}).get("asgi")
    if not part:
        return []
    rows: list[tuple[str, str, str, bool]] = []
    index = _index(part)
    if part.get("compat_skipped"):
        rows.append(("ASGI compat targets", "-", f"skipped: {part['compat_skipped']}", False))
    for policy in POLICIES:
        for kind in KINDS:
            r = index.get((policy.key, kind.key))
            if r is None:
                continue
            for variant, label in OURS.items():
                if variant in r.variants:
                    v = r.ratio(variant, "starlette")
                    rows.append(
                        (
                            f"ASGI {label} {kind.label}: overhead ≤ {LIMIT} x Starlette's CORSMiddleware's",
                            policy.label,
                            f"{_x(v)} x",
                            v <= LIMIT,
                        )
                    )
    for row in part.get("memory", []):
        for variant, label in OURS.items():
            key = f"retained_{variant}"
            if key in row:
                extra = row[key] - row["retained_bare"]
                rows.append(
                    (
                        f"asgi {label}: bytes retained per request = 0 (ours - bare)",
                        KIND_BY_KEY[row["kind"]].label,
                        f"{extra:.3f}",
                        extra <= 0,
                    )
                )
    for row in part.get("flood_memory", []):
        held = list(row["held_after"].values())
        growth = held[-1] - held[1]
        rows.append(
            (
                f"asgi {OURS[row['variant']]}: flood of new origins, memory flat once the memo is full "
                "(growth from 10,000 to 100,000 requests)",
                f"{POLICY_BY_KEY[row['policy']].label}, {FLOOD_LABEL[row['kind']]}",
                f"{growth:+,} bytes (held: {', '.join(f'{x:,}' for x in held)})",
                growth <= FLOOD_GROWTH,
            )
        )
    return rows


def section(data: dict[str, Any]) -> list[str]:
    """The ASGI section of RESULTS.md (empty when the part was not run)."""
    part = data.get("inproc", {}).get("asgi")
    if not part:
        return []
    index = _index(part)
    has_compat = any("compat" in r.variants for r in index.values())
    compat_head = " | **compat** | compat / Starlette" if has_compat else ""
    lines = [
        "",
        "## ASGI (in process, ns/request; columns after *bare* are overhead over bare)",
        "",
        NOTE,
        "",
    ]
    if part.get("compat_skipped"):
        lines += [f"The compat layer was not measured: {part['compat_skipped']}.", ""]
    lines += [
        f"| policy | request | bare ns | pass-through | one-header | **ours** | Starlette | ours / Starlette"
        f"{compat_head} |",
        "|---|---|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if has_compat else ""),
    ]
    for policy in POLICIES:
        for kind in KINDS:
            r = index.get((policy.key, kind.key))
            if r is None:
                continue
            line = (
                f"| {policy.label} | {kind.label} | {r.median('bare'):,.0f} | {r.overhead('pass_through'):,.0f} "
                f"| {r.overhead('one_header'):,.0f} | **{r.overhead('ours'):,.0f}** | {r.overhead('starlette'):,.0f} "
                f"| {_x(r.ratio('ours', 'starlette'))}"
            )
            if has_compat:
                if "compat" in r.variants:
                    line += f" | **{r.overhead('compat'):,.0f}** | {_x(r.ratio('compat', 'starlette'))}"
                else:
                    line += " | - | -"
            lines.append(line + " |")
    memory = part.get("memory", [])
    if memory:
        names = [key[len("retained_") :] for key in memory[0] if key.startswith("retained_")]
        lines += [
            "",
            f"Bytes retained per request (tracemalloc, 3 exact origins, after {memory[0]['requests']:,} requests):",
            "",
            "| request | " + " | ".join(names) + " |",
            "|---|" + "---:|" * len(names),
        ]
        for row in memory:
            lines.append(
                f"| {KIND_BY_KEY[row['kind']].label} | "
                + " | ".join(f"{row['retained_' + name]:.3f}" for name in names)
                + " |"
            )
    flood = part.get("flood_memory", [])
    if flood:
        checkpoints = list(flood[0]["held_after"])
        lines += [
            "",
            "Flood of new origins (every request a never-seen origin): bytes held after "
            + " / ".join(f"{int(c):,}" for c in checkpoints)
            + " requests (the compat layer gets the wildcard as a regex):",
            "",
            "| door | policy | request | bytes held |",
            "|---|---|---|---:|",
        ]
        for row in flood:
            lines.append(
                f"| {OURS[row['variant']]} | {POLICY_BY_KEY[row['policy']].label} | {FLOOD_LABEL[row['kind']]} | "
                + " / ".join(f"{x:,}" for x in row["held_after"].values())
                + " |"
            )
    return lines

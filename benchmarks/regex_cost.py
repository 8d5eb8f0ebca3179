"""``python -m benchmarks.regex_cost``: what a policy's origin regexes cost per origin, against
the start-up estimate that bounds their sum (issue 17, item 5).

Each row: one origin regex of N alternatives, each two overlapping repeats
(``([a-z.]*)([a-z.]*)``, the slowest form in CPython) before a fixed site,
matched against a 253-character host that none of them accepts; the time per
origin (median of rounds of CPU time), the guard's estimate, and its verdict.
"""

from __future__ import annotations

import re
import statistics
from time import thread_time_ns

from wsgicors import CORSConfigError, Policy
from wsgicors.regex_cost import MAX_COST

ORIGIN = "https://" + "a" * 253
ALTERNATIVES = (1, 5, 10, 11, 100, 1000)


def pattern(count: int) -> str:
    return "|".join(f"https://([a-z.]*)([a-z.]*)\\.e{i}\\.example\\.com" for i in range(count))


def per_origin_ms(compiled: re.Pattern[str], rounds: int = 7) -> float:
    """Median CPU milliseconds of one failing fullmatch."""
    repeat = max(1, 200 // (len(compiled.pattern) // 40 + 1))
    times = []
    for _ in range(rounds):
        start = thread_time_ns()
        for _ in range(repeat):
            compiled.fullmatch(ORIGIN)
        times.append((thread_time_ns() - start) / repeat / 1e6)
    return statistics.median(times)


def verdict(text: str) -> str:
    try:
        Policy(origins=["~" + text])
    except CORSConfigError as exc:
        found = re.search(r"an estimated ([0-9,]+)", exc.problem)
        return f"refused ({found[1] if found else exc.problem[:40]})"
    return "accepted"


def main() -> None:
    print(f"budget: {MAX_COST:,} estimated steps per origin; host of 253 characters")
    print(f"{'alternatives':>12}  {'ms/origin':>10}  verdict")
    for count in ALTERNATIVES:
        text = pattern(count)
        print(f"{count:>12}  {per_origin_ms(re.compile(text)):>10.2f}  {verdict(text)}")


if __name__ == "__main__":
    main()

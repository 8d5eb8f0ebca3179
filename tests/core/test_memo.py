"""The bounded memo of pure decisions: remembered, bounded, shared safely, never for callables."""

from __future__ import annotations

import gc
import threading
import tracemalloc
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from wsgicors import Decision, Kind, Policy, decide_request
from wsgicors.memo import MAX_MEMO_VALUE, MEMO_SIZE

ACAO = "Access-Control-Allow-Origin"
WILDCARD = "https://*.example.com"
REGEX = r"~https://[a-z0-9-]+\.example\.com"


def get(policy: Policy, origin: str) -> Decision:
    return decide_request(policy, "GET", "/", {"Origin": origin})


def preflight(policy: Policy, origin: str, method: str = "PUT", request_headers: str | None = "x-token") -> Decision:
    headers = {"Origin": origin, "Access-Control-Request-Method": method}
    if request_headers is not None:
        headers["Access-Control-Request-Headers"] = request_headers
    return decide_request(policy, "OPTIONS", "/", headers)


def memos(policy: Policy) -> tuple[Mapping[Any, Decision], Mapping[Any, Decision]]:
    actual, pre = policy.answers.actual_memo, policy.answers.preflight_memo
    assert actual is not None and pre is not None
    return actual, pre


@pytest.mark.parametrize("entry", [WILDCARD, REGEX])
def test_a_dynamic_origins_answer_is_remembered_by_its_origin(entry: str) -> None:
    policy = Policy(origins=[entry], credentials=True)
    first = get(policy, "https://tenant.example.com")
    assert first.header(ACAO) == "https://tenant.example.com"
    assert get(policy, "https://tenant.example.com") is first
    assert get(policy, "https://other.example.com").header(ACAO) == "https://other.example.com"
    denied = get(policy, "https://evil.example.org")
    assert denied.kind is Kind.DENIED and denied.headers == ()
    assert get(policy, "https://evil.example.org") is denied
    actual, _ = memos(policy)
    remembered = {"https://tenant.example.com", "https://other.example.com"}
    if entry == REGEX:  # a regex refusal is costly, so it is remembered; a wildcard's is not
        remembered.add("https://evil.example.org")
    assert set(actual) == remembered


def test_a_preflight_is_remembered_by_origin_method_headers_and_private_network() -> None:
    policy = Policy(origins=[WILDCARD], methods="*", headers="*", private_network=True)
    first = preflight(policy, "https://a.example.com", "PATCH", "x-one")
    assert first.header("Access-Control-Allow-Methods") == "PATCH"
    assert first.header("Access-Control-Allow-Headers") == "x-one"
    assert preflight(policy, "https://a.example.com", "PATCH", "x-one") is first
    # Any other value of any key is another answer, never the remembered one.
    assert preflight(policy, "https://b.example.com", "PATCH", "x-one").header(ACAO) == "https://b.example.com"
    assert preflight(policy, "https://a.example.com", "DELETE", "x-one").header("Access-Control-Allow-Methods") == (
        "DELETE"
    )
    assert preflight(policy, "https://a.example.com", "PATCH", "x-two").header("Access-Control-Allow-Headers") == (
        "x-two"
    )
    assert preflight(policy, "https://a.example.com", "PATCH", None).header("Access-Control-Allow-Headers") is None
    pna = decide_request(
        policy,
        "OPTIONS",
        "/",
        {
            "Origin": "https://a.example.com",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "x-one",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert pna.header("Access-Control-Allow-Private-Network") == "true"
    assert first.header("Access-Control-Allow-Private-Network") is None
    _, pre = memos(policy)
    assert len(pre) == 6


def test_values_too_long_to_keep_are_answered_uncached() -> None:
    policy = Policy(origins=[WILDCARD], headers="*")
    names = ",".join(f"x-h{i}" for i in range(60))
    assert len(names) > MAX_MEMO_VALUE
    answer = preflight(policy, "https://a.example.com", "PUT", names)
    assert answer.header("Access-Control-Allow-Headers") == names.replace(",", ", ")
    odd = decide_request(
        policy,
        "OPTIONS",
        "/",
        {
            "Origin": "https://a.example.com",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Private-Network": "x" * 40,
        },
    )
    assert odd.kind is Kind.PREFLIGHT
    long_origin = "https://" + "a" * 400 + ".example.com"
    assert get(policy, long_origin).kind is Kind.DENIED
    actual, pre = memos(policy)
    assert len(pre) == 0 and len(actual) == 0


@pytest.mark.parametrize("entry", [WILDCARD, REGEX])
def test_a_flood_of_new_origins_keeps_the_memo_bounded(entry: str) -> None:
    policy = Policy(origins=[entry], headers="*")
    actual, pre = memos(policy)
    for i in range(3 * MEMO_SIZE + 7):
        origin = f"https://t{i}.example.com" if i % 2 else f"https://t{i}.evil.org"
        decision = get(policy, origin)
        assert decision.header(ACAO) == (origin if i % 2 else None)
        answer = preflight(policy, origin, "PUT", f"x-{i}")
        assert answer.header(ACAO) == (origin if i % 2 else None)
        assert len(actual) <= MEMO_SIZE and len(pre) <= MEMO_SIZE
    # Answers given after the memo was cleared are still right.
    assert get(policy, "https://t1.example.com").header(ACAO) == "https://t1.example.com"


def test_memory_stays_flat_under_a_flood_once_the_memo_is_full() -> None:
    policy = Policy(origins=[WILDCARD], headers="*", credentials=True)

    def flood(start: int) -> None:
        for i in range(start, start + 2 * MEMO_SIZE):
            get(policy, f"https://flood{i}.example.com")
            preflight(policy, f"https://flood{i}.example.com", "PUT", f"x-{i}")

    flood(0)  # fill it (and clear it once)
    gc.collect()
    tracemalloc.start()
    try:
        flood(10 * MEMO_SIZE)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        flood(20 * MEMO_SIZE)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # Two full memos hold at most about 1 MB; another flood of 4,096 requests adds nothing lasting.
    assert before < 2_000_000
    assert after - before < 64 * 1024


@pytest.mark.parametrize("entry", [WILDCARD, REGEX])
def test_threads_share_the_memo_and_each_gets_its_own_answer(dense_switching: None, entry: str) -> None:
    policy = Policy(origins=[entry], methods="*", headers="*", credentials=True)
    actual, pre = memos(policy)
    threads = 12
    per_thread = MEMO_SIZE // 4  # together several times the memo's size: it is cleared under load

    def work(worker: int) -> int:
        wrong = 0
        for i in range(per_thread):
            # Half the origins are shared by every thread, half are the thread's own.
            origin = f"https://w{worker}-{i}.example.com" if i % 2 else f"https://shared{i}.example.com"
            denied = f"https://w{worker}-{i}.evil.org"
            if get(policy, origin).header(ACAO) != origin:
                wrong += 1
            if get(policy, denied).kind is not Kind.DENIED:
                wrong += 1
            method = f"M{worker}X{i}"
            answer = preflight(policy, origin, method, f"x-w{worker}")
            if (
                answer.header(ACAO) != origin
                or answer.header("Access-Control-Allow-Methods") != method
                or answer.header("Access-Control-Allow-Headers") != f"x-w{worker}"
            ):
                wrong += 1
        return wrong

    with ThreadPoolExecutor(threads) as pool:
        assert sum(pool.map(work, range(threads))) == 0
    # Racing threads may each add their one entry after a clear: never more.
    assert len(actual) <= MEMO_SIZE + threads and len(pre) <= MEMO_SIZE + threads


def test_a_callable_origin_check_is_never_memoised() -> None:
    seen: list[tuple[str, str | None]] = []
    lock = threading.Lock()

    def check(origin: str, environ: Mapping[str, Any]) -> bool:
        with lock:
            seen.append((origin, environ.get("HTTP_X_TENANT")))
        return environ.get("HTTP_X_TENANT") == "ok"

    policy = Policy(origins=[WILDCARD, check], methods="*", headers="*")
    assert policy.answers.actual_memo is None and policy.answers.preflight_memo is None
    origin = "https://tenant.evil.org"
    ok = decide_request(policy, "GET", "/", {"Origin": origin, "X-Tenant": "ok"})
    refused = decide_request(policy, "GET", "/", {"Origin": origin, "X-Tenant": "no"})
    assert ok.header(ACAO) == origin and refused.kind is Kind.DENIED
    for tenant, kind in (("ok", Kind.PREFLIGHT), ("no", Kind.DENIED), ("ok", Kind.PREFLIGHT)):
        answer = decide_request(
            policy,
            "OPTIONS",
            "/",
            {"Origin": origin, "Access-Control-Request-Method": "PUT", "X-Tenant": tenant},
        )
        assert answer.kind is kind
    # The check saw every one of the five requests: nothing was answered from memory.
    assert seen == [(origin, "ok"), (origin, "no"), (origin, "ok"), (origin, "no"), (origin, "ok")]
    # The wildcard beside it is matched every time too, and answers right.
    assert get(policy, "https://a.example.com").header(ACAO) == "https://a.example.com"
    assert len(seen) == 5


def test_exact_origin_lists_remember_only_echoed_preflights() -> None:
    policy = Policy(origins=["https://a.example.com"], headers="*")
    assert policy.answers.actual_memo is None  # every exact answer is precomputed
    answer = preflight(policy, "https://a.example.com", "PUT", "x-one")
    assert preflight(policy, "https://a.example.com", "PUT", "x-one") is answer
    assert preflight(policy, "https://evil.example.org", "PUT", "x-one").kind is Kind.DENIED
    pre = policy.answers.preflight_memo
    assert pre is not None and list(pre) == [("https://a.example.com", "PUT", "x-one", None)]

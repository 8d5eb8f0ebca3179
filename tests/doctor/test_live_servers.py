"""The recorded cases, live: each server started on 127.0.0.1 (tests/doctor/real_servers.py) and asked
over the network; the same explanations as the recordings. Starlette runs under uvicorn from the venv;
nginx, Apache and Node run where installed (``apt-get install -y nginx apache2``; ``npm install
--prefix .node-servers express@4 cors fastify @fastify/cors`` in the repository), and are skipped with
the reason otherwise."""

from __future__ import annotations

import pytest

from wsgicors.doctor.transport import NetworkTransport

from .real_servers import available, serve
from .recorded import check, run
from .recorded_cases import CASES, Case

pytestmark = pytest.mark.server


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_live_server_gets_the_recorded_explanation(case: Case) -> None:
    why = available(case.server)
    if why is not None:
        pytest.skip(f"{case.server}: {why}")
    with serve(case.server, case.config) as base:
        for ask in case.asks:
            outcome, human, doc = run(ask, base, NetworkTransport(timeout=10))
            check(ask.to_json(), outcome, human, doc)

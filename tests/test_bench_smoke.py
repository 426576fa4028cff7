"""The benchmarks still run (`python -m bench --quick`): each starts its own stack and prints its ratios.

Only that they run and print figures is checked, never a time: the machine's load decides the numbers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RATIO = re.compile(r"ratio\s+\d+\.\d\dx")


def _bench(*args: str, tmp_path: Path) -> str:
    env = {**os.environ, "CRMFLOW_BENCH_RESULTS": str(tmp_path / "results.jsonl")}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


@pytest.mark.timeout(900)
def test_the_lifecycle_benchmark_runs_beside_the_bare_engine_and_prints_ratios(tmp_path: Path) -> None:
    out = _bench("lifecycle-sqlite", tmp_path=tmp_path)
    assert "complaint lifecycle [sqlite]" in out and "load " in out
    for figure in ("lifecycles/s", "CPU ms / lifecycle", "history events"):
        line = next((line for line in out.splitlines() if figure in line), "")
        assert RATIO.search(line), f"{figure} printed no ratio:\n{out}"
    assert "acknowledge" in out and "p50/p95/p99" in out
    assert (tmp_path / "results.jsonl").read_text().count('"benchmark": "lifecycle"') == 1


@pytest.mark.timeout(900)
def test_the_decisions_benchmark_runs_and_prints_ratios(tmp_path: Path) -> None:
    out = _bench("decisions", tmp_path=tmp_path)
    line = next((line for line in out.splitlines() if "decisions/s at 20 clients" in line), "")
    assert RATIO.search(line), out
    assert "inbox GET p99" in out


@pytest.mark.timeout(900)
def test_the_scoring_benchmark_prints_the_pass_beside_both_floors(tmp_path: Path) -> None:
    url = os.environ.get("CRMFLOW_TEST_DATABASE_URL")
    if not url:
        pytest.skip("CRMFLOW_TEST_DATABASE_URL is not set")
    server = url.rsplit("/", 1)[0].replace("postgresql+psycopg", "postgresql")
    out = _bench("scoring", "--pg-server", server, tmp_path=tmp_path)
    for floor in ("GROUP BY floor", "write floor"):
        line = next((line for line in out.splitlines() if floor in line), "")
        assert RATIO.search(line), f"{floor} printed no ratio:\n{out}"

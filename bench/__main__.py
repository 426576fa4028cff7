"""`make bench` (= `python -m bench`): every benchmark in turn, each on its own stack; `--quick` for a smoke run.

`python -m bench [--quick] [lifecycle-sqlite lifecycle-postgresql decisions open fanout scoring]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import traceback

from bench import lifecycle, processes, scoring
from bench.stack import DEFAULT_PG_SERVER, load_text


def _lifecycle(db: str):
    def run(quick: bool, pg_server: str) -> None:
        count, clients, reps = (10, 5, 1) if quick else (200, 20, 3)
        asyncio.run(lifecycle.run(db, count, clients, reps, pg_server))

    return run


def _processes(name: str):
    def run(quick: bool, pg_server: str) -> None:
        asyncio.run(processes.BENCHMARKS[name]("sqlite", quick, pg_server))

    return run


def _scoring(quick: bool, pg_server: str) -> None:
    scoring.main(["--server", pg_server] + (["--quick"] if quick else []))


BENCHMARKS = {
    "lifecycle-sqlite": _lifecycle("sqlite"),
    "lifecycle-postgresql": _lifecycle("postgresql"),
    "decisions": _processes("decisions"),
    "open": _processes("open"),
    "fanout": _processes("fanout"),
    "scoring": _scoring,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "names",
        nargs="*",
        choices=[[], *BENCHMARKS],
        default=[],
        metavar="NAME",
        help=f"which to run (default: all): {', '.join(BENCHMARKS)}",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, one repetition: checks they run")
    parser.add_argument("--pg-server", default=os.environ.get("CRMFLOW_BENCH_SERVER", DEFAULT_PG_SERVER))
    args = parser.parse_args(argv)
    print(
        f"crmflow benchmarks ({'quick' if args.quick else 'full'}), {load_text()} at the start; every figure is "
        f"crmflow vs the bare engine in the same run",
        flush=True,
    )
    failed = []
    for name in args.names or list(BENCHMARKS):
        try:
            BENCHMARKS[name](args.quick, args.pg_server)
        except Exception:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark ``checkin --help`` start-up against a bare ``python -c pass``, in the same run.

``python bench/startup.py [--runs 20]`` (the project installed, ``pip install -e .``). Runs the
console script installed beside this interpreter (else ``python -m bot``) and the bare
interpreter in turn, interleaved so both see the same machine, and prints the median, p90 and
minimum of each in milliseconds and their difference. Budget: ``checkin --help`` median under
500 ms.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

BUDGET_MS = 500.0


def checkin_command() -> list[str]:
    """The installed ``checkin`` of this interpreter's environment, else ``python -m bot``."""
    script = Path(sys.executable).parent / ("checkin.exe" if sys.platform == "win32"
                                            else "checkin")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "bot"]


def timed(command: list[str]) -> float:
    """Milliseconds from starting ``command`` to its exit (it must exit 0)."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p90": p90, "min": ordered[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each (default: 20)")
    args = parser.parse_args()
    checkin = [*checkin_command(), "--help"]
    bare = [sys.executable, "-c", "pass"]
    timed(checkin)  # the first run pays for cold file caches, which a deployment pays once
    timed(bare)
    ours: list[float] = []
    baseline: list[float] = []
    for _ in range(args.runs):
        ours.append(timed(checkin))
        baseline.append(timed(bare))
    print(f"python {platform.python_version()} on {platform.platform()}, {args.runs} runs each")
    shown = [Path(checkin[0]).name, *checkin[1:]]
    print(f"command: {' '.join(shown)}")
    rows = {"checkin --help": figures(ours), "python -c pass": figures(baseline)}
    print(f"{'':16} {'median':>9} {'p90':>9} {'min':>9}")
    for name, row in rows.items():
        print(f"{name:16} {row['median']:7.1f}ms {row['p90']:7.1f}ms {row['min']:7.1f}ms")
    difference = rows["checkin --help"]["median"] - rows["python -c pass"]["median"]
    print(f"difference of the medians: {difference:.1f} ms")
    median = rows["checkin --help"]["median"]
    verdict = "within budget" if median < BUDGET_MS else "OVER BUDGET"
    print(f"budget: median under {BUDGET_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

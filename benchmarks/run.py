"""Run every benchmark script (benchmarks/bench_*.py), each in its own process, then one table.

Separate processes keep one benchmark's imports (TensorFlow above all) from
warming up or slowing down another's measurements. Every script reports its
ratios and targets as ``RATIO\\t...`` lines (benchmarks/common.py ``ratio_line``), which
make the final table. Progress
goes to a terminal only. Run: `make bench` or `benchmarks/run.py [core process ...]`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import RATIO_PREFIX, print_table, progress  # noqa: E402


def run_script(script: Path) -> tuple[int, list[list[str]]]:
    """Run one benchmark, echoing its output; return its exit code and its ratio rows."""
    done = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, text=True,
                          stdout=subprocess.PIPE, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    rows = []
    for line in done.stdout.splitlines():
        if line.startswith(RATIO_PREFIX):
            rows.append((line.removeprefix(RATIO_PREFIX).split("\t") + ["", "", ""])[:4])
            continue
        print(line)
    return done.returncode, rows


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    only = set(sys.argv[1:])
    failed, table = [], []
    for number, script in enumerate(scripts, 1):
        if only and script.stem.removeprefix("bench_") not in only:
            continue
        progress(f"[{number}/{len(scripts)}] {script.stem} …")
        print(f"\n=== {script.stem} ===", flush=True)
        code, rows = run_script(script)
        table.extend(rows)
        if code != 0:
            failed.append(script.name)
    print(f"\n=== every ratio (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores) ===")
    print_table(["measure", "result", "target", "verdict"], table)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

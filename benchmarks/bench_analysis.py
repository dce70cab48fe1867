"""Cost of the checks added for teaching (info notes, the check of unexpanded block
bodies) against the same analysis without them, and of the receptive fields.

The bar: `analyze` stays within 10 % of its time without the new checks. Receptive
fields cost about a third of a check, so they are computed on demand
(`receptive_field.ensure`: summary, diff, `check`), not by `analyze`; the last
column shows what they add when asked for.
Run: `make bench` (or `.venv/bin/python benchmarks/bench_analysis.py`).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import fmt_seconds, median_seconds, print_table, ratio_line  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def conv_chain(n: int) -> str:
    import json

    layers = [{"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same"} for _ in range(n)]
    return json.dumps({"inputs": [{"shape": [64, 64, 3]}], "layers": layers})


def main() -> None:
    import layergraph as lg
    from layergraph.compiler.expand import expand
    from layergraph.compiler.validation import check_unexpanded_blocks, notes
    from layergraph.limits import Limits
    from layergraph.receptive_field import compute
    from layergraph.registry import get_registry

    cases = [("VGG16", ROOT / "specs" / "vgg16.json", 30), ("ResNet50", ROOT / "specs" / "resnet50.json", 10),
             ("2,000 convolutions", conv_chain(2_000), 3)]
    rows, shares = [], []
    for label, spec, repeat in cases:
        # Best of interleaved rounds: the machine may be shared, and noise only adds time.
        whole = min(median_seconds(lambda: lg.analyze(spec), repeat=repeat, warmup=1) for _ in range(3))
        analysis = lg.analyze(spec)
        expansion, registry = expand(analysis.spec, Limits.from_env()), get_registry()

        def new_checks():
            notes(analysis)
            check_unexpanded_blocks(analysis.spec, expansion, registry)

        checks = min(median_seconds(new_checks, repeat=repeat, warmup=1) for _ in range(3))
        fields = min(median_seconds(lambda: compute(analysis), repeat=repeat, warmup=1) for _ in range(3))
        share = checks / (whole - checks) * 100
        shares.append(share)
        rows.append([label, fmt_seconds(whole - checks), fmt_seconds(checks), f"+{share:.1f} %",
                     "ok" if share <= 10 else "OVER 10 %",
                     f"+{fmt_seconds(fields)} (+{fields / (whole - checks) * 100:.0f} %)"])
    print_table(["spec", "analyze before", "new checks", "change", "bar (≤ +10 %)",
                 "receptive fields (on demand)"], rows)
    worst = max(range(len(rows)), key=shares.__getitem__)
    ratio_line(f"analysis: cost of the info and block checks, worst ({rows[worst][0]})",
               rows[worst][3], "≤ +10 %", shares[worst] <= 10)


if __name__ == "__main__":
    main()

"""How many real Keras example models import: build each model of the corpus in
tests/keras_examples.py, import it with layergraph, compile the spec back to Keras, copy the
weights and compare the outputs on generated data.

    python benchmarks/examples_import.py                 # the table and the totals
    python benchmarks/examples_import.py --json main.json  # also saved to benchmarks/results/
    python benchmarks/examples_import.py -k gan -k vae   # only the examples whose name matches

A model counts as imported only if its compiled-back model computes the same outputs
(largest difference within 1e-5, scaled to the outputs' size). Progress is shown on a
terminal and nothing is shown when stderr is piped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(HERE)]  # this tree's layergraph, the corpus
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from common import print_table, progress  # noqa: E402

RESULTS = HERE / "results"


def main(argv: list[str] | None = None) -> int:
    """Run the corpus, print the table and totals, and save the results if asked."""
    args = _parser().parse_args(argv)
    import keras_examples  # noqa: E402  (imports layergraph from this tree)

    examples = [e for e in keras_examples.EXAMPLES.values()
                if not args.k or any(word in e.name for word in args.k)]
    if not examples:
        print(f"no example matches {' or '.join(args.k)}", file=sys.stderr)
        return 2
    outcomes, start = [], time.perf_counter()
    for number, example in enumerate(examples, 1):
        progress(f"[{number}/{len(examples)}] {example.name}")
        outcomes.append(keras_examples.try_example(example))
    progress("")
    print_table(["model", "family", "imported", "max diff", "why not"],
                [_row(o) for o in outcomes])
    print()
    _print_totals(outcomes, keras_examples.FAMILIES)
    print()
    _print_blockers(outcomes)
    if args.json:
        path = _save(args.json, outcomes, time.perf_counter() - start)
        print(f"\nsaved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE",
                        help="save the results as JSON (a bare name goes to benchmarks/results/)")
    parser.add_argument("-k", action="append", default=[], metavar="WORD",
                        help="only the examples whose name contains WORD (repeatable)")
    return parser


def _row(outcome) -> list[str]:
    mark = "✓" if _counts(outcome) else "✗"
    difference = "" if outcome.max_difference is None else f"{outcome.max_difference:.1e}"
    why = outcome.reason
    if outcome.imported and not outcome.equal_outputs:
        why = why or "SILENTLY WRONG: imports but computes other outputs"
    return [outcome.name, outcome.family, mark, difference, why[:90]]


def _counts(outcome) -> bool:
    """Imported, compiled back and computing the same outputs."""
    return outcome.imported and outcome.equal_outputs


def _print_totals(outcomes, families) -> None:
    rows = []
    for family in [*families, "all"]:
        members = [o for o in outcomes if family in ("all", o.family)]
        if members:
            imported = sum(map(_counts, members))
            rows.append([family, str(imported), str(len(members)),
                         f"{100 * imported / len(members):.0f} %"])
    print_table(["family", "imported", "models", "rate"], rows)
    wrong = [o.name for o in outcomes if o.imported and not o.equal_outputs]
    crashed = [o.name for o in outcomes if o.crashed]
    if wrong:
        print(f"\nimported but computing other outputs (silently wrong): {', '.join(wrong)}")
    if crashed:
        print(f"\nrefused with a traceback instead of a diagnostic: {', '.join(crashed)}")


def _print_blockers(outcomes) -> None:
    """Which missing features block most models: grouped by reason, then by Keras class
    (a model counts once in each row that applies to it)."""
    refused = [o for o in outcomes if not _counts(o)]
    reasons = Counter(reason for o in refused for reason in
                      dict.fromkeys(b.split(": ", 1)[-1] for b in o.blockers or (o.reason,)))
    print_table(["models", "blocked because"],
                [[str(n), text[:100]] for text, n in reasons.most_common()])
    print()
    classes = Counter(b.split(": ", 1)[0] for o in refused for b in o.blockers if ": " in b)
    print_table(["models", "blocked by class"],
                [[str(n), text] for text, n in classes.most_common()])


def _save(name: str, outcomes, seconds: float) -> Path:
    import keras

    import keras_examples

    path = Path(name)
    if path.parent == Path("."):
        path = RESULTS / path
    path.parent.mkdir(parents=True, exist_ok=True)
    by_family = {}
    for family in keras_examples.FAMILIES:
        members = [o for o in outcomes if o.family == family]
        by_family[family] = {"imported": sum(map(_counts, members)), "models": len(members)}
    report = {
        "benchmark": "examples_import",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "commit": _commit(),
        "keras": keras.__version__, "backend": keras.backend.backend(),
        "python": platform.python_version(), "seconds": round(seconds, 1),
        "imported": sum(map(_counts, outcomes)), "models": len(outcomes),
        "by_family": by_family,
        "results": [_result(o, keras_examples.EXAMPLES[o.name]) for o in outcomes],
    }
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _result(outcome, example) -> dict:
    return {"model": outcome.name, "family": outcome.family, "title": example.title,
            "url": example.url, "imported": _counts(outcome), "reason": outcome.reason,
            "blockers": list(outcome.blockers), "crashed": outcome.crashed,
            "max_difference": outcome.max_difference, "tolerance": outcome.tolerance,
            "message": outcome.message, "seconds": round(outcome.seconds, 2)}


def _commit() -> str:
    import subprocess

    run = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True)
    return run.stdout.strip() or "unknown"


if __name__ == "__main__":
    sys.exit(main())

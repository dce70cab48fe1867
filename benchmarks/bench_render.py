"""Diagram benchmark: layergraph's render of ResNet50 against keras.utils.plot_model.

Both produce a PNG with tensor shapes through Graphviz's ``dot``. plot_model is
timed on a model that is already built (its fairest case); layergraph is timed
from the spec file to the PNG (reading, checking, laying out and drawing).
Also the scaling of rendering with depth, on chains of 100 to 1,000 layers.
Run: `make bench` (or `.venv/bin/python benchmarks/bench_render.py`).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))
from common import fmt_seconds, median_seconds, print_table, ratio_line  # noqa: E402

RESNET50 = ROOT / "specs" / "resnet50.json"


def resnet50_spec(workdir: Path) -> tuple[Path, str]:
    """The ResNet50 spec file, and where it came from."""
    if RESNET50.exists():
        return RESNET50, "specs/resnet50.json"
    import synthetic_specs

    path = workdir / "resnet50.json"
    path.write_text(json.dumps(synthetic_specs.resnet50()))
    return path, "tests/synthetic_specs.resnet50() (layer for layer as keras.applications)"


def layergraph_render(spec, target: Path, repeat: int = 5, **options) -> float:
    from layergraph.render import render

    return median_seconds(lambda: render(spec, target, **options), repeat=repeat, warmup=1)


def plot_model_resnet50(target: Path, dpi: int, repeat: int = 3) -> tuple[float, float]:
    """(model build time, median plot_model time) for ResNet50(weights=None)."""
    import keras

    start = time.perf_counter()
    model = keras.applications.ResNet50(weights=None)
    build = time.perf_counter() - start

    def plot():
        keras.utils.plot_model(model, to_file=str(target), show_shapes=True, dpi=dpi)

    return build, median_seconds(plot, repeat=repeat, warmup=1)


def png_size(path: Path) -> str:
    data = path.read_bytes()[16:24]
    return f"{int.from_bytes(data[:4], 'big')}×{int.from_bytes(data[4:], 'big')}"


def main() -> None:
    import synthetic_specs

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        spec, origin = resnet50_spec(work)
        print(f"ResNet50 spec: {origin}")
        rows, ours = [], {}
        for label, name, options in [
                ("layergraph render, graph style, SVG", "lg.svg", {}),
                ("layergraph render, graph style, PNG dpi 96", "lg96.png", {"dpi": 96}),
                ("layergraph render, graph style, PNG dpi 150 (default)", "lg150.png", {}),
                ("layergraph render, graph style, PNG dpi 200", "lg200.png", {"dpi": 200}),
                ("layergraph render, blocks style, PNG dpi 150", "blocks.png", {"style": "blocks"}),
                ("layergraph render, volumes style, SVG", "vol.svg", {"style": "volumes"}),
                ("layergraph render, volumes style, PNG dpi 150", "vol.png", {"style": "volumes"})]:
            target = work / name
            ours[label] = layergraph_render(spec, target, **options)
            size = png_size(target) if name.endswith(".png") else "vector"
            rows.append([label, fmt_seconds(ours[label]), size])
        build, peer = plot_model_resnet50(work / "keras.png", dpi=200)
        rows.append(["keras.utils.plot_model(show_shapes=True), dpi 200 (default)",
                     fmt_seconds(peer), png_size(work / "keras.png")])
        rows.append(["  (building keras.applications.ResNet50 first: not counted)",
                     fmt_seconds(build), ""])
        print_table(["ResNet50 → picture", "median time", "pixels"], rows)
        print("plot_model's 32767-pixel side is Graphviz's limit: its picture was scaled down "
              "to fit, layergraph's was wrapped into rows at full size.")
        for label, seconds in ours.items():
            ratio_line(f"render: ResNet50, {label.removeprefix('layergraph render, ')} / plot_model",
                       f"{seconds / peer:.2f}", "≤ 0.50", seconds / peer <= 0.5)

        print("\nScaling with depth (chains of distinct Dense layers, graph style, PNG at 96 dpi):")
        scale_rows = []
        for n in (100, 250, 500, 1000):
            chain = synthetic_specs.chain(n)
            seconds = layergraph_render(chain, work / "chain.png", repeat=3, dpi=96)
            scale_rows.append([str(n), fmt_seconds(seconds), f"{seconds / n * 1e3:.2f} ms",
                               png_size(work / "chain.png")])
        print_table(["layers", "render", "per layer", "pixels"], scale_rows)
        dense = layergraph_render(synthetic_specs.densenet(201), work / "d.png", repeat=3, dpi=96)
        print(f"DenseNet201 (709 layers, repeats collapsed): {fmt_seconds(dense)}")
        ratio_line("render: DenseNet201 PNG dpi 96 / plot_model's ResNet50", f"{dense / peer:.2f}")


if __name__ == "__main__":
    main()

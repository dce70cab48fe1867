"""Regenerate the editor screenshots of the README: python docs/images/make_editor_screenshots.py"""

from __future__ import annotations

import asyncio
from pathlib import Path

from layergraph.editing.document import Document
from layergraph.tui.app import EditorApp

HERE = Path(__file__).resolve().parent
SPECS = HERE.parent.parent / "specs"


async def shoot(spec: str, out: str, prepare=None, size=(110, 32), png: bool = False) -> None:
    app = EditorApp(Document.open(SPECS / spec))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if prepare:
            await prepare(app, pilot)
        await pilot.pause()
        app.save_screenshot(filename=out, path=str(HERE))
    if png:  # GitHub shows an SVG's text in the viewer's fonts; a PNG looks as the terminal did
        import cairosvg

        cairosvg.svg2png(url=str(HERE / out), write_to=str(HERE / out.replace(".svg", ".png")))
        (HERE / out).unlink()
        out = out.replace(".svg", ".png")
    print(f"wrote {HERE / out}")


async def select_conv1(app, pilot):
    await pilot.press("down")


async def break_pool3(app, pilot):
    app.edit(app.doc.set_param, "/layers/7", "pool_size", 15)
    app.table.select_key("pool3")


async def open_preview(app, pilot):
    """The preview beside the table, drawn (the drawing runs in a thread: wait for it)."""
    app.table.select_key("res1_add")
    await pilot.press("ctrl+g")
    while app.preview.busy:
        await pilot.pause(0.05)


async def main() -> None:
    await shoot("alexnet.json", "editor.svg", select_conv1)
    await shoot("alexnet.json", "editor-error.svg", break_pool3)
    await shoot("residual_cnn.json", "editor-preview.svg", open_preview, size=(120, 36), png=True)


if __name__ == "__main__":
    asyncio.run(main())

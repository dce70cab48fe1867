"""The diagram preview pane: the current graph drawn beside the table, following every edit.

Drawing runs in a thread worker, one at a time: an edit made while a drawing runs
only records what to draw next, and when the drawing finishes the newest request is
drawn (intermediate ones are skipped). Each request carries a number, and a result
is shown only if it is the newest request's, so a slow drawing of an old graph can
never replace a newer picture. Typing never waits for a drawing.

Where the terminal shows images (Kitty or Sixel, detected before the editor starts:
:mod:`layergraph.tui.inline_images`) the pane shows the rendered PNG; otherwise, and
whenever rendering fails, the text drawing of :mod:`layergraph.tui.preview_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.widgets import Static

from ...compiler.analysis import Analysis
from ...render.options import STYLES, THEMES, RenderOptions, make_options
from ..commands import bindings
from ..preview_text import diagram_text

PREVIEW_DPI = 72  # a terminal cell is ~10 px wide: more pixels only cost time


@dataclass(frozen=True)
class Drawing:
    """What a drawing produced: the text diagram, an image (PIL) or both, and a note."""

    number: int
    text: Text
    image: Any = None
    note: str = ""


def next_choice(choices: tuple[str, ...], current: str) -> str:
    """The choice after ``current`` (cycling)."""
    return choices[(choices.index(current) + 1) % len(choices)]


class PreviewPane(ScrollableContainer):
    """The diagram of the document (see the module docs); hidden until asked for."""

    # Export is a layer-table command; here too, since the preview shows what it writes.
    BINDINGS = [*bindings("preview"), Binding("x", "app.export", "Export", show=False)]
    can_focus = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.options: RenderOptions = make_options()
        self.image_widget_class = None  # set by the app when the terminal shows images
        self.requested = 0  # number of the newest request
        self.shown = 0  # number of the drawing on screen
        self.shown_analysis: Analysis | None = None
        self._next_request: tuple[int, Analysis, RenderOptions] | None = None
        self._drawing = False
        self._analysis: Analysis | None = None  # the document's, as last followed
        self._requested_analysis: Analysis | None = None

    def compose(self):
        yield Static(id="preview-title")
        yield Static(id="preview-body")

    # -- requests ------------------------------------------------------------------------

    def follow(self, analysis: Analysis) -> None:
        """Draw ``analysis`` (the document changed); nothing happens while the pane is hidden."""
        self._analysis = analysis
        if self.display and analysis is not self._requested_analysis:
            self._request()

    def set_option(self, **changes: str) -> None:
        """Change the style or the theme and draw again."""
        self.options = replace(self.options, **changes)
        self._request()

    def next_style(self) -> str:
        self.set_option(style=next_choice(STYLES, self.options.style))
        return self.options.style

    def next_theme(self) -> str:
        self.set_option(theme=next_choice(THEMES, self.options.theme))
        return self.options.theme

    def on_show(self) -> None:
        if self._analysis is not self._requested_analysis:
            self._request()

    def _request(self) -> None:
        if self._analysis is None:
            return
        self.requested += 1
        self._requested_analysis = self._analysis
        self._next_request = (self.requested, self._analysis, self.options)
        self._title("drawing…")
        if not self._drawing:
            self._start()

    def _start(self) -> None:
        number, analysis, options = self._next_request
        self._next_request = None
        self._drawing = True
        self._draw(self.app, number, analysis, options, self.image_widget_class is not None)

    @property
    def busy(self) -> bool:
        """True while a drawing runs or waits (tests wait for this to turn False)."""
        return self._drawing or self._next_request is not None

    # -- drawing (a thread) -----------------------------------------------------------------

    @work(thread=True, group="preview")
    def _draw(self, app, number: int, analysis: Analysis, options: RenderOptions, image: bool) -> None:
        drawing = draw(number, analysis, options, image)
        try:
            if app.is_running:  # else the editor closed meanwhile: nothing to show it on
                app.call_from_thread(self._drawn, drawing, analysis)
        except RuntimeError:  # it closed between the check and the call
            pass

    def _drawn(self, drawing: Drawing, analysis: Analysis) -> None:
        self._drawing = False
        if drawing.number == self.requested:  # the newest: older results are dropped unseen
            self._show(drawing, analysis)
        if self._next_request is not None:
            self._start()

    # -- showing ------------------------------------------------------------------------------

    def _show(self, drawing: Drawing, analysis: Analysis) -> None:
        self.shown, self.shown_analysis = drawing.number, analysis
        body = self.query_one("#preview-body", Static)
        images = self.query("#preview-image")
        if drawing.image is not None and self.image_widget_class is not None:
            body.display = False
            if images:
                images.first().image = drawing.image
            else:
                self.mount(self.image_widget_class(drawing.image, id="preview-image"))
        else:
            images.remove()
            body.display = True
            body.update(drawing.text)
        self._title(drawing.note)

    def _title(self, note: str) -> None:
        o = self.options
        text = Text.assemble(("Preview ", "bold"), (f"{o.style} · {o.theme}", "cyan"), "  ",
                             (note, "italic"), ("\ns style · t theme · x export", "dim"))
        self.query_one("#preview-title", Static).update(text)

    @property
    def text(self) -> str:
        """The text drawing on screen (plain), for tests."""
        return str(self.query_one("#preview-body", Static).content)


def draw(number: int, analysis: Analysis, options: RenderOptions, image: bool) -> Drawing:
    """Draw ``analysis``: always the text; the PNG too when ``image``. Never raises."""
    try:
        text = diagram_text(analysis, options) if analysis.layers else Text("Nothing to draw yet.")
    except Exception as exc:  # a drawing bug must not take the editor down
        return Drawing(number, Text(f"Cannot draw this graph: {type(exc).__name__}: {exc}", style="red"))
    note = f"✗ {len(analysis.errors)} error(s) marked" if analysis.errors else ""
    if not image or not analysis.layers:
        return Drawing(number, text, note=note)
    try:
        return Drawing(number, text, _picture(analysis, options), note)
    except Exception as exc:  # Graphviz missing or failing: the text drawing instead
        return Drawing(number, text, note=f"image: {type(exc).__name__}: {exc}; text shown")


def _picture(analysis: Analysis, options: RenderOptions):
    """The rendered PNG as a PIL image."""
    import io

    from PIL import Image

    from ...render.api import picture_bytes

    data = picture_bytes(analysis, "png", replace(options, dpi=PREVIEW_DPI))
    return Image.open(io.BytesIO(data))

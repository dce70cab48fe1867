"""Whether this terminal shows images inline (Kitty's graphics protocol or Sixel).

textual-image finds out by asking the terminal, which only works before Textual
starts (Textual then reads every reply itself), and a terminal that does not
answer costs a timeout and may eat a typed-ahead key. So the terminal is asked
only when its environment suggests it can draw images, never inside tmux or
screen (which drop or garble the images), and ``LAYERGRAPH_INLINE_IMAGES=0``
never asks (``=1`` always does). Everywhere else the preview draws text.
"""

from __future__ import annotations

import os
import sys
from typing import Mapping

SETTING = "LAYERGRAPH_INLINE_IMAGES"
GRAPHIC_PROGRAMS = ("wezterm", "iterm.app", "ghostty", "konsole", "mlterm", "foot", "contour")


def image_widget_class():
    """The textual-image widget class to show images with, or None for the text preview.

    Call it before the editor starts (see the module docs).
    """
    setting = os.environ.get(SETTING, "auto").strip().lower()
    if setting in ("0", "off", "no", "never"):
        return None
    if not (sys.__stdout__ and sys.__stdout__.isatty() and sys.__stdin__ and sys.__stdin__.isatty()):
        return None
    if setting not in ("1", "on", "yes", "always") and not suggests_images(os.environ):
        return None
    try:  # importing it asks the terminal
        from textual_image import renderable
        from textual_image.widget import Image
    except Exception:  # not installed (the tui extra brings it), or the terminal did not answer
        return None
    if renderable.Image not in (renderable.SixelImage, renderable.TGPImage):
        return None  # half-cell blocks are no better than the text drawing
    return Image


def suggests_images(env: Mapping[str, str]) -> bool:
    """True when the environment names a terminal that draws inline images."""
    if env.get("TMUX") or env.get("STY") or env.get("TERM", "").startswith(("screen", "tmux")):
        return False
    if env.get("KITTY_WINDOW_ID") or "kitty" in env.get("TERM", ""):
        return True
    names = " ".join(env.get(k, "") for k in ("TERM", "TERM_PROGRAM", "LC_TERMINAL")).lower()
    return any(program in names for program in GRAPHIC_PROGRAMS) or bool(env.get("KONSOLE_VERSION"))

"""Escape followed quickly by another key reaches the editor as two keys, Escape first.

A terminal without the kitty keyboard protocol (tmux, the Linux console, most
xterm settings) sends Escape as the single byte ESC, and Alt+key as ESC then the
key. Textual's parser resolves the ambiguity by timing: ESC then another byte
within ``ESCDELAY`` (100 ms) is read as one key. Typed fast, Escape then Ctrl+S
became a bare Ctrl+S (the Escape vanished, focus stayed in the field being
edited and the next letters were typed into it), Escape then ``r`` became
Alt+R (no binding: both keys lost), Escape then Tab became Shift+Tab, and
Escape then ``f``, ``b`` or ``1`` became Ctrl+Right, Ctrl+Left or ``¡`` (macOS
Option mappings).

The editor binds no Alt keys, so here ESC followed by anything that does not
start a control sequence (``[``, ``O``, ``]``, ``P``, ``_``, ``^``, which carry
arrows, mouse, focus and terminal replies) is always Escape and then that key.
Terminals with the kitty protocol (which Textual enables where offered) never
send the ambiguous form.
"""

from __future__ import annotations

import sys
from typing import Iterable

from textual import events
from textual._xterm_parser import XTermParser  # Textual is pinned (pyproject): a private class

ESC = "\x1b"
SEQUENCE_INTRODUCERS = frozenset("[O]P_^")  # CSI, SS3, OSC, DCS, APC, PM


class EscapeFirstParser(XTermParser):
    """Textual's terminal parser, reading an ESC-prefixed key as Escape plus the key."""

    def _sequence_to_key_events(self, sequence: str, alt: bool = False) -> Iterable[events.Key]:
        if alt:  # the parser gave up on ESC + key and asks for "Alt+key"
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence)
            return
        if len(sequence) >= 2 and sequence[0] == ESC and sequence[1] not in SEQUENCE_INTRODUCERS:
            yield events.Key("escape", ESC)
            yield from super()._sequence_to_key_events(sequence[1:])
            return
        yield from super()._sequence_to_key_events(sequence)


def install(driver_class: type) -> type:
    """Make ``driver_class`` read keys with :class:`EscapeFirstParser`; returns it.

    Textual's drivers look ``XTermParser`` up in their own module when the input
    thread starts, so rebinding that name there is the one place to change
    (idempotent; a driver without a parser, as in tests, is left alone).
    """
    module = sys.modules[driver_class.__module__]
    if getattr(module, "XTermParser", None) is XTermParser:
        module.XTermParser = EscapeFirstParser
    return driver_class

"""The objects that live as long as the editor stay out of the cyclic collector's walks.

With DenseNet201 (709 layers) open, about 450,000 objects exist: Textual, the widgets,
the analysis, the rendered cells. Each edit leaves enough new long-lived objects that
every second edit Python's oldest-generation collection walked all of them again,
~330 ms in the middle of an edit: the screen then showed it after 340–450 ms instead
of 70. ``gc.freeze()`` once the first screen is up moves what exists then into the
permanent generation, so a full collection walks only what was made since (~80 ms;
over 30 edits, the 90th percentile of an edit's key-to-screen time 339 → 183 ms and
the slowest 451 → 201 ms).

What is frozen is released when the editor closes, so that what it leaves behind can
be collected (the tests open hundreds of editors in one process). If something else
has frozen objects already (a pre-forking server), nothing is done: unfreezing would
release its objects too.
"""

from __future__ import annotations

import gc


class StartupFreeze:
    """Freezes the objects that exist at :meth:`freeze` until :meth:`release`."""

    def __init__(self) -> None:
        self.frozen = False

    def freeze(self) -> None:
        if not self.frozen and gc.get_freeze_count() == 0:
            gc.freeze()
            self.frozen = True

    def release(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

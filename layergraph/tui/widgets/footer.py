"""The footer: rebuilt only when the keys it shows change.

Textual's Footer recomposes (removes its keys and mounts new ones: styles applied,
a layout of the screen) every time the screen says its bindings were updated, which
it does on every focus change and every refresh_bindings, whether or not what the
footer shows changed. Opening the editor recomposed it three or four times with the
same nine keys, and e, Escape and Tab each did again. Here a recompose that would
show the same keys as the last one is skipped.
"""

from __future__ import annotations

from textual.widgets import Footer


class SteadyFooter(Footer):
    """A Footer that keeps its keys while the bindings it would show are the same."""

    _composed: tuple | None = None  # what the keys now mounted show

    def _shown(self) -> tuple | None:
        """Everything Footer.compose reads to build its keys (Textual 8.2.8), or None before
        the bindings are ready (compose then shows nothing)."""
        if not self._bindings_ready:
            return None
        app = self.app
        active = self.screen.active_bindings
        keys = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action,
             binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in active.values() if binding.show
        )
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        if palette is not None:
            _, binding, enabled, tooltip = palette
            palette = (binding.key, app.get_key_display(binding), binding.description,
                       binding.action, enabled, tooltip, binding.tooltip)
        return keys, palette, self.show_command_palette, app.ENABLE_COMMAND_PALETTE, self.compact

    async def recompose(self) -> None:
        shown = self._shown()
        if shown is not None and shown == self._composed:
            return
        self._composed = shown
        await super().recompose()

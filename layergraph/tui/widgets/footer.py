"""The footer: rebuilt only when the keys it shows change.

Textual's Footer recomposes (removes its keys and mounts new ones: styles applied,
a layout of the screen) every time the screen says its bindings were updated, which
it does on every focus change and every refresh_bindings, whether or not what the
footer shows changed. Opening the editor recomposed it three or four times with the
same nine keys, and e, Escape and Tab each did again. Here a recompose that would
show the same keys as the last one is skipped.

When the keys do change (every move between the table and the form), Textual removes
them all and mounts new ones, a frame later (``call_after_refresh``). Where the keys
already mounted can show the new ones (the table's keys are the most the editor shows),
they are relabelled in place at once instead: nothing is removed or mounted.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class SteadyFooter(Footer):
    """A Footer that keeps its keys while the bindings it would show are the same, and
    relabels them in place when they change."""

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

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen and self._relabel():
            return
        super().bindings_changed(screen)  # more keys than mounted, or groups: a recompose

    def _relabel(self) -> bool:
        """Show the screen's keys with the FooterKeys already mounted; False if they cannot."""
        shown = self._shown()
        if shown is None or self._composed is None:
            return False
        if shown == self._composed:
            return True
        keys, palette, show_palette, palette_enabled, _compact = shown
        wanted = _first_per_action(keys)
        if wanted is None or any(not isinstance(child, FooterKey) for child in self.children):
            return False  # grouped keys: Footer's own compose lays them out
        mounted = [key for key in self.children if not key.has_class("-command-palette")]
        palette_keys = [key for key in self.children if key.has_class("-command-palette")]
        palette_shown = palette is not None and show_palette and palette_enabled
        if len(wanted) > len(mounted) or len(palette_keys) != int(palette_shown):
            return False
        for widget, (key, display, description, action, enabled, tooltip) in zip(mounted, wanted):
            _show_key(widget, key, display, description, action, enabled, tooltip)
        for widget in mounted[len(wanted):]:
            widget.display = False
        if palette_shown:
            key, display, description, action, enabled, tooltip, binding_tooltip = palette
            _show_key(palette_keys[0], key, display, description, action, enabled,
                      binding_tooltip or description)
        self.styles.grid_size_columns = len(wanted)  # as Footer.compose sets it
        self._composed = shown
        self.refresh(layout=True)
        return True


def _first_per_action(keys: tuple) -> list[tuple] | None:
    """The keys Footer.compose shows: the first binding of each action, in order; None if a
    binding is in a group (compose draws groups differently)."""
    first: dict[str, tuple] = {}
    for key, display, description, action, group, enabled, tooltip in keys:
        if group is not None:
            return None
        first.setdefault(action, (key, display, description, action, enabled, tooltip))
    return list(first.values())


def _show_key(widget: FooterKey, key: str, display: str, description: str, action: str,
              enabled: bool, tooltip: str) -> None:
    """What FooterKey's constructor sets, set on a mounted one."""
    widget.key, widget.key_display, widget.description, widget.action = key, display, description, action
    widget._disabled = not enabled
    widget.set_class(not enabled, "-disabled")
    widget.tooltip = tooltip or None
    widget.display = True
    widget.refresh(layout=True)


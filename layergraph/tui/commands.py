"""Every editor command in one table: key bindings, the command palette and the help screen.

Keys avoid what terminals confuse: ctrl+m is Enter, ctrl+i is Tab, ctrl+h is
Backspace, ctrl+j is a newline; and what text inputs use (app keys with ctrl take
priority over them): ctrl+a/e/d/k/u/w/x/c/v.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    action: str  # an action of the app ("add_after" → EditorApp.action_add_after)
    title: str  # shown in the palette and the help screen
    help: str
    keys: str = ""  # Textual key names, comma-separated; "" = palette only
    footer: str = ""  # short footer label; "" = not shown in the footer
    scope: str = "app"  # "app": anywhere (ctrl keys); "table"/"preview": when that pane has focus
    group: str = "Edit"
    needs_valid: bool = False  # disabled (with the reason) while the graph has errors


COMMANDS: tuple[Command, ...] = (
    Command("add_after", "Add layer after", "Insert a layer after the selected one", "a", "Add",
            scope="table"),
    Command("add_before", "Add layer before", "Insert a layer before the selected one", "A",
            scope="table"),
    Command("delete", "Delete layer", "Delete the selected layer or block use (asks if others use it; "
            "in a block use, from the block or the whole use)", "d,delete", "Delete", scope="table"),
    Command("duplicate", "Duplicate layer", "Insert a renamed copy after the selected layer (in a block "
            "use: in the block)", "c", scope="table"),
    Command("move_up", "Move layer up", "Swap the selected layer with the one above (in a block use: "
            "inside the block)", "K,shift+up", scope="table"),
    Command("move_down", "Move layer down", "Swap the selected layer with the one below (in a block use: "
            "inside the block)", "J,shift+down", scope="table"),
    Command("rename", "Rename layer", "Rename the selected layer; references follow", "r", "Rename",
            scope="table"),
    Command("edit_inputs", "Rewire inputs", "Edit the inputs of the selected layer (comma-separated)",
            "i", scope="table"),
    Command("edit_params", "Edit parameters", "Move to the parameter form of the selected layer",
            "e,enter", "Edit", scope="table"),
    Command("undo", "Undo", "Undo the last edit", "ctrl+z", "Undo"),
    Command("redo", "Redo", "Redo the edit undone last", "ctrl+y"),
    Command("rename_graph", "Rename graph", "Change the name of the graph (the model)"),
    Command("describe_graph", "Describe graph", "Change the description of the graph"),
    # Blocks and the graph's inputs and outputs (block_actions).
    Command("select_rows", "Select layers", "Start or stop selecting a run of layers (then ↑/↓) to make a "
            "block of", "V", scope="table", group="Blocks"),
    Command("make_block", "Make block", "Replace the selected layers by a use of a new block made of them",
            "b", scope="table", group="Blocks"),
    Command("inline_block", "Inline block use", "Replace the selected block use by the block's layers "
            "(the block goes when no use is left)", "I", scope="table", group="Blocks"),
    Command("toggle_output", "Toggle output", "Make the selected layer an output of the graph, or no "
            "longer one", "o", scope="table", group="Blocks"),
    Command("set_outputs", "Set outputs…", "Name the outputs of the graph (comma-separated)", "O",
            scope="table", group="Blocks"),
    Command("add_input", "Add input…", "Add a model input: its name, then its shape", group="Blocks"),
    Command("set_input_shape", "Set input shape…", "Change the shape of the selected model input",
            group="Blocks"),
    Command("save", "Save", "Save the spec (atomic; keeps the file's layout)", "ctrl+s", "Save",
            group="File"),
    Command("save_as", "Save as…", "Save the spec under another name", "S", scope="table", group="File"),
    Command("open", "Open…", "Open another spec file", "ctrl+o", group="File"),
    Command("quit", "Quit", "Leave the editor (asks if there are unsaved changes)", "ctrl+q", "Quit",
            group="File"),
    Command("render", "Render diagram", "Draw the graph with Graphviz into a PNG beside the spec",
            "ctrl+r", group="Graph", needs_valid=True),
    Command("compile", "Compile with Keras", "Build the Keras model in the background and compare counts",
            "ctrl+b", group="Graph", needs_valid=True),
    Command("export", "Export…", "Write a .keras model, a .py script, a markdown summary or a PNG/SVG/PDF "
            "diagram", "x", scope="table", group="Graph"),
    # Not in the footer: at 80 columns it would push Help out.
    Command("preview", "Preview diagram", "Show or hide the diagram beside the table (it follows every edit)",
            "ctrl+g", group="Graph"),
    Command("preview_style", "Preview style", "Draw the preview in the next style: graph, blocks, volumes",
            "s", scope="preview", group="Graph"),
    Command("preview_theme", "Preview theme", "Draw the preview in the next theme: light, dark, print",
            "t", scope="preview", group="Graph"),
    Command("show_json", "Show JSON", "Show the JSON that a save would write", "v", scope="table",
            group="Graph"),
    Command("find", "Find layer", "Find a layer by name or type (part of it, any case)", "slash",
            scope="table", group="View"),
    Command("find_next", "Find next", "Go to the next layer matching the last search", "n",
            scope="table", group="View"),
    Command("find_previous", "Find previous", "Go to the previous layer matching the last search", "N",
            scope="table", group="View"),
    Command("toggle_inspector", "Zoom the table", "Hide or show the inspector (the table gets the width)",
            "z", scope="table", group="View"),
    Command("focus_problems", "Go to problems", "Move to the problems list", "p", scope="table",
            group="View"),
    Command("help", "Help", "Show every key", "question_mark,f1", "Help", group="View"),
)

BY_ACTION = {c.action: c for c in COMMANDS}


def bindings(scope: str) -> list[Binding]:
    """Textual bindings for one scope (app bindings take priority over text inputs)."""
    found = []
    for command in COMMANDS:
        if command.scope != scope or not command.keys:
            continue
        action = command.action if scope == "app" else f"app.{command.action}"
        priority = scope == "app" and command.keys.startswith("ctrl")
        found.append(Binding(command.keys, action, command.footer or command.title,
                             show=bool(command.footer), priority=priority))
        if command.needs_valid:  # the same key explains why it is disabled
            found.append(Binding(command.keys, f"explain_disabled('{command.action}')", show=False,
                                 priority=priority))
    return found


def key_text(keys: str) -> str:
    """How keys are written for people: ``ctrl+s`` → ``Ctrl+S``, ``question_mark`` → ``?``."""
    names = {"question_mark": "?", "delete": "Del", "enter": "Enter", "shift+up": "Shift+↑",
             "shift+down": "Shift+↓", "f1": "F1", "slash": "/"}
    out = []
    for key in keys.split(","):
        if key in names:
            out.append(names[key])
        elif key.startswith("ctrl+"):
            out.append("Ctrl+" + key[5:].upper())
        else:
            out.append(key)
    return " / ".join(out)


def markdown_reference() -> str:
    """The key reference of the README, from this table (a test keeps the two in sync)."""
    lines = ["| key | command | where |", "|---|---|---|"]
    where = {"table": "layer table", "app": "anywhere", "preview": "diagram preview"}
    for command in COMMANDS:
        keys = " / ".join(f"`{k}`" for k in key_text(command.keys).split(" / ")) if command.keys else "palette"
        lines.append(f"| {keys} | {command.title}: {command.help[0].lower() + command.help[1:]} | "
                     f"{where[command.scope] if command.keys else 'Ctrl+P'} |")
    return "\n".join(lines)

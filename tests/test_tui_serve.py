"""`layergraph edit SPEC --serve`: the editor in a browser (textual-serve, headless Chromium),
and clear errors for what cannot be served."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from layergraph.cli import app as cli
from layergraph.cli.serve import editor_command, is_loopback, public_url

runner = CliRunner()

# Generous: Chromium and the editor start slowly on a loaded 2-core machine.
START_TIMEOUT = 120
STOP_TIMEOUT = 60

# Distinctive names, so finding them on the page can only mean the layer table is shown.
LAYER_NAMES = ["projector_conv", "projector_pool", "classroom_flatten", "classroom_logits"]
SPEC = {
    "format": "layergraph/1",
    "name": "Projector_demo",
    "inputs": [{"name": "slide", "shape": [28, 28, 1]}],
    "layers": [
        {"name": "projector_conv", "type": "Conv2D", "filters": 8, "kernel_size": 3, "activation": "relu"},
        {"name": "projector_pool", "type": "MaxPooling2D", "pool_size": 2},
        {"name": "classroom_flatten", "type": "Flatten"},
        {"name": "classroom_logits", "type": "Dense", "units": 10},
    ],
}

# Runs in the page before its scripts: keeps the xterm.js Terminal that textual-serve's page
# makes (`this.terminal = new Terminal(...)`), so the test can read the text it displays
# (the terminal draws on a canvas; there is no text in the DOM).
CAPTURE_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && !window.__layergraphTerminal) window.__layergraphTerminal = value;
  },
});
"""
# The rows the terminal shows now, as text.
SCREEN_TEXT = """
const term = window.__layergraphTerminal;
if (!term) return null;
const buffer = term.buffer.active, rows = [];
for (let y = 0; y < term.rows; y++) {
  const line = buffer.getLine(buffer.viewportY + y);
  rows.push(line ? line.translateToString(true) : "");
}
return rows.join("\\n");
"""


def serve_args(*args) -> list[str]:
    result = runner.invoke(cli, ["edit", *map(str, args)])
    print(result.output)
    return result


# --- the command, the host, the errors (no browser) -------------------------------------


@pytest.mark.parametrize("name", ["plain.json", "my net.json", "it's \"quoted\" $HOME `x`.json"])
def test_the_session_command_runs_this_editor_on_the_same_file_whatever_its_name(tmp_path, name):
    path = tmp_path / name
    assert shlex.split(editor_command(path)) == ["exec", sys.executable, "-m", "layergraph", "edit", str(path)]


def test_the_session_command_names_the_file_absolutely(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert shlex.split(editor_command(Path("net.json")))[-1] == str(tmp_path / "net.json")


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.5", False),
                                            ("lecture-hall", False)])
def test_only_this_machine_s_addresses_count_as_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_an_ipv6_address_is_bracketed_in_the_url():
    assert public_url("::1", 8000) == "http://[::1]:8000"
    assert public_url("127.0.0.1", 8080) == "http://127.0.0.1:8080"


def test_serving_on_every_interface_gives_a_url_other_machines_can_open():
    assert public_url("0.0.0.0", 8000) == f"http://{socket.gethostname()}:8000"


def test_a_port_in_use_is_a_clear_error(tmp_path):
    spec = write_spec(tmp_path / "net.json")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve_args(spec, "--serve", "--port", port)
    assert result.exit_code == 1 and f"port {port} is in use" in result.output
    assert "Traceback" not in result.output


def test_a_port_out_of_range_is_a_usage_error(tmp_path):
    result = serve_args(write_spec(tmp_path / "net.json"), "--serve", "--port", 70000)
    assert result.exit_code == 2 and "not a port number" in result.output


def test_without_textual_serve_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # import fails as if not installed
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.delitem(sys.modules, "layergraph.cli.serve_server", raising=False)
    result = serve_args(write_spec(tmp_path / "net.json"), "--serve")
    assert result.exit_code == 1 and "pip install 'layergraph[tui]'" in result.output


def test_serving_a_missing_spec_says_how_to_create_it(tmp_path):
    result = serve_args(tmp_path / "new.json", "--serve")
    assert result.exit_code == 2 and "does not exist" in result.output
    assert f"layergraph edit {tmp_path / 'new.json'}" in result.output.replace("\n", "")
    assert not (tmp_path / "new.json").exists()


def test_a_spec_that_is_not_json_is_refused_before_serving(tmp_path):
    spec = tmp_path / "broken.json"
    spec.write_bytes(b"\xff\xfe not text")
    result = serve_args(spec, "--serve")
    assert result.exit_code == 1 and "not UTF-8" in result.output and "Traceback" not in result.output


def test_port_and_host_without_serve_are_a_usage_error(tmp_path):
    result = serve_args(write_spec(tmp_path / "net.json"), "--port", 8001)
    assert result.exit_code == 2 and "only apply with --serve" in result.output


def test_serving_with_a_template_is_refused(tmp_path):
    result = serve_args(tmp_path / "new.json", "--serve", "--template", "alexnet")
    assert result.exit_code == 2 and "--serve edits an existing spec" in result.output


def test_serving_a_folder_lists_its_specs(tmp_path):
    write_spec(tmp_path / "net.json")
    result = serve_args(tmp_path, "--serve")
    assert result.exit_code == 2 and "net.json" in result.output


# --- in a browser ------------------------------------------------------------------------


def write_spec(path: Path) -> Path:
    path.write_text(json.dumps(SPEC, indent=2), encoding="utf-8")
    return path


def free_port() -> int:
    """A port nobody listens on now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, poll: float = 0.2):
    """Poll ``condition`` until it returns something truthy (returned) or ``timeout`` passes (None)."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            return None
        time.sleep(poll)  # a polling interval, not a guess at how long anything takes
    return value


def wait_for(condition, timeout: float, what: str, poll: float = 0.2):
    """``wait_until``, failing the test (saying ``what``) on a timeout."""
    value = wait_until(condition, timeout, poll)
    if not value:
        pytest.fail(f"timed out after {timeout} s waiting for {what}")
    return value


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def group_is_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@contextmanager
def served_editor(spec: Path, port: int, log: Path):
    """Run `layergraph edit SPEC --serve` in its own process group; stop it with Ctrl+C after."""
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "layergraph", "edit", str(spec), "--serve",
                                   "--port", str(port)], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        wait_for(lambda: server.poll() is not None or accepts_connections(port), START_TIMEOUT,
                 "the server to accept connections")
        assert server.poll() is None, f"the server exited:\n{log.read_text()}"
        yield server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)  # Ctrl+C reaches the whole foreground group
        try:
            server.wait(STOP_TIMEOUT)
        finally:
            server.leaked = not wait_until(lambda: group_is_gone(server.pid), STOP_TIMEOUT)
            if server.leaked:
                os.killpg(server.pid, signal.SIGKILL)


@contextmanager
def headless_chromium():
    """A Selenium-driven headless Chromium from Debian's packages (no driver download)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900",
                 "--no-first-run", "--disable-extensions"):
        options.add_argument(flag)
    options.page_load_strategy = "eager"
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        driver.set_page_load_timeout(START_TIMEOUT)
        driver.set_script_timeout(30)
        # The page asks Google for a web font; this machine may have no network to wait for.
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*fonts.googleapis.com*"]})
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CAPTURE_TERMINAL})
        yield driver
    finally:
        driver.quit()


def needs_a_browser():
    """Skip (saying why) unless textual-serve, Selenium, Chromium and its driver are installed."""
    pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'layergraph[tui]')")
    pytest.importorskip("selenium", reason="Selenium is not installed (pip install 'layergraph[dev]')")
    missing = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver)")


def read_layer_table(browser, port: int, log: Path) -> str:
    """Open the served page and wait until its terminal shows the layer table; its text."""
    browser.get(f"http://127.0.0.1:{port}/?fontsize=12")
    seen = [""]  # the last screen read, to show if the table never appears

    def table_shown():
        seen[0] = browser.execute_script(SCREEN_TEXT) or ""
        return all(name in seen[0] for name in LAYER_NAMES) and seen[0]

    screen = wait_until(table_shown, START_TIMEOUT, poll=0.5)
    assert screen, (f"no layer table on the page after {START_TIMEOUT} s; the terminal showed:\n"
                    f"{seen[0]}\nthe server said:\n{log.read_text()}")
    print(screen)
    return screen


def assert_stopped_cleanly(server, log: Path, port: int) -> None:
    output = log.read_text()
    print(output)
    assert server.returncode == 0, output  # Ctrl+C stopped it cleanly
    assert f"at http://127.0.0.1:{port}" in output and "Traceback" not in output
    assert not server.leaked, "an editor session outlived the server"


@pytest.mark.slow
def test_the_served_editor_shows_the_layer_table_in_a_browser(tmp_path):
    needs_a_browser()
    spec = write_spec(tmp_path / "it's my net.json")  # a name the session command must quote
    port, log = free_port(), tmp_path / "serve.log"
    with headless_chromium() as browser:
        with served_editor(spec, port, log) as server:
            screen = read_layer_table(browser, port, log)
            assert "Projector_demo" in screen and "it's my net.json" in screen
            assert "Conv2D" in screen and "Dense" in screen
        # Ctrl+C with the page still open: its session ends, and the page says so.
        wait_for(lambda: "-closed" in browser.find_element("tag name", "body").get_attribute("class"),
                 STOP_TIMEOUT, "the page to show that the session ended")
    assert_stopped_cleanly(server, log, port)


@pytest.mark.slow
def test_ctrl_c_just_after_the_page_closes_ends_its_session_cleanly(tmp_path):
    needs_a_browser()
    spec = write_spec(tmp_path / "net.json")
    port, log = free_port(), tmp_path / "serve.log"
    with served_editor(spec, port, log) as server:
        with headless_chromium() as browser:
            read_layer_table(browser, port, log)
        # The browser is gone; its editor is still quitting when Ctrl+C arrives.
    assert_stopped_cleanly(server, log, port)

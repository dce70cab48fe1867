"""`layergraph edit SPEC --serve`: the editor in a web browser, through textual-serve.

textual-serve runs a shell command per browser session and relays its terminal over a
websocket to xterm.js in the page; the command is this same editor on the same file.
textual-serve is imported only when serving (``serve_server``).
"""

from __future__ import annotations

import errno
import ipaddress
import shlex
import socket
import sys
from pathlib import Path

from .output import fail

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def editor_command(spec: Path) -> str:
    """The shell command a browser session runs: this Python's editor on ``spec``, quoted safely."""
    # An absolute path: the command must name the same file whatever the session's folder.
    # `exec`: the shell becomes the editor, so ending the session's process ends the editor.
    return "exec " + shlex.join([sys.executable, "-m", "layergraph", "edit", str(spec.resolve())])


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (``localhost``, 127.x.x.x, ``::1``)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name other than localhost
        return False


def public_url(host: str, port: int) -> str:
    """The address a browser opens (and the page's websocket connects to) for ``host:port``."""
    if host in ("0.0.0.0", "::", ""):  # every interface: other machines reach it by our name
        host = socket.gethostname()
    elif ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return f"http://{host}:{port}"


def check_port_free(host: str, port: int) -> None:
    """Fail with a clear message when ``host:port`` cannot be bound, before the server starts.

    textual-serve prints its banner before it binds, and a bind failure surfaces as a
    traceback from aiohttp; this probe turns the common cases into one line.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        fail(f"cannot serve on {host}: {exc.strerror}", code=2)
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # The same option aiohttp binds with, so a port in TIME_WAIT is not reported as taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            fail(_bind_message(host, port, exc))


def _bind_message(host: str, port: int, exc: OSError) -> str:
    """One line for a failed bind: the port taken, not allowed, or the address not ours."""
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is in use on {host}; pick another with --port"
    if exc.errno == errno.EACCES:
        return f"not allowed to serve on port {port} (ports below 1024 need root); pick another with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot serve on {host}: it is not an address of this machine"
    return f"cannot serve on {host}:{port}: {exc.strerror or exc}"


def serve_editor(spec: Path, host: str, port: int) -> None:
    """Serve the editor on ``spec`` at ``http://host:port`` until Ctrl+C."""
    try:
        from .serve_server import EditorServer
    except ImportError:
        fail("--serve needs textual-serve: pip install 'layergraph[tui]'")
    if not 0 < port < 65536:
        fail(f"--port {port} is not a port number (1–65535)", code=2)
    check_port_free(host, port)
    url = public_url(host, port)
    warning = None if is_loopback(host) else (
        f"warning: {host} is reachable from other machines; anyone who opens the page can edit and save files as you")
    server = EditorServer(editor_command(spec), host=host, port=port, url=url, title=f"layergraph edit {spec.name}",
                          start_line=f"Serving the editor on {spec} at {url}  (Ctrl+C stops)", warning=warning)
    try:
        server.serve()
    except OSError as exc:  # lost a race for the port after the probe
        fail(_bind_message(host, port, exc))

"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per session.

The server runs from this project's environment (``sys.executable``) on a free loopback port
with a random token, and serves a temporary copy of ``notebooks/`` (JupyterLab autosaves, so
the committed notebooks are never touched).  Its settings, workspaces, runtime files and
kernels all live in that temporary directory, which is removed at the end of the session,
after the kernels and the server have been stopped (also when tests fail).

Chromium is the system one (Debian package ``chromium``), driven by Python Playwright with
``executable_path``; Playwright's own browser download is never used.  Without a Chromium the
browser tests are skipped with a one-line explanation, unless ``BROWSER_TESTS=required``
(set by ``.ci/run``), in which case a missing browser is an error.
"""

import contextlib
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The notebooks under test; overridable only to test these tests on a throwaway notebook.
NOTEBOOKS = pathlib.Path(os.environ.get("BROWSER_TESTS_NOTEBOOKS", ROOT / "notebooks"))
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"  # full-page screenshots of the last run, git-ignored
REQUIRED = os.environ.get("BROWSER_TESTS", "").strip().lower() == "required"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# JupyterLab settings for the test server: render every cell (no windowing), so that
# off-screen cells are in the DOM, and no news or update checks (there is no network).
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
}


def find_chromium():
    """The system Chromium: ``$CHROMIUM`` when set, else ``chromium``/``chromium-browser`` on PATH."""
    if os.environ.get("CHROMIUM"):
        candidates = [os.environ["CHROMIUM"]]
    else:
        candidates = [shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def unavailable_reason():
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -r requirements.txt)"
    if find_chromium() is None:
        where = f"at CHROMIUM={os.environ['CHROMIUM']}" if os.environ.get("CHROMIUM") else "on PATH"
        return f"no Chromium found {where} (install the Debian package chromium, or set CHROMIUM=/path/to/chromium)"
    return None


_SKIPPED = {}


def pytest_collection_modifyitems(config, items):
    reason = unavailable_reason()
    if reason is None or REQUIRED:
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))
            _SKIPPED[item.nodeid] = reason


def pytest_terminal_summary(terminalreporter):
    try:
        import browser_measure
    except ImportError:
        browser_measure = None
    for line in (browser_measure.summary_lines() if browser_measure else []):
        terminalreporter.write_line(line)
    if _SKIPPED:
        reason = next(iter(_SKIPPED.values()))
        terminalreporter.write_line(f"{len(_SKIPPED)} browser tests skipped: {reason}")


# --------------------------------------------------------------------------- the server


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """A running JupyterLab: ``url``, ``token``, ``root`` (the temporary copy of the notebooks)."""

    def __init__(self, workdir):
        self.workdir = pathlib.Path(workdir)
        self.root = self.workdir / "notebooks"
        self.runtime = self.workdir / "runtime"
        self.log_path = self.workdir / "server.log"
        self.token = secrets.token_hex(16)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def api(self, method, path, timeout=10):
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines=40):
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def start(self):
        shutil.copytree(NOTEBOOKS, self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = self.workdir / "settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = dict(os.environ)
        env.update({
            "JUPYTER_CONFIG_DIR": str(self.workdir / "config"),
            "JUPYTER_DATA_DIR": str(self.workdir / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.runtime),
            "IPYTHONDIR": str(self.workdir / "ipython"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        })
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
            "--ServerApp.terminals_enabled=False", "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # A safety net should pytest itself be killed before its finalizers run: idle kernels
            # are culled, and a server with no kernels and no activity exits, after 10 minutes.
            "--MappingKernelManager.cull_idle_timeout=600", "--MappingKernelManager.cull_interval=60",
            "--ServerApp.shutdown_no_activity_timeout=600",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # CI containers run as root
            command.append("--allow-root")
        self.log_file = open(self.log_path, "w")  # noqa: SIM115 -- closed in stop()
        self.process = subprocess.Popen(
            command, cwd=self.root, env=env, stdin=subprocess.DEVNULL, stdout=self.log_file,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with code {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
                self.api("GET", "/api/status", timeout=2)
                return self
            time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer on {self.url} within 90 s:\n{self.log_tail()}")

    def shutdown_sessions(self, path=None):
        """Stop the kernels of every session (or only of the notebook ``path``)."""
        with contextlib.suppress(OSError, urllib.error.URLError, ValueError):
            for session in self.api("GET", "/api/sessions"):
                if path is None or session.get("path") == path:
                    self.api("DELETE", f"/api/sessions/{session['id']}")

    def _kernel_pids(self):
        """Processes started with a connection file in our runtime dir: our kernels, nothing else."""
        pids = []
        marker = str(self.runtime).encode()
        for entry in pathlib.Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    if marker in (entry / "cmdline").read_bytes():
                        pids.append(int(entry.name))
        return pids

    def stop(self):
        if self.process is None:
            return
        self.shutdown_sessions()
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)  # the server shuts its kernels down
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):  # stragglers of the server's own group
            os.killpg(self.process.pid, signal.SIGKILL)
        if os.path.isdir("/proc"):  # kernels run in sessions of their own: find them by connection file
            for pid in self._kernel_pids():
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
        self.log_file.close()
        self.process = None


# Module scope: the server, and Playwright's event loop (which runs in the main thread while it is open,
# so later tests would see a running asyncio loop), are gone before the other test files run.
@pytest.fixture(scope="module")
def lab_server():
    reason = unavailable_reason()
    if reason is not None:  # only reached when BROWSER_TESTS=required
        pytest.fail(f"BROWSER_TESTS=required, but {reason}", pytrace=False)
    workdir = tempfile.mkdtemp(prefix="backprop-browser-tests-")
    server = LabServer(workdir)
    try:
        yield server.start()
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def artifacts():
    """The screenshot directory, emptied of the previous run's screenshots."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):
        old.unlink()
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser(lab_server):
    from playwright.sync_api import Error as playwright_error
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=find_chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            with contextlib.suppress(playwright_error):  # already gone after an interrupt
                chromium.close()


@pytest.fixture
def page(browser, lab_server):
    """A fresh browser context and page for one notebook, closed after the test."""
    context = browser.new_context(viewport={"width": 1000, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.problems = []  # uncaught page errors, reported with a failing assertion
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("console", lambda message: message.type == "error" and page.problems.append(f"console: {message.text}"))
    try:
        yield page
    finally:
        from playwright.sync_api import Error as playwright_error

        with contextlib.suppress(playwright_error):  # already gone after an interrupt
            context.close()

"""Every notebook in a real JupyterLab in headless Chromium: Run All, then check what a learner sees.

For each ``notebooks/NN_*.ipynb`` (a temporary copy, served by the session's JupyterLab):
open it, clear the outputs, Run All and wait for the kernel to go idle; then assert that

- no cell raised and nothing was written to stderr (in the notebook model and in the page);
- every widget output rendered (no "Error displaying widget", no stuck "Loading widget...");
- moving the notebook's first slider (with the keyboard) changes the figure of that demo
  (the ``<img>`` of its cell gets a new ``src``) within a few seconds;
- dragging every slider with the mouse updates its figure during the drag, then settles on a
  full-quality figure of the final values with at most one older figure in between (no
  backlog), shown at 2× pixel density; a Play button plays to the last step and pauses with
  the slider and the figure in sync.  The timings (``browser_measure``) are printed as a table
  at the end and written to ``tests/browser/artifacts/interaction.json``; the targets of
  issue 16 are reported there, not asserted (the machine's load moves them).

A full-page screenshot after the slider move goes to ``tests/browser/artifacts/`` (git-ignored);
with ``BROWSER_SCREENSHOTS=update`` a small screenshot of the demo cell is also written to
``docs/screenshots/`` (the images the README shows).

Run only these:  .venv/bin/python -m pytest -m browser tests/browser
"""

import contextlib
import io
import os
import pathlib
import re
import time

import browser_measure
import pytest

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # conftest.py skips these tests (or fails them under BROWSER_TESTS=required)
    PlaywrightError = PlaywrightTimeout = TimeoutError

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The notebooks under test (the same setting as in conftest.py; overridden only to test these tests).
NOTEBOOKS = pathlib.Path(os.environ.get("BROWSER_TESTS_NOTEBOOKS", ROOT / "notebooks"))

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SCREENSHOTS = ROOT / "docs" / "screenshots"
UPDATE_SCREENSHOTS = os.environ.get("BROWSER_SCREENSHOTS", "").strip().lower() == "update"
RUN_ALL_SECONDS = 120  # one notebook's Run All; each is meant to take well under 10 s
WIDGET_SECONDS = 20  # widget views to render after the run
FIGURE_SECONDS = 10  # a slider move to reach the figure
ANSI = re.compile(r"\x1b\[[0-9;]*m")

NOTEBOOK_READY = """(path) => {
    const app = window.jupyterapp;
    const panel = app && app.shell.currentWidget;
    const kernel = panel && panel.context && panel.context.path === path && panel.content
        && panel.sessionContext && panel.sessionContext.session && panel.sessionContext.session.kernel;
    return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""

RUN_ALL = """async (seconds) => {
    const app = window.jupyterapp;
    const panel = app.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
    await app.commands.execute('notebook:clear-all-cell-outputs');
    const timeout = new Promise((resolve, reject) => setTimeout(
        () => reject(new Error(`Run All did not finish within ${seconds} s`)), seconds * 1000));
    return await Promise.race([app.commands.execute('notebook:run-all-cells'), timeout]);
}"""

KERNEL_IDLE = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const busyPrompts = [...panel.content.node.querySelectorAll('.jp-InputArea-prompt')]
        .filter(prompt => prompt.textContent.includes('*'));
    return !!kernel && kernel.status === 'idle' && busyPrompts.length === 0;
}"""

# After the run: per code cell, a summary of each output in the notebook model and, for
# widget outputs, of what the page rendered for it (the output area's child of the same index).
OUTPUTS = """(widgetMime) => {
    const cells = [];
    window.jupyterapp.shell.currentWidget.content.widgets.forEach((cell, index) => {
        if (cell.model.type !== 'code') return;
        const area = cell.outputArea;
        const outputs = area.model.toJSON().map((output, number) => {
            const text = output.text === undefined ? '' : [].concat(output.text).join('');
            const summary = {
                type: output.output_type, name: output.name || '', text: text.slice(0, 500),
                ename: output.ename || '', evalue: (output.evalue || '').slice(0, 300),
                traceback: [].concat(output.traceback || []).join('\\n').slice(-1500),
                mimes: Object.keys(output.data || {}), shown: null,
            };
            const child = area.widgets[number];
            const node = child && (child.node.querySelector('.jp-OutputArea-output') || child.node);
            if (node && summary.mimes.includes(widgetMime)) {
                summary.shown = {
                    text: node.textContent.slice(0, 200),
                    views: node.querySelectorAll('.jupyter-widgets').length,
                    errorViews: node.querySelectorAll('.jupyter-widgets-error-widget').length,
                    height: Math.round(node.getBoundingClientRect().height),
                };
            }
            return summary;
        });
        cells.push({index, source: cell.model.sharedModel.getSource().slice(0, 120), outputs});
    });
    return cells;
}"""

# What the page shows anywhere in the notebook: stderr/error outputs and widget messages.
PAGE_TEXT = """() => {
    const node = window.jupyterapp.shell.currentWidget.content.node;
    const stderr = [...node.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(element => element.textContent.slice(0, 500));
    const text = node.textContent;
    return {stderr, errorDisplaying: text.includes('Error displaying widget'), loading: text.includes('Loading widget'),
            errorViews: node.querySelectorAll('.jupyter-widgets-error-widget').length};
}"""

WIDGETS_SETTLED = """() => !window.jupyterapp.shell.currentWidget.content.node.textContent.includes('Loading widget')"""

FIGURE_SRC = """(cell) => {
    const image = cell.querySelector('.jp-OutputArea-output[data-mime-type="image/png"] img')
        || cell.querySelector('.jp-OutputArea-output img');
    return image ? image.getAttribute('src') : null;
}"""

FIGURE_CHANGED = """([cell, before]) => {
    const image = cell.querySelector('.jp-OutputArea-output[data-mime-type="image/png"] img')
        || cell.querySelector('.jp-OutputArea-output img');
    return !!image && image.getAttribute('src') !== before;
}"""


def _describe(outputs_by_cell, predicate):
    found = []
    for cell in outputs_by_cell:
        for output in cell["outputs"]:
            if predicate(output):
                detail = output["text"] or f"{output['ename']}: {output['evalue']}\n{output['traceback']}"
                detail = ANSI.sub("", detail)
                found.append(f"cell {cell['index']} ({cell['source'].splitlines()[0] if cell['source'] else ''!r}): "
                             f"{output['type']} {output['name']}\n{detail.strip()}")
    return found


def _save_docs_screenshot(cell, path):
    """A small PNG of the demo cell (sliders, figure, status line) for the README."""
    from PIL import Image

    # Hide the cell toolbar and the selection bar: they are editing chrome, not the demo.
    style = ".jp-cell-toolbar, .jp-Collapser { visibility: hidden !important; }"
    image = Image.open(io.BytesIO(cell.screenshot(animations="disabled", style=style))).convert("RGB")
    image = image.quantize(colors=64, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)


def _wait(page, script, message, seconds, arg=None):
    """Wait until ``script`` is true in the page; a timeout fails the test with ``message``."""
    try:
        page.wait_for_function(script, arg=arg, timeout=seconds * 1000, polling=100)
    except PlaywrightTimeout as error:
        raise AssertionError(f"{message} (waited {seconds} s){_problems(page)}") from error


def _problems(page):
    return "".join(f"\n  {problem}" for problem in page.problems[:10])


def _move_slider(page, handle):
    """Move a noUiSlider handle a few steps (PageUp, or PageDown at its maximum) and release it."""
    before = handle.get_attribute("aria-valuenow")
    at_max = before == handle.get_attribute("aria-valuemax")
    handle.focus()
    page.keyboard.press("PageDown" if at_max else "PageUp")
    if handle.get_attribute("aria-valuenow") == before:  # no keyboard focus: drag it instead
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x - 40 if at_max else x + 40, y, steps=5)
        page.mouse.up()
    return before, handle.get_attribute("aria-valuenow")


IMAGE_SIZE = """(cell) => {
    const image = cell.querySelector('.jp-OutputArea-output[data-mime-type="image/png"] img');
    return image && {natural: image.naturalWidth, shown: image.getBoundingClientRect().width,
                     width: Number(image.getAttribute('width'))};
}"""


CELL_OF = "xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' jp-Cell ')][1]"


def _drag_every_slider_and_play(page, name):
    """Drag every slider of the notebook, press every Play button: the figure follows the handle,
    the final values are drawn in full after the release, and nothing queues up.  The timings go
    to the session's table (browser_measure)."""
    handles = page.locator(".jp-Notebook .noUi-handle")
    problems = []
    time.sleep(browser_measure.QUIET_SECONDS)  # let the first slider's move settle
    for index in range(handles.count()):
        handle = handles.nth(index)
        cell = handle.locator(CELL_OF)
        slider = handle.locator("xpath=ancestor::div[contains(@class,'widget-slider')][1]")
        label = slider.locator(".widget-label").first.inner_text().strip() or f"slider {index}"
        result = browser_measure.drag_slider(page, handle, cell)
        browser_measure.record({"kind": "slider", "notebook": name, "control": label, **result})
        where = f"{name}, slider {label!r} ({result['first']} → {result['last']})"
        text = cell.inner_text()
        if "Could not update the figure" in text or "Traceback" in text:
            problems.append(f"{where}: the status line reports a failure: {text.strip().splitlines()[-1]!r}")
        if result["moves"] < 3:
            problems.append(f"{where}: the drag moved the slider only {result['moves']} times")
        elif result["updates"] < 1:  # with continuous_update=False none arrive before the release
            problems.append(f"{where}: no figure arrived during the drag (not live)")
        if result["final_kind"] != "full":
            problems.append(f"{where}: the last figure after the release is {result['final_kind']!r}, not 'full'")
        if result["stale_after_release"] is not None and result["stale_after_release"] > 1:
            problems.append(f"{where}: {result['stale_after_release']} figures of older values arrived after the "
                            "release (a backlog; at most the one change in flight is expected)")
        size = page.evaluate(IMAGE_SIZE, cell.element_handle())
        # 2× density: twice the pixels of its 1× width, shown at that width (or narrower, if the
        # notebook column is narrower: JupyterLab scales images down to fit)
        if not size or abs(size["natural"] - 2 * size["width"]) > 2 or size["shown"] > size["width"] + 1:
            problems.append(f"{where}: the figure is not shown at half its pixel width (2× density): {size}")
    for index in range(page.locator(".jp-Notebook .widget-play").count()):
        player = page.locator(".jp-Notebook .widget-play").nth(index)
        box = player.locator("xpath=ancestor::div[contains(@class,'widget-hbox')][1]")
        handle = box.locator(".noUi-handle").first
        cell = player.locator(CELL_OF)
        label = box.locator(".widget-label").first.inner_text().strip()
        result = browser_measure.play(page, cell, handle)
        browser_measure.record({"kind": "play", "notebook": name, "control": label, **result})
        low, high = (int(float(v)) for v in result["range"])
        where = f"{name}, Play of {label!r}"
        if float(result["reached"]) != high or result["steps_shown"][-1:] != [high]:
            problems.append(f"{where}: playing did not reach the last step {high}: {result}")
        if len(result["steps_shown"]) < result["expected_frames"] // 2:
            problems.append(f"{where}: only {len(result['steps_shown'])} of the {result['expected_frames']} steps "
                            f"of {low}..{high} (step {result['step']:g}) were drawn while playing: "
                            f"{result['steps_shown']}")
        if result["paused_at"] != result["still"]:
            problems.append(f"{where}: the slider kept moving after pause ({result['paused_at']} → {result['still']})")
        shown = (result["final_values"] or {}).get(result["name"] or label)  # keyed by update's argument name
        if shown is None or float(shown) != float(result["still"]) or result["final_kind"] != "full":
            problems.append(f"{where}: after the pause the figure does not show the slider's step: {result}")
    browser_measure.save()
    assert not problems, "\n".join(problems) + _problems(page)


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")), ids=lambda path: path.stem)
def test_notebook_runs_and_its_demo_responds(notebook, lab_server, page, artifacts):
    name = notebook.name
    try:
        page.goto(f"{lab_server.url}/lab/tree/{name}?reset&token={lab_server.token}")
        _wait(page, NOTEBOOK_READY, f"{name}: the notebook did not open with an idle kernel; server log:\n"
              f"{lab_server.log_tail(15)}", 60, arg=name)
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # more room for the notebook

        # Run All from a clean slate, and wait until every cell has finished.
        completed = page.evaluate(RUN_ALL, RUN_ALL_SECONDS)
        _wait(page, KERNEL_IDLE, f"{name}: the kernel did not go idle after Run All", 30)
        try:  # widget views render asynchronously after the run
            page.wait_for_function(WIDGETS_SETTLED, timeout=WIDGET_SECONDS * 1000, polling=200)
        except PlaywrightTimeout:
            pass  # reported by the assertions below
        outputs = page.evaluate(OUTPUTS, WIDGET_MIME)
        shown = page.evaluate(PAGE_TEXT)

        errors = _describe(outputs, lambda o: o["type"] == "error" or (o["type"] == "stream" and o["name"] == "stderr"))
        assert not errors, f"{name}: error or stderr output after Run All:\n" + "\n\n".join(errors)
        assert completed, f"{name}: Run All reported a failed cell{_problems(page)}"
        assert not shown["stderr"], f"{name}: the page shows error/stderr output:\n" + "\n".join(shown["stderr"])

        # Widgets: every widget output of the run rendered as a live view, without error.
        for cell in outputs:
            for output in cell["outputs"]:
                if WIDGET_MIME in output["mimes"]:
                    rendered = output["shown"]
                    assert rendered and rendered["views"] > 0 and rendered["height"] > 10 and not (
                        rendered["errorViews"] or "Error displaying widget" in rendered["text"]
                        or "Loading widget" in rendered["text"]
                    ), f"{name}: the widget output of cell {cell['index']} did not render: {rendered}{_problems(page)}"
        assert not shown["errorDisplaying"], f"{name}: the page shows 'Error displaying widget'{_problems(page)}"
        assert not shown["errorViews"], f"{name}: the page shows a widget error ('Click to show javascript error')"
        assert not shown["loading"], f"{name}: a widget is stuck at 'Loading widget...' after {WIDGET_SECONDS} s"

        # The first slider: move it, and the figure of its demo must change within a few seconds.
        handles = page.locator(".jp-Notebook .noUi-handle")
        assert handles.count() > 0, f"{name}: no slider found; every notebook should have a live demo"
        cell = page.locator(".jp-Notebook .jp-Cell").filter(has=page.locator(".noUi-handle")).first
        cell_element = cell.element_handle()
        handles.first.scroll_into_view_if_needed()
        figure = page.evaluate(FIGURE_SRC, cell_element)
        assert figure, f"{name}: the cell of the first slider shows no figure"
        moved = time.monotonic()
        old, new = _move_slider(page, handles.first)
        assert new != old, f"{name}: the first slider did not move (value {old})"
        try:
            page.wait_for_function(FIGURE_CHANGED, arg=[cell_element, figure],
                                   timeout=FIGURE_SECONDS * 1000, polling=100)
        except PlaywrightTimeout as error:
            raise AssertionError(
                f"{name}: moving the first slider from {old} to {new} did not change its figure within "
                f"{FIGURE_SECONDS} s; the cell's last line reads {cell.inner_text().strip().splitlines()[-1]!r}"
                f"{_problems(page)}") from error
        print(f"{name}: figure updated {time.monotonic() - moved:.2f} s after moving the first slider")
        assert "Could not update the figure" not in cell.inner_text(), f"{name}: the demo's update failed"

        _drag_every_slider_and_play(page, name)

        cell.scroll_into_view_if_needed()
        if UPDATE_SCREENSHOTS:
            _save_docs_screenshot(cell, SCREENSHOTS / f"{notebook.stem}.png")
    finally:
        with contextlib.suppress(PlaywrightError):  # the browser may be gone after an interrupt
            page.screenshot(path=str(artifacts / f"{notebook.stem}.png"))
        lab_server.shutdown_sessions(name)

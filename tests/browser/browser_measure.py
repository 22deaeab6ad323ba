"""How the demos respond in the browser: drag every slider, press every Play button, time it.

Each figure a demo publishes carries a PNG comment (``Demo._publish``) naming what it shows:
``{"frame": n, "kind": "live" | "full", "values": {...}}``.  A MutationObserver in the page
records every new figure of the demo's cell with its arrival time (``performance.now()``), so
the measurements below count real figures on the screen, and know which values each shows.

Per slider, a 20-step mouse drag over 1.2 s (60 ms a step, about 70 % of the track):

- ``updates``: new figures that arrived during the drag; ``moves``: drag steps that changed the
  slider's value (an int slider with few values changes on fewer steps);
- ``settle_ms``: from the mouse release to the figure of the final values (0 when it arrived
  before the release); ``full_ms``: to the full-quality figure drawn after the debounce;
- ``stale_after_release``: figures of older values that arrived after the release (the backlog:
  the one change in flight at most).

Per Play control: frames per second while playing, steps shown (against the frames expected
from the slider's range and step), and the pause.

Results go to ``tests/browser/artifacts/interaction.json`` and a table printed at the end.
"""

import json
import os
import pathlib
import statistics
import time

RESULTS = []  # one dict per slider or Play control, in the order measured
ARTIFACT = pathlib.Path(__file__).resolve().parent / "artifacts" / "interaction.json"

DRAG_STEPS = 20
DRAG_SECONDS = 1.2
QUIET_SECONDS = 0.6  # no new figure for this long after the full-quality one: settled
SETTLE_TIMEOUT = 8.0

# Watch one cell: every new figure <img src> is recorded with its time and its PNG comment.
WATCH = """([cell, key]) => {
    const comment = (src) => {
        if (!src || !src.startsWith('data:image/png;base64,')) return null;
        const bytes = atob(src.slice(22, 22 + 4096));
        const at = bytes.indexOf('tEXtComment\\u0000');
        if (at < 4) return null;
        const length = ((bytes.charCodeAt(at - 4) << 24) | (bytes.charCodeAt(at - 3) << 16)
                        | (bytes.charCodeAt(at - 2) << 8) | bytes.charCodeAt(at - 1)) >>> 0;
        try { return JSON.parse(bytes.slice(at + 12, at + 4 + length)); } catch (e) { return null; }
    };
    const image = () => cell.querySelector('.jp-OutputArea-output[data-mime-type="image/png"] img');
    const log = {frames: [], down: null, up: null, last: image() ? image().getAttribute('src') : null};
    window[key] && window[key].observer.disconnect();
    const record = () => {
        const img = image();
        const src = img && img.getAttribute('src');
        if (src && src !== log.last) {
            log.last = src;
            const meta = comment(src) || {};
            log.frames.push({t: performance.now(), frame: meta.frame, kind: meta.kind, values: meta.values, ms: meta.ms,
                             render: meta.render, sent: meta.sent, arrived: Date.now(),
                             naturalWidth: img.naturalWidth, width: img.getAttribute('width')});
        }
    };
    log.observer = new MutationObserver(record);
    log.observer.observe(cell, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
    log.onDown = () => { log.down = performance.now(); };
    log.onUp = () => { log.up = performance.now(); };
    window[key] = log;
    return true;
}"""

MARK_INPUT = """(key) => {
    const log = window[key];
    document.addEventListener('pointerdown', log.onDown, {capture: true, once: true});
    document.addEventListener('pointerup', log.onUp, {capture: true, once: true});
}"""

READ = """(key) => {
    const log = window[key];
    return {frames: log.frames, down: log.down, up: log.up, now: performance.now()};
}"""

STOP = """(key) => { window[key] && window[key].observer.disconnect(); delete window[key]; }"""

PLAY_STATE = """(cell) => {
    const button = cell.querySelector('.widget-play button');
    const icon = button && button.querySelector('i');
    return icon ? icon.className : '';
}"""


def _wait_quiet(page, key, since, need_full=True):
    """Wait until a full-quality figure arrived after ``since`` and nothing new for QUIET_SECONDS."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        log = page.evaluate(READ, key)
        later = [f for f in log["frames"] if f["t"] > since]
        if later and (not need_full or later[-1]["kind"] == "full") \
                and log["now"] - later[-1]["t"] > QUIET_SECONDS * 1000:
            return log
        time.sleep(0.05)
    return page.evaluate(READ, key)


def drag_slider(page, handle, cell, key="__demoWatch"):
    """Drag one slider 20 steps and return its measurements (see the module docstring)."""
    handle.scroll_into_view_if_needed()
    track = handle.locator("xpath=ancestor::div[contains(@class,'noUi-base')]").bounding_box()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    room_right = track["x"] + track["width"] - x
    direction = 1 if room_right > track["width"] / 2 else -1
    distance = 0.7 * track["width"]
    element = cell.element_handle()
    page.evaluate(WATCH, [element, key])
    page.evaluate(MARK_INPUT, key)
    before = handle.get_attribute("aria-valuenow")
    values = [before]
    page.mouse.move(x, y)
    page.mouse.down()
    started = time.monotonic()
    for step in range(1, DRAG_STEPS + 1):
        page.mouse.move(x + direction * distance * step / DRAG_STEPS, y)
        values.append(handle.get_attribute("aria-valuenow"))
        pause = started + step * DRAG_SECONDS / DRAG_STEPS - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    page.mouse.up()
    log = _wait_quiet(page, key, since=0)
    page.evaluate(STOP, key)
    moves = sum(1 for a, b in zip(values, values[1:]) if a != b)
    return _summarise(log, moves, values)


def _summarise(log, moves, values):
    frames, down, up = log["frames"], log["down"], log["up"]
    if up is None or not frames:
        return {"updates": 0, "moves": moves, "settle_ms": None, "full_ms": None, "stale_after_release": None,
                "final_kind": None, "frames": len(frames), "first": values[0], "last": values[-1]}
    during = [f for f in frames if down is not None and down <= f["t"] <= up]
    final = frames[-1]
    # the first figure showing the final values after which no figure of other values arrived
    first_final = len(frames) - 1
    while first_final > 0 and frames[first_final - 1]["values"] == final["values"]:
        first_final -= 1
    after = [f for f in frames if f["t"] > up]
    kernel = [f["ms"] for f in during if f.get("ms") is not None]
    return {
        "kernel_ms": statistics.median(kernel) if kernel else None,
        "renders": [(f["render"], f["ms"]) for f in during],
        # publish → on the page, and on the page → the next frame's render starting in the kernel
        "delivery_ms": _median([f["arrived"] - f["sent"] for f in during if f.get("sent")]),
        "turnaround_ms": _median([b["sent"] - b["ms"] - a["arrived"] for a, b in zip(during, during[1:])
                                  if a.get("sent") and b.get("sent")]),
        "updates": len(during),
        "moves": moves,
        "settle_ms": max(0.0, frames[first_final]["t"] - up),
        "full_ms": max(0.0, final["t"] - up),
        "stale_after_release": sum(1 for f in after if f["values"] != final["values"]),
        "final_kind": final["kind"],
        "frames": len(frames),
        "natural_width": final["naturalWidth"],
        "width": final["width"],
        "first": values[0],
        "last": values[-1],
    }


SLIDER_STEP = """(handle) => {
    const target = handle.closest('.noUi-target');
    const options = target && target.noUiSlider && target.noUiSlider.options;
    const step = options && Number(options.step);
    return step > 0 ? step : 1;
}"""

PLAY_FPS_FLOOR = 10  # the target: a Play slower than this may time out of the wait below
PLAY_MARGIN_SECONDS = 4.0


def play_plan(low, high, step, fps=PLAY_FPS_FLOOR, margin=PLAY_MARGIN_SECONDS):
    """The frames a Play from ``low`` to ``high`` in steps of ``step`` should show (the values after
    the start: low + step, low + 2·step, … up to high) and how long to wait for them: their count
    at ``fps`` frames per second, plus ``margin`` seconds."""
    low, high, step = float(low), float(high), float(step)
    frames = int(round((high - low) / step)) if step > 0 and high > low else 0
    return frames, frames / fps + margin


def _wait_until(page, key, since, high, handle, seconds):
    """Wait until the slider shows ``high`` and a full-quality figure of it arrived, then QUIET_SECONDS
    without a new figure (the settled frame), or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        log = page.evaluate(READ, key)
        later = [f for f in log["frames"] if f["t"] > since]
        at_end = handle.get_attribute("aria-valuenow") is not None \
            and float(handle.get_attribute("aria-valuenow")) == float(high)
        if at_end and later and later[-1]["kind"] == "full" and log["now"] - later[-1]["t"] > QUIET_SECONDS * 1000:
            return log
        time.sleep(0.05)
    return page.evaluate(READ, key)


def play(page, cell, slider_handle, key="__demoPlay"):
    """Stop (back to the first step), play to the end, then play again and pause midway.

    The wait for the end is sized from the slider (its range and step) at the target frame rate,
    plus a margin; ``expected_frames`` counts the steps after the first, respecting the step."""
    buttons = cell.locator(".widget-play button")
    element = cell.element_handle()
    buttons.nth(1).click()  # stop: the first step
    page.evaluate(WATCH, [element, key])
    _wait_quiet(page, key, since=0, need_full=False)
    page.evaluate(STOP, key)
    low, high = slider_handle.get_attribute("aria-valuemin"), slider_handle.get_attribute("aria-valuemax")
    step = page.evaluate(SLIDER_STEP, slider_handle.element_handle())
    expected, seconds = play_plan(low, high, step)

    page.evaluate(WATCH, [element, key])
    clicked = page.evaluate("() => performance.now()")
    buttons.nth(0).click()
    log = _wait_until(page, key, clicked, high, slider_handle, seconds)
    page.evaluate(STOP, key)
    live = [f for f in log["frames"] if f["t"] > clicked and f["kind"] == "live"]
    names = {name for f in live if f["values"] for name in f["values"]}
    varying = [n for n in names if len({json.dumps(f["values"].get(n)) for f in live if f["values"]}) > 1]
    steps_shown = sorted({f["values"][varying[0]] for f in live if f["values"]}) if varying else []
    fps = (len(live) - 1) / ((live[-1]["t"] - live[0]["t"]) / 1000) if len(live) > 2 else None
    kernel = [f["ms"] for f in live if f.get("ms") is not None]
    reached = slider_handle.get_attribute("aria-valuenow")

    # play again (from the end it starts over) and pause after a third of a second
    page.evaluate(WATCH, [element, key])
    buttons.nth(0).click()
    time.sleep(0.35)
    buttons.nth(0).click()
    paused_at = slider_handle.get_attribute("aria-valuenow")
    log = _wait_quiet(page, key, since=0)
    page.evaluate(STOP, key)
    time.sleep(0.3)
    still = slider_handle.get_attribute("aria-valuenow")
    final = log["frames"][-1] if log["frames"] else {}
    return {
        "fps": fps, "frames": len(live), "expected_frames": expected, "step": step, "waited_s": round(seconds, 1),
        "kernel_ms": statistics.median(kernel) if kernel else None,
        "name": varying[0] if varying else None, "steps_shown": steps_shown, "range": (low, high), "reached": reached,
        "paused_at": paused_at, "still": still, "final_values": final.get("values"), "final_kind": final.get("kind"),
    }


def record(row):
    """Keep one measurement, with the machine's load average when it was taken."""
    RESULTS.append({**row, "load": round(os.getloadavg()[0], 2)})


def save():
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(RESULTS, indent=1, default=str))


def summary_lines():
    """The table printed at the end of the session, and the aggregate against the targets."""
    if not RESULTS:
        return []
    lines = ["", "demo responsiveness in the browser (20-step drag over 1.2 s; Play):",
             f"{'notebook':10s} {'control':22s} {'updates/moves':>13s} {'settle ms':>9s} {'full ms':>8s} "
             f"{'stale':>5s}  {'fps':>5s} {'kernel ms':>9s}"]
    sliders = [r for r in RESULTS if r["kind"] == "slider"]
    for r in RESULTS:
        if r["kind"] == "slider":
            settle = "-" if r["settle_ms"] is None else f"{r['settle_ms']:.0f}"
            full = "-" if r["full_ms"] is None else f"{r['full_ms']:.0f}"
            lines.append(f"{r['notebook'][:10]:10s} {r['control'][:22]:22s} {r['updates']:>6d}/{r['moves']:<6d} "
                         f"{settle:>9s} {full:>8s} {r['stale_after_release']!s:>5s}  {'':>5s} {_ms(r):>9s}")
        else:
            fps = "-" if r["fps"] is None else f"{r['fps']:.1f}"
            shown = f"{r['frames']}/{r.get('expected_frames', '?')}"
            lines.append(f"{r['notebook'][:10]:10s} {'▶ ' + r['control'][:20]:22s} {shown:>13s} "
                         f"{'frames':>9s} {'':>8s} {'':>5s}  {fps:>5s} {_ms(r):>9s}")
    if sliders:
        per20 = [per_20_steps(r) for r in sliders]
        settles = [r["settle_ms"] for r in sliders if r["settle_ms"] is not None]
        fulls = [r["full_ms"] for r in sliders if r["full_ms"] is not None]
        lines.append(
            f"{len(sliders)} sliders: new figures per 20 drag steps median {statistics.median(per20):.1f} "
            f"(target ≥ 15), slowest {min(per20):.1f} (target ≥ 10); final values shown "
            f"{statistics.median(settles):.0f} ms after release, median (target ≤ 100), full quality "
            f"{statistics.median(fulls):.0f} ms")
    loads = [r["load"] for r in RESULTS if "load" in r]
    if loads:
        lines.append(f"machine load average (1 min) while measuring: {min(loads):.1f}–{max(loads):.1f} "
                     f"on {os.cpu_count()} cores")
    plays = [r for r in RESULTS if r["kind"] == "play" and r["fps"]]
    if plays:
        lines.append("Play: " + ", ".join(f"{r['notebook'][:2]} {r['control']} {r['fps']:.1f} fps" for r in plays)
                     + " (target ≥ 10)")
    return lines


def _median(values):
    return statistics.median(values) if values else None


def _ms(row):
    return "-" if row.get("kernel_ms") is None else f"{row['kernel_ms']:.0f}"


def per_20_steps(row):
    """New figures during the drag per 20 value-changing steps (capped at 20)."""
    moves = max(1, row["moves"])
    return min(20.0, 20.0 * row["updates"] / moves)

"""The demo pattern: sliders, Demo.set/sweep_extremes, status on failure, notebook 00's demo."""

import re

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from backprop_helpers import Demo, choice, int_slider, log_slider, new_figure, slider, stops_slider
from backprop_helpers.course.nb00 import tangent_demo


def make_demo(update=None):
    fig, ax = new_figure()
    (line,) = ax.plot([0, 1], [0, 1])

    def default_update(w=1.0, eta=0.1, steps=3):
        line.set_data([0, 1], [0, w])
        return f"w = {w:.2f}, η = {eta:.3g}, steps = {steps}"

    controls = {
        "w": slider("w", -2, 2, 1.0),
        "eta": log_slider("η", 1e-3, 10, 0.1),
        "steps": int_slider("steps", 0, 10, 3),
    }
    return Demo(fig, update or default_update, controls), line


def test_sliders_are_labelled_and_log_scaled():
    s = log_slider("η", 1e-3, 10, 0.1)
    assert isinstance(s, ipywidgets.FloatLogSlider)
    assert (s.min, s.max, s.base, s.description) == (-3, 1, 10, "η")
    assert s.value == pytest.approx(0.1)
    assert slider("w", -3, 3, 0.5).description == "w"
    assert choice("f", ["a", "b"]).value == "a"


def test_a_stops_slider_spaces_its_values_evenly_and_sweeps_them_by_position():
    widths = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32]
    s = stops_slider("hidden width", widths, 8)
    assert isinstance(s, ipywidgets.SelectionSlider) and s.continuous_update is True
    assert (s.description, s.value, s.index, list(s.options)) == ("hidden width", 8, 5, widths)
    fig, _ = new_figure("single")
    demo = Demo(fig, lambda width: f"width {width}", {"width": s})
    # positions 0, 1/4, 1/2, 3/4 and 1 of the track (indices 0, 2, 4.5 -> 4, 7, 9), and the current value
    assert demo.control_values("width", 5) == [1, 3, 6, 8, 16, 32]
    assert [value for _, value, _ in demo.sweep_extremes()] == [1, 8, 32]
    plt.close(fig)
    with pytest.raises(ValueError, match="values must increase"):
        stops_slider("w", [1, 4, 2], 1)
    with pytest.raises(ValueError, match=r"value be one of them; got \[1, 2, 4\], 3"):
        stops_slider("w", [1, 2, 4], 3)
    with pytest.raises(TypeError, match="values must be a list of 2 or more"):
        stops_slider("w", [4], 4)
    with pytest.raises(TypeError, match=r"values\[1\] must be a whole number"):
        stops_slider("w", [1, 2.5], 1)
    with pytest.raises(TypeError, match="label must be text"):
        stops_slider(None, [1, 2], 1)


def test_slider_arguments_are_checked():
    with pytest.raises(ValueError, match="min must be below max"):
        slider("w", 1, 0, 0.5)
    with pytest.raises(ValueError, match="value must lie in"):
        slider("w", 0, 1, 2)
    with pytest.raises(ValueError, match="min must be positive"):
        log_slider("η", 0, 1, 0.5)
    with pytest.raises(ValueError, match="max must be a finite number"):
        slider("w", 0, float("inf"), 0.5)
    with pytest.raises(ValueError, match="is not one of"):
        choice("f", ["a"], "b")


def test_set_runs_update_once_and_moves_artists():
    calls = []
    demo, line = make_demo()
    original = demo.update

    def counting(**values):
        calls.append(values)
        return original(**values)

    demo.update = counting
    status = demo.set(w=-1.5, steps=7)
    assert len(calls) == 1
    assert status == "w = -1.50, η = 0.1, steps = 7"
    assert list(line.get_ydata()) == [0, -1.5]
    with pytest.raises(ValueError, match="'v' is not a control"):
        demo.set(v=1)
    plt.close(demo.fig)


def test_sweep_extremes_visits_min_default_max_in_order():
    demo, _ = make_demo()
    results = demo.sweep_extremes()
    assert [(name, round(value, 6)) for name, value, _ in results] == [
        ("w", -2), ("w", 1.0), ("w", 2), ("eta", 0.001), ("eta", 0.1), ("eta", 10.0),
        ("steps", 0), ("steps", 3), ("steps", 10),
    ]
    plt.close(demo.fig)


def test_sweep_extremes_fails_on_numpy_warnings():
    def overflowing(w=1.0, eta=0.1, steps=3):
        return f"{np.exp(np.float64(1000.0) * eta):.2f}"

    demo, _ = make_demo(overflowing)
    with pytest.raises(FloatingPointError):
        demo.sweep_extremes()
    plt.close(demo.fig)


def test_a_failing_update_becomes_a_message_not_a_traceback():
    def broken(w=1.0, eta=0.1, steps=3):
        raise ZeroDivisionError("division by zero")

    demo, _ = make_demo(broken)
    assert demo.refresh().startswith("Could not update the figure for these values (ZeroDivisionError")
    plt.close(demo.fig)


def test_demo_rejects_bad_arguments():
    fig, _ = new_figure()
    with pytest.raises(TypeError, match="update must be a function"):
        Demo(fig, None, {"w": slider("w", 0, 1, 0.5)})
    with pytest.raises(TypeError, match="controls must be a non-empty dict"):
        Demo(fig, lambda: "", {})
    plt.close(fig)


def test_notebook_00_tangent_demo_at_extremes():
    demo = tangent_demo()
    results = demo.sweep_extremes()
    statuses = {(name, value): status for name, value, status in results}
    assert statuses[("x0", -3.0)] == "f(x) = x² at x₀ = -3.00: f(x₀) = 9.000, slope f′(x₀) = -6.000"
    assert statuses[("curve", "sin x")] == "f(x) = sin x at x₀ = 1.00: f(x₀) = 0.841, slope f′(x₀) = 0.540"
    assert statuses[("curve", "sigmoid")].endswith("f(x₀) = 0.731, slope f′(x₀) = 0.197")
    # the tangent drawn really has the slope reported
    demo.set(x0=2.0, curve="x²")
    plot = demo.fig.axes[0]
    xs, ys = plot.lines[1].get_data()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(4.0)
    plt.close(demo.fig)


def test_render_returns_png_and_freezes_the_layout():
    demo, _ = make_demo()
    first = demo.fig.axes[0].get_position().bounds
    assert demo.render()[:4] == b"\x89PNG"
    after_layout = demo.fig.axes[0].get_position().bounds
    assert after_layout != first  # the first render solved the layout...
    demo.set(w=-2.0)
    demo.render()
    assert demo.fig.axes[0].get_position().bounds == after_layout  # ...and later renders keep it
    plt.close(demo.fig)


def _all_demo_factories():
    from backprop_helpers.course import demo_factories

    return [factory for _, factory in demo_factories()]


@pytest.mark.parametrize("factory", _all_demo_factories(), ids=lambda f: f.__name__)
def test_every_demo_runs_at_every_slider_extreme_without_warnings(factory):
    """Catch-all for every demo in the series, including ones added later: each control at its
    minimum, maximum and default gives a status sentence, with numpy warnings raised as errors."""
    demo = factory()
    results = demo.sweep_extremes()
    assert len(results) >= 2 * len(demo.controls)
    for name, value, status in results:
        assert isinstance(status, str) and status.strip(), (name, value)
        assert not re.search(r"\b(nan|inf)\b", status.lower()), (name, value, status)
    for ax in demo.fig.axes:  # a NaN may break a line on purpose (ReLU′'s jump); inf never belongs
        for line in ax.get_lines():
            xs, ys = (np.asarray(a, dtype=float) for a in line.get_data())
            assert not (np.isinf(xs).any() or np.isinf(ys).any()), "a plotted line holds inf"
            assert xs.size == 0 or np.isfinite(ys).any(), "a plotted line is all NaN"


# ---- live updates, 2× density, Play (issue 16) ----------------------------------------------

def _pixels(png):
    import io

    from PIL import Image as PILImage

    return np.asarray(PILImage.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _comment(png):
    import io
    import json

    from PIL import Image as PILImage

    return json.loads(PILImage.open(io.BytesIO(png)).info["Comment"])


def test_every_slider_updates_while_dragged():
    for control in (slider("w", -1, 1, 0), int_slider("n", 0, 5, 1), log_slider("η", 1e-3, 1, 0.1),
                    stops_slider("width", [1, 2, 4], 2)):
        assert control.continuous_update is True


def test_encode_png_round_trips_rgb_rgba_and_comment():
    from backprop_helpers.plotting.live import encode_png

    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, size=(7, 11, 4), dtype=np.uint8)
    opaque = rgba.copy()
    opaque[..., 3] = 255
    assert (_pixels(encode_png(opaque, 1)) == opaque[..., :3]).all()
    import io

    from PIL import Image as PILImage

    image = PILImage.open(io.BytesIO(encode_png(rgba, 6, comment='{"frame": 3}')))
    assert image.mode == "RGBA" and (np.asarray(image) == rgba).all()
    assert image.info["Comment"] == '{"frame": 3}'


def test_figures_are_rendered_at_twice_the_pixels_and_shown_at_the_1x_size():
    demo = tangent_demo()
    base_dpi = demo.fig.dpi
    png = demo.render()
    width, height = demo.display_size()
    inches = demo.fig.get_size_inches()
    assert (width, height) == tuple(int(round(v)) for v in inches * base_dpi)
    assert _pixels(png).shape[:2] == (2 * height, 2 * width)
    image = demo._image(png)
    assert (image.width, image.height) == (width, height)
    plt.close(demo.fig)


@pytest.mark.parametrize("factory", _all_demo_factories(), ids=lambda f: f.__name__)
def test_every_demo_text_is_at_least_10_px_on_screen(factory):
    from matplotlib.text import Text

    demo = factory()
    base_dpi = demo.fig.dpi
    demo.refresh()
    demo.render()
    sizes = [t.get_fontsize() * base_dpi / 72 for t in demo.fig.findobj(Text) if t.get_text().strip()]
    assert sizes and min(sizes) >= 10 - 1e-6, min(sizes)
    plt.close(demo.fig)


@pytest.mark.parametrize("factory", _all_demo_factories(), ids=lambda f: f.__name__)
def test_every_demo_live_frame_shows_what_a_full_redraw_shows(factory):
    """A live frame (only the moved artists, and what is stacked above them, redrawn over the
    cached background) has the pixels of a full redraw, across each control's range: nothing is
    left behind, nothing is missing, the stacking order is kept, and a change of axis limits or
    ticks falls back to a full draw."""
    from backprop_helpers.plotting.live import DRAFT_DENSITY, PIXEL_DENSITY
    from backprop_helpers.widgets import _spread

    demo = factory()
    demo.refresh()
    demo.render()
    defaults = demo.values()
    for name, control in demo.controls.items():
        for value in _spread(control, 2):  # minimum, default, maximum
            control.value = value  # no observers: update and render by hand, as _redraw does
            demo.refresh()
            live = _pixels(demo.render(live=True))
            demo.density = DRAFT_DENSITY  # the live frame is drawn at DRAFT_DENSITY: a full redraw there
            full = _pixels(demo.render())
            demo.density = PIXEL_DENSITY
            differing = (np.abs(live - full).max(axis=2) > 40).mean()
            assert differing < 0.001, (name, value, f"{100 * differing:.2f} % of the pixels differ")
        control.value = defaults[name]
    plt.close(demo.fig)


def test_live_frames_are_drawn_at_1x_and_the_settled_figure_at_2x_keeping_the_background():
    demo, _ = make_demo()
    full = _pixels(demo.render())
    demo.set(w=0.5)
    live = _pixels(demo.render(live=True))
    assert full.shape[0] == 2 * live.shape[0] and full.shape[1] == 2 * live.shape[1]  # settled: 2×, dragging: 1×
    full_again = _pixels(demo.render())  # the settled figure after a drag: 2× again, and the 1× background ...
    assert full_again.shape == full.shape
    demo.set(w=-0.5)
    blits = demo._blitter.frames["blit"]
    again = _pixels(demo.render(live=True))  # ... is still good for the next drag: no full draw
    assert again.shape == live.shape and demo._blitter.frames["blit"] == blits + 1
    plt.close(demo.fig)


def test_live_frames_redraw_only_what_moved_and_cost_a_fraction_of_a_full_draw():
    import time

    demo = tangent_demo()
    demo.refresh()
    demo.render()
    live, full = [], []
    for x0 in np.linspace(-3, 3, 9):
        demo.controls["x0"].value = float(round(x0, 2))
        demo.refresh()
        started = time.perf_counter()
        demo.render(live=True)
        live.append(time.perf_counter() - started)
        started = time.perf_counter()
        demo.render()
        full.append(time.perf_counter() - started)
    moved = {artist.get_gid() for _, artist in demo._blitter.dynamic}
    assert {"tangent x²", "tangent sin x", "tangent sigmoid"} <= moved
    assert not any(type(artist).__name__ in ("XAxis", "YAxis", "Spine") for _, artist in demo._blitter.dynamic)
    assert demo._blitter.frames["blit"] >= 8  # every live frame after the first build is a blit
    # same process, interleaved, so machine load hits both: a blit is several times cheaper
    assert np.median(live) < 0.5 * np.median(full), (np.median(live), np.median(full))
    plt.close(demo.fig)


def test_a_live_frame_seen_before_is_reused():
    demo, _ = make_demo()
    demo.render()
    first = demo.set(w=0.5)
    demo.refresh()
    png = demo.render(live=True)
    frames = dict(demo._blitter.frames)
    demo.controls["w"].value = -1.0
    demo.refresh()
    demo.render(live=True)
    demo.controls["w"].value = 0.5
    assert demo.refresh() == first
    assert demo.render(live=True) == png and demo.timings[-1][0] == "cached"
    assert demo._blitter.frames["blit"] + demo._blitter.frames["full"] == sum(frames.values()) + 1
    plt.close(demo.fig)


class _Handle:
    def __init__(self):
        self.shown = []

    def update(self, obj):
        self.shown.append(obj)


def test_changes_from_the_browser_are_live_then_settle_in_full_once():
    """Slider changes inside the kernel's event loop: each is drawn live at once; one full-quality
    figure of the final values follows SETTLE_SECONDS after the last change."""
    import asyncio

    from backprop_helpers.plotting import live

    demo, line = make_demo()
    demo.render()
    demo._figure_handle, demo._status_handle = _Handle(), _Handle()
    for control in demo.controls.values():
        control.observe(demo._redraw, names="value")

    async def drag():
        for w in (-1.5, -0.5, 0.5, 1.5):
            demo.controls["w"].value = w
            await asyncio.sleep(0.01)
        await asyncio.sleep(live.SETTLE_SECONDS + 0.2)

    _run_in_own_loop(drag)
    comments = [_comment(image.data) for image in demo._figure_handle.shown]
    assert [c["kind"] for c in comments] == ["live"] * 4 + ["full"]
    assert [c["values"]["w"] for c in comments] == [-1.5, -0.5, 0.5, 1.5, 1.5]
    assert [s.text for s in demo._status_handle.shown][-1] == "w = 1.50, η = 0.1, steps = 3"
    assert list(line.get_ydata()) == [0, 1.5]
    plt.close(demo.fig)


def test_a_failing_live_update_shows_a_message():
    def broken(w=1.0, eta=0.1, steps=3):
        if w > 1:
            raise OverflowError("too large")
        return "ok"

    demo, _ = make_demo(broken)
    demo.render()
    demo._figure_handle, demo._status_handle = _Handle(), _Handle()
    demo.controls["w"].observe(demo._redraw, names="value")
    demo.controls["w"].value = 2.0
    message = "Could not update the figure for these values (OverflowError: too large)"
    assert demo._status_handle.shown[-1].text == message
    plt.close(demo.fig)


def test_a_figure_that_fails_to_draw_after_a_browser_change_shows_a_message():
    import asyncio

    demo, _ = make_demo()
    demo.render()
    demo._figure_handle, demo._status_handle = _Handle(), _Handle()
    demo.controls["w"].observe(demo._redraw, names="value")

    def broken_render(**kwargs):
        raise RuntimeError("the renderer failed")

    demo.render = broken_render

    async def change():
        demo.controls["w"].value = 0.5
        await asyncio.sleep(0.05)

    _run_in_own_loop(change)  # the widget message's handler would log the error with a traceback
    assert demo._status_handle.shown[-1].text == \
        "Could not update the figure for these values (RuntimeError: the renderer failed)"
    with pytest.raises(RuntimeError, match="the renderer failed"):  # from code, the caller sees the error
        demo.set(w=-0.5)
    plt.close(demo.fig)


def test_play_opt_in_animates_the_named_int_slider():
    from backprop_helpers.course.nb02 import backward_replay_demo

    demo = backward_replay_demo()
    rows = demo._control_rows()
    player, step = demo.player, demo.controls["step"]
    assert isinstance(player, ipywidgets.Play) and demo.play == "step"
    assert (player.min, player.max, player.step, player.value) == (step.min, step.max, step.step, step.value)
    assert 1000 / player.interval >= 10  # frames per second
    assert any(isinstance(row, ipywidgets.HBox) and step in row.children and player in row.children for row in rows)
    link = demo.play_link  # kept in sync in the browser, both ways
    assert type(link).__name__ == "Link" and (link.source, link.target) == ((player, "value"), (step, "value"))
    plt.close(demo.fig)
    fig, _ = new_figure()
    with pytest.raises(ValueError, match="'n' is not a control"):
        Demo(fig, lambda w=0.0: "", {"w": slider("w", -1, 1, 0)}, play="n")
    with pytest.raises(TypeError, match="must name an int slider"):
        Demo(fig, lambda w=0.0: "", {"w": slider("w", -1, 1, 0)}, play="w")
    plt.close(fig)


def test_play_frames_are_rendered_ahead_while_the_kernel_idles():
    """After the figure settles, every step the Play button will ask for is rendered in idle time;
    playing then serves each frame from the cache, and the figure is left at the shown values."""
    import asyncio

    from backprop_helpers.course.nb02 import backward_replay_demo

    demo = backward_replay_demo()
    demo._control_rows()
    demo.refresh()
    before = demo.render()

    async def idle():
        demo._prefetch_play()
        await asyncio.sleep(0.05 * 11 + 2)

    _run_in_own_loop(idle)
    step = demo.controls["step"]
    assert len(demo._live_frames) == step.max - step.min + 1
    assert (_pixels(demo.render()) == _pixels(before)).all()  # still the shown values
    for value in (0, 1, 2, 10):
        step.value = value
        demo.refresh()
        demo.render(live=True)
        assert demo.timings[-1][0] == "cached"
    plt.close(demo.fig)


def _run_in_own_loop(coroutine_function):
    """Run a coroutine to its end in a fresh event loop of its own thread, as the kernel's loop would
    run the callbacks: the main thread may already have a loop running (the browser tests' Playwright)."""
    import asyncio
    import threading

    errors = []

    def target():
        try:
            asyncio.run(coroutine_function())
        except BaseException as err:  # re-raised in the test's thread below
            errors.append(err)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def test_idle_time_work_waits_while_a_slider_moves_or_cells_run():
    import time

    from backprop_helpers.plotting import live

    demo, _ = make_demo()
    live._LAST_INPUT[0] = time.monotonic()  # a change from the browser, just now
    assert 0.5 < demo._idle_wait() <= live.QUIET_SECONDS
    live._LAST_INPUT[0] = time.monotonic() - 10 * live.QUIET_SECONDS
    assert demo._idle_wait() == 0
    demo._cells_seen = -1  # the execution count moved since the last look: cells ran
    assert demo._idle_wait() == live.QUIET_SECONDS and demo._idle_wait() == 0
    plt.close(demo.fig)

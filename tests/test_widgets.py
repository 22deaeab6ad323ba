"""The demo pattern: sliders, Demo.set/sweep_extremes, status on failure, notebook 00's demo."""

import re

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from backprop_helpers import Demo, choice, figure_png, int_slider, log_slider, new_figure, slider
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


def test_figure_png_is_a_png():
    demo, _ = make_demo()
    assert figure_png(demo.fig)[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close(demo.fig)


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

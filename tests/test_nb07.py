"""Tests of notebook 07's demo (gradient norms per layer) and its exercise checks."""


import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from backprop_helpers import clip_by_norm
from backprop_helpers.course.nb07 import (
    activation_variance_demo,
    check_nb07_clipped,
    check_nb07_he_variance,
    check_nb07_sigmoid_bound,
    check_nb07_vanishing_depth,
    gradient_norms_demo,
)

VERDICTS = ("vanishing:", "exploding:", "healthy:", "overflowed:")


@pytest.fixture(scope="module")
def demo():
    d = gradient_norms_demo()
    yield d
    matplotlib.pyplot.close(d.fig)


def test_sweep_extremes_gives_a_verdict_for_every_control(demo):
    results = demo.sweep_extremes()
    assert len(results) == 3 + 3 + 3 + 3 + 4
    for name, value, status in results:
        assert status.startswith(VERDICTS), (name, value, status)
    statuses = {(name, value): status for name, value, status in results}
    assert statuses[("depth", 50)].startswith("vanishing: first-layer gradient is 1e-31 of the last")
    assert statuses[("depth", 1)].startswith("healthy: first/last = 1,")
    assert statuses[("gain", 0.1)].startswith("vanishing")
    for architecture in ("residual", "normalised", "residual + normalised"):
        assert statuses[("architecture", architecture)].startswith("healthy"), architecture


@pytest.mark.parametrize("values,start", [
    ({"activation": "relu", "init": "normal", "gain": 1.0, "depth": 50},
     "exploding: every layer's gradient is about 1e+30"),
    ({"activation": "relu", "init": "he", "gain": 1.0, "depth": 50}, "healthy"),
    ({"activation": "tanh", "init": "normal", "gain": 1.0, "depth": 20}, "exploding: first-layer gradient is 1e+05"),
    ({"activation": "tanh", "init": "xavier", "gain": 1.0, "depth": 20}, "healthy"),
    ({"activation": "relu", "init": "normal", "gain": 1.0, "depth": 20, "architecture": "residual + normalised"},
     "healthy"),
])
def test_demo_shows_vanishing_exploding_and_remedies(demo, values, start):
    status = demo.update(**{**demo.defaults(), **values})
    assert status.startswith(start), status


def test_demo_says_overflowed_beyond_float64_without_warnings(demo):
    with np.errstate(all="raise"):
        status = demo.update(depth=50, activation="relu", init="normal", gain=1e7, architecture="plain")
    assert status.startswith("overflowed")
    line = demo.fig.axes[0].lines[0]
    assert len(line.get_xdata()) == 0
    demo.update(**demo.defaults())


def test_depth_slider_moves_the_line_and_stays_finite(demo):
    for depth in (1, 7, 50):
        demo.update(**{**demo.defaults(), "depth": depth})
        line = demo.fig.axes[0].lines[0]
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, depth + 1))
        y = np.asarray(line.get_ydata())
        assert np.isfinite(y).all() and (y > 0).all()
    demo.update(**demo.defaults())


def test_variance_demo_sweep_and_the_variance_argument():
    demo = activation_variance_demo()
    results = demo.sweep_extremes()
    assert len(results) == 3 + 3 + 3 + 3
    statuses = {(name, value): status for name, value, status in results}
    for status in statuses.values():
        assert status.split(":")[0] in ("kept", "growing slowly", "shrinking slowly", "vanishing", "exploding")
    assert statuses[("init", "he")].startswith("kept")
    assert statuses[("init", "normal")].startswith("exploding")     # 64 units, σ_w = 1: ×32 per layer
    assert statuses[("init", "xavier")].startswith("vanishing")     # ReLU with Xavier: ×½ per layer
    assert statuses[("gain", 0.1)].startswith("vanishing") and statuses[("gain", 10.0)].startswith("exploding")
    assert statuses[("depth", 1)] == "kept: Var(z_L)/Var(z_1) = 1 (L = 1, relu, he with gain 1, 64 units)"
    with np.errstate(all="raise"):
        assert demo.update(depth=50, activation="relu", init="normal", gain=1e7).startswith("overflowed")
    assert demo.update(depth=50, activation="tanh", init="xavier", gain=1.0).startswith("shrinking slowly")
    assert "$z_l$" in demo.fig.axes[0].get_title()
    matplotlib.pyplot.close(demo.fig)


def test_variance_demo_flags_saturated_units():
    demo = activation_variance_demo()
    # tanh with σ_w = 1 and 64 units: Var(z) stays constant but near 64·E[a²] ≈ 57, deep in tanh's flat tails
    big = demo.update(depth=50, activation="tanh", init="normal", gain=1.0)
    assert big.startswith("kept: Var(z_L)/Var(z_1) = ") and "(units saturated)" in big
    var_last = float(big.split("Var(z_L) = ")[1].split(" ")[0])
    assert 40 < var_last < 64                      # at most n·σ_w²·max(a²) = 64
    assert "(units saturated)" in demo.update(depth=50, activation="sigmoid", init="normal", gain=1.0)
    for values in ({"activation": "tanh", "init": "xavier"}, {"activation": "relu", "init": "normal"}):
        assert "saturated" not in demo.update(depth=50, gain=1.0, **values), values
    matplotlib.pyplot.close(demo.fig)


def test_quarter_line_legend_names_its_assumption(demo):
    labels = [text.get_text() for text in demo.fig.axes[0].get_legend().get_texts()]
    assert any("×¼ per layer" in label and r"\sigma_w\sqrt{n} = 1" in label for label in labels), labels


@pytest.mark.parametrize("check,right,mistakes", [
    (check_nb07_sigmoid_bound, 0.25 ** 10, [(0.25, "one layer"), (2.5, "multiply"), (0.5 ** 10, "derivative")]),
    (check_nb07_vanishing_depth, 10, [(9, "still above"), (20, "factor ½"), (6 / np.log10(4), "whole number")]),
    (check_nb07_he_variance, 2 / 128, [(1 / 128, "zeroes half"), (2 / 192, "Xavier"),
                                       (np.sqrt(2 / 128), "standard deviation"), (2 / 64, "n_in")]),
    (check_nb07_clipped, [0.6, -0.8, 2.4], [([2.6, -2.6, 2.6], "clipping by value"),
                                            ([3 / 13, -4 / 13, 12 / 13], "norm 1"),
                                            ([3.0, -4.0, 12.0], "scaled down")]),
])
def test_checks(check, right, mistakes):
    assert check(right).correct
    assert repr(check(right)).startswith("✅")
    for wrong, phrase in mistakes:
        feedback = check(wrong)
        assert not feedback.correct and phrase in feedback.message, (wrong, feedback.message)
    for bad in (None, "ten", [1, 2], float("nan")):
        feedback = check(bad)
        assert not feedback.correct and feedback.message
    assert "replace None" in check(None).message


def test_clipped_check_wrong_shape_gets_a_plain_shape_message():
    for wrong in ([[0.6, -0.8, 2.4]], [0.6, -0.8]):
        feedback = check_nb07_clipped(wrong)
        assert not feedback.correct and "shape (3,)" in feedback.message, feedback.message
        assert "axis" not in feedback.message
    assert "expected an array" in check_nb07_clipped("g").message


def test_checks_near_misses_are_not_accepted():
    assert not check_nb07_sigmoid_bound(0.0).correct          # atol must not swallow a tiny expected value
    assert not check_nb07_sigmoid_bound(1e-6 * 1.01).correct
    assert not check_nb07_he_variance(0.0).correct


def test_clipped_answer_agrees_with_clip_by_norm():
    (clipped,), norm = clip_by_norm([np.array([3.0, -4.0, 12.0])], 2.6)
    assert norm == pytest.approx(13.0)
    assert check_nb07_clipped(clipped).correct

"""Tests of notebook 06's demo, exercise checks and network plots."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from backprop_helpers import (
    DecisionBoundaryPlot,
    make_moons,
    make_spiral,
    new_figure,
    plot_decision_boundary,
    plot_layer_shapes,
)
from backprop_helpers.course.nb06 import (
    NB06_EXERCISE,
    check_nb06_bias_gradient,
    check_nb06_dW_shape,
    check_nb06_hidden_delta,
    check_nb06_softmax_gradient,
    moons_training_demo,
)


# ---------------------------------------------------------------- the demo
@pytest.fixture(scope="module")
def demo():
    d = moons_training_demo()
    yield d
    plt.close(d.fig)


def test_sweep_extremes_statuses(demo):
    statuses = {(name, round(float(value), 9)): status for name, value, status in demo.sweep_extremes()}
    assert len(statuses) == 9
    for status in statuses.values():
        assert "nan" not in status.lower()
    # η = 100 never passes the blow-up threshold, but its loss stays above the start: "unstable"
    largest = statuses[("learning_rate", 100.0)]
    assert largest.startswith("unstable: after 500 steps the loss ") and "with η = 100" in largest
    assert "diverged" not in largest and "move the steps slider on" in largest
    # the default settings learn the moons
    default = statuses[("steps", 500)]
    assert default.startswith("after 500 steps: loss E = ")
    assert "training accuracy 100.0%" in default
    assert statuses[("steps", 0)].startswith("after 0 steps")
    # a tiny η barely moves in 500 steps; one hidden unit cannot bend the boundary enough
    tiny = statuses[("learning_rate", 0.001)]
    assert float(tiny.split("loss E = ")[1].split(",")[0]) > 0.5
    one_unit = statuses[("hidden", 1)]
    assert float(one_unit.split("accuracy ")[1].split("%")[0]) < 95


def test_loss_falls_and_status_matches_an_independent_loss(demo):
    status = demo.update(hidden=8, learning_rate=3.0, steps=1000)
    loss_1000 = float(status.split("loss E = ")[1].split(",")[0])
    status_0 = demo.update(hidden=8, learning_rate=3.0, steps=0)
    loss_0 = float(status_0.split("loss E = ")[1].split(",")[0])
    assert loss_1000 < 0.05 < 0.6 < loss_0
    # at step 0 the network is the untrained MLP([2, 8, 1], tanh) with seed 0: check its loss by hand
    from backprop_helpers import MLP
    X, t = make_moons(200, noise=0.15, seed=0)
    net = MLP([2, 8, 1], activation="tanh", seed=0)
    W1, b1, W2, b2 = net.parameters()
    z = np.tanh(X @ W1 + b1) @ W2 + b2
    p = 1 / (1 + np.exp(-z[:, 0]))
    expected = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    assert loss_0 == pytest.approx(expected, abs=1e-4)


def test_large_learning_rates_without_warnings(demo):
    with np.errstate(all="raise", under="ignore"):
        for eta in (30.0, 100.0):
            for hidden in (1, 8, 32):
                status = demo.update(hidden=hidden, learning_rate=eta, steps=1000)
                assert "nan" not in status.lower()
                assert not status.startswith("diverged")     # no run in the slider's range passes 1e3
        # η = 100 jumps around for all 1000 steps: unstable, and at the last step η is called too large
        status = demo.update(hidden=8, learning_rate=100.0, steps=1000)
        assert status.startswith("unstable: after 1000 steps") and "η is too large" in status
        # beyond the slider the loss does blow up: that, and only that, is "diverged"
        status = demo.update(hidden=8, learning_rate=1e4, steps=1000)
        assert status.startswith("diverged after 1 step: the loss passed 1000 — η = 1e+04 is far too large")


def test_a_temporary_rise_is_not_called_diverged(demo):
    # width 8, η = 10: above the start after 10 steps, then it settles and learns the moons
    early = demo.update(hidden=8, learning_rate=10.0, steps=10)
    assert early.startswith("unstable: after 10 steps the loss ")
    assert "move the steps slider on to see whether it settles" in early and "diverged" not in early
    later = demo.update(hidden=8, learning_rate=10.0, steps=100)
    assert later.startswith("after 100 steps: loss E = ")
    assert float(later.split("loss E = ")[1].split(",")[0]) < 0.05


def test_the_current_step_marker_is_not_clipped_and_the_axis_says_steps(demo):
    demo.update(hidden=8, learning_rate=3.0, steps=500)
    ax_loss = demo.fig.axes[1]
    marker = ax_loss.lines[1]
    assert list(marker.get_xdata()) == [500] and ax_loss.get_xlim()[1] == 500
    assert not marker.get_clip_on()
    assert ax_loss.get_xlabel() == "steps"


def test_the_loss_curve_and_boundary_are_updated_not_redrawn(demo):
    n_axes = len(demo.fig.axes)
    demo.update(hidden=8, learning_rate=3.0, steps=200)
    line = demo.fig.axes[1].lines[0]
    assert len(line.get_xdata()) == 201
    demo.update(hidden=4, learning_rate=1.0, steps=50)
    assert len(line.get_xdata()) == 51
    assert len(demo.fig.axes) == n_axes
    assert np.isfinite(line.get_ydata()).all()


# ---------------------------------------------------------------- plots
def test_decision_boundary_plot_binary_and_multiclass():
    X, t = make_moons(50, 0.1, 0)
    fig, ax = new_figure()
    plot = plot_decision_boundary(ax, lambda G: (G[:, 0] > 0.5).astype(float), X, t, resolution=20)
    image = plot._image.get_array()
    assert image.shape == (20, 20) and image.min() == 0 and image.max() == 1
    assert plot._boundary is not None
    plot.update(lambda G: np.full((len(G), 1), 0.9))  # no class-0 region: no boundary line, no error
    assert plot._boundary is None
    Xs, ts = make_spiral(20, 3, 0.0, 0)
    fig, ax = new_figure()
    plot = DecisionBoundaryPlot(ax, Xs, ts, predict=lambda G: np.column_stack([G[:, 0], G[:, 1], -G[:, 0]]),
                                resolution=15)
    assert set(np.unique(plot._image.get_array())) <= {0, 1, 2}


def test_decision_boundary_plot_rejects_bad_shapes():
    fig, ax = new_figure()
    with pytest.raises(ValueError, match="X must have shape"):
        DecisionBoundaryPlot(ax, np.zeros((5, 3)), np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match="t must have one label per row"):
        DecisionBoundaryPlot(ax, np.zeros((5, 2)), np.zeros(4, dtype=int))


def test_plot_layer_shapes_labels_every_array():
    fig, ax = new_figure("wide")
    plot_layer_shapes(ax, [2, 8, 1], n_samples="n")
    texts = " | ".join(text.get_text() for text in ax.texts)
    labels = ["X = A₀\n(n, 2)", "Z₁ → A₁\n(n, 8)", "Y = A₂\n(n, 1)", "W₁ (2, 8)", "b₁ (8,)", "W₂ (8, 1)", "b₂ (1,)"]
    for label in labels:
        assert label in texts
    with pytest.raises(ValueError, match="layer_sizes"):
        plot_layer_shapes(ax, [3])


# ---------------------------------------------------------------- exercises
def test_dW_shape_check():
    assert check_nb06_dW_shape((3, 5)).correct
    assert check_nb06_dW_shape([3, 5]).correct
    assert "Wᵀ" in check_nb06_dW_shape((5, 3)).message
    assert "shape of δ" in check_nb06_dW_shape((32, 5)).message
    assert "db" in check_nb06_dW_shape((5,)).message
    assert not check_nb06_dW_shape((7, 7))
    assert "no answer yet" in check_nb06_dW_shape(None).message
    for wrong_kind in ("3, 5", 15, (3.0, 5.0), (True, 5)):
        feedback = check_nb06_dW_shape(wrong_kind)
        assert not feedback.correct and "expected a shape" in feedback.message


def _hand_tanh_prime(z):
    return 4.0 / (np.exp(z) + np.exp(-z)) ** 2  # sech², an independent form of 1 − tanh²


def test_hidden_delta_check():
    d = NB06_EXERCISE
    right = (d["delta2"] @ d["W2"].T) * _hand_tanh_prime(d["Z1"])
    assert check_nb06_hidden_delta(right).correct
    assert "transposed" in check_nb06_hidden_delta((d["delta2"] @ d["W2"]) * _hand_tanh_prime(d["Z1"])).message
    assert "local derivative" in check_nb06_hidden_delta(d["delta2"] @ d["W2"].T).message
    assert "not by the activation" in check_nb06_hidden_delta(d["delta2"] @ d["W2"].T * np.tanh(d["Z1"])).message
    assert not check_nb06_hidden_delta(np.zeros((4, 2)))
    transposed = check_nb06_hidden_delta(np.zeros((2, 4))).message
    assert "expected shape (4, 2)" in transposed and "axis" not in transposed
    assert "expected an array" in check_nb06_hidden_delta("delta").message
    assert not check_nb06_hidden_delta(None)


def test_bias_gradient_check():
    delta2 = NB06_EXERCISE["delta2"]
    column_sums = [sum(row[j] for row in delta2) for j in range(2)]
    assert check_nb06_bias_gradient(column_sums).correct
    assert "each row" in check_nb06_bias_gradient(delta2.sum(axis=1)).message
    # keepdims=True sums over the right axis: say so, not "check the axis"
    kept = check_nb06_bias_gradient(delta2.sum(axis=0, keepdims=True))
    assert not kept.correct and "drop keepdims" in kept.message and "axis" not in kept.message
    assert "drop keepdims" in check_nb06_bias_gradient(delta2.sum(axis=0)[:, None]).message
    assert "average" in check_nb06_bias_gradient(delta2.mean(axis=0)).message
    assert "every entry" in check_nb06_bias_gradient(float(delta2.sum())).message
    assert not check_nb06_bias_gradient([1.0, 2.0])
    assert "expected an array" in check_nb06_bias_gradient({"db": 1}).message
    assert not check_nb06_bias_gradient(None)


def test_softmax_gradient_check():
    Z, labels = NB06_EXERCISE["logits"], NB06_EXERCISE["labels"]
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    T = np.zeros_like(Z)
    T[np.arange(3), labels] = 1
    assert check_nb06_softmax_gradient((P - T) / 3).correct
    assert "divide by n = 3" in check_nb06_softmax_gradient(P - T).message
    assert "sign is flipped" in check_nb06_softmax_gradient((T - P) / 3).message
    assert "one-hot" in check_nb06_softmax_gradient(P / 3).message
    assert not check_nb06_softmax_gradient(np.zeros((3, 3)))
    assert not check_nb06_softmax_gradient("softmax")
    flat = check_nb06_softmax_gradient(np.zeros(9)).message
    assert "expected shape (3, 3)" in flat and "axis" not in flat

"""Tests of notebook 06's demo, exercise checks and network plots."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.contour import ContourSet

from backprop_helpers import (
    MLP,
    SOFTMAX,
    descend,
    make_moons,
    mlp_objective,
    new_figure,
    numerical_gradient,
    relative_error,
    relu_prime,
    sigmoid_prime,
    softplus_prime,
    tanh_prime,
)
from backprop_helpers.course import nb06
from backprop_helpers.course.nb06 import (
    MAX_STEPS,
    NB06_EXERCISE,
    DecisionBoundaryPlot,
    broken_backward,
    check_backward_layers,
    check_broken_backward_line,
    check_nb06_bias_gradient,
    check_nb06_dW_shape,
    check_nb06_hidden_delta,
    check_nb06_softmax_gradient,
    make_spiral,
    moons_state,
    moons_training_demo,
    numbered_source,
    plot_decision_boundary,
    plot_layer_shapes,
    train_moons,
    train_spiral,
)


# ---------------------------------------------------------------- the demo
@pytest.fixture(scope="module")
def demo():
    d = moons_training_demo()
    yield d
    plt.close(d.fig)


def _hand_loss(hidden, w, X, t):
    """Binary cross-entropy of MLP([2, hidden, 1]) (tanh) at the flat parameters w, written out by hand."""
    W1, b1 = w[: 2 * hidden].reshape(2, hidden), w[2 * hidden: 3 * hidden]
    W2, b2 = w[3 * hidden: 4 * hidden].reshape(hidden, 1), w[4 * hidden]
    z = (np.tanh(X @ W1 + b1) @ W2)[:, 0] + b2
    p = 1 / (1 + np.exp(-z))
    return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))


def test_training_runs_through_descend_and_records_the_loss_of_every_iterate():
    X, t = make_moons(200, noise=0.15, seed=0)
    run = train_moons(8, 3.0)
    assert run.status == "step limit" and run.steps == 1000 and run.path.shape == (1001, 33)
    for k in (0, 1, 500, 1000):                     # each recorded loss is E at the recorded w
        assert run.losses[k] == pytest.approx(_hand_loss(8, run.path[k], X, t), rel=1e-10)
    assert run.losses[1000] < 0.05 < 0.6 < run.losses[0]
    # at step 0 the parameters are those of the untrained MLP([2, 8, 1], tanh) with seed 0
    start = np.concatenate([p.ravel() for p in MLP([2, 8, 1], activation="tanh", seed=0).parameters()])
    np.testing.assert_array_equal(run.path[0], start)


def test_the_gradient_closure_matches_finite_differences():
    X, t = make_moons(200, noise=0.15, seed=0)
    net = MLP([2, 3, 1], activation="tanh", seed=1)
    loss, grad, w0 = mlp_objective(net, X, t[:, None].astype(float))
    w = w0 + 0.3 * np.random.default_rng(0).normal(size=w0.shape)
    assert loss(w) == pytest.approx(_hand_loss(3, w, X, t), rel=1e-12)
    numerical = numerical_gradient(lambda v: _hand_loss(3, v, X, t), w)
    assert relative_error(grad(w), numerical) < 1e-7


def test_each_step_is_a_gradient_descent_step():
    X, t = make_moons(200, noise=0.15, seed=0)
    run = train_moons(8, 3.0)
    numerical = numerical_gradient(lambda v: _hand_loss(8, v, X, t), run.path[10])
    np.testing.assert_allclose(run.path[11], run.path[10] - 3.0 * numerical, atol=1e-7)


def test_sweep_extremes_records():
    # the default learns the moons; a tiny η barely moves; one hidden unit cannot bend the boundary
    assert moons_state(8, 3.0, 500).accuracy == 1.0
    assert moons_state(8, 3.0, 0).shown == 0
    assert moons_state(8, 0.001, 500).loss > 0.5
    assert moons_state(1, 3.0, 500).accuracy < 0.95
    # η = 100 never diverges within 1000 steps, but its loss stays above the start
    largest = moons_state(8, 100.0, 500)
    assert largest.run.status == "step limit" and not largest.diverged and largest.above_start


def test_sweep_extremes_statuses_have_no_nan(demo):
    for _, _, status in demo.sweep_extremes():
        assert "nan" not in status.lower()


def test_large_learning_rates_without_warnings():
    with np.errstate(all="raise", under="ignore"):
        for eta in (30.0, 100.0):
            for hidden in (1, 8, 32):       # no run in the slider's range leaves |w| <= 1e4
                state = moons_state(hidden, eta, 1000)
                assert state.run.status == "step limit" and np.isfinite(state.run.losses).all()
        assert moons_state(8, 100.0, 1000).above_start
        # beyond the slider the weights do blow up: that, and only that, is "diverged"
        state = moons_state(8, 1e4, 1000)
        assert state.diverged and state.run.steps == 1
        assert np.abs(state.run.path).max() <= 1e4 and np.isfinite(state.run.path).all()


def test_a_temporary_rise_is_not_called_diverged():
    # width 8, η = 10: above the start after 10 steps, then it settles and learns the moons
    early = moons_state(8, 10.0, 10)
    assert early.above_start and not early.diverged
    later = moons_state(8, 10.0, 100)
    assert not later.above_start and later.loss < 0.05


def test_the_current_step_marker_is_not_clipped_and_the_axis_says_steps(demo):
    demo.update(hidden=8, learning_rate=3.0, steps=500)
    ax_loss = next(ax for ax in demo.fig.axes if ax.get_xlabel() == "steps")
    marker = next(line for line in ax_loss.lines if line.get_gid() == "current step")
    assert list(marker.get_xdata()) == [500] and ax_loss.get_xlim()[1] == MAX_STEPS  # fixed: the slider's maximum
    assert not marker.get_clip_on()
    assert ax_loss.get_xlabel() == "steps"


def test_the_loss_curve_and_boundary_are_updated_not_redrawn(demo):
    n_axes = len(demo.fig.axes)
    demo.update(hidden=8, learning_rate=3.0, steps=200)
    line = next(line for ax in demo.fig.axes for line in ax.lines if line.get_gid() == "loss")
    assert len(line.get_xdata()) == 201
    demo.update(hidden=4, learning_rate=1.0, steps=50)
    assert len(line.get_xdata()) == 51
    assert len(demo.fig.axes) == n_axes
    assert np.isfinite(line.get_ydata()).all()


# ---------------------------------------------------------------- plots
def _image_and_boundaries(ax):
    """The probability image and the decision-boundary contours, found by type (the core sets no gid)."""
    (image,) = ax.images
    return image, [c for c in ax.collections if isinstance(c, ContourSet)]


def test_decision_boundary_plot_binary_and_multiclass():
    X, t = make_moons(50, 0.1, 0)
    fig, ax = new_figure()
    plot = plot_decision_boundary(ax, lambda G: (G[:, 0] > 0.5).astype(float), X, t, resolution=20)
    image, boundaries = _image_and_boundaries(ax)
    assert image.get_array().shape == (20, 20) and image.get_array().min() == 0 and image.get_array().max() == 1
    assert len(boundaries) == 1
    plot.update(lambda G: np.full((len(G), 1), 0.9))  # no class-0 region: no boundary line, no error
    assert _image_and_boundaries(ax)[1] == []
    Xs, ts = make_spiral(20, 3, 0.0, 0)
    fig, ax = new_figure()
    DecisionBoundaryPlot(ax, Xs, ts, predict=lambda G: np.column_stack([G[:, 0], G[:, 1], -G[:, 0]]), resolution=15)
    assert set(np.unique(_image_and_boundaries(ax)[0].get_array())) <= {0, 1, 2}


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


# ---------------------------------------------------------------- your turn: the layer loop
def _mse_loss(net, X, T):
    return float(np.mean((net.forward(X) - T) ** 2))


@pytest.mark.parametrize("label,args", nb06._BACKWARD_CASES, ids=[label for label, _ in nb06._BACKWARD_CASES])
def test_the_reference_layer_loop_matches_finite_differences(label, args):
    weights, activations, _, delta, f_prime = args
    # rebuild the hidden network and check the reference against central differences of E = Σ δ_L ⊙ Z_L
    # (whose ∂E/∂Z_L is δ_L): every dW and db
    activation = label.split(",")[0]
    net = MLP([W.shape[0] for W in weights] + [weights[-1].shape[1]], activation=activation)
    for W, W_case in zip(net.weights, weights, strict=True):
        W[...] = W_case
    X = activations[0]
    net.forward(X)
    for b, Z, A_prev, W in zip(net.biases, args[2], activations[:-1], weights, strict=True):
        b[...] = (Z - A_prev @ W)[0]                       # the case's biases, recovered from Z = A W + b
    grads = nb06._backward_layers_reference(*args)

    def loss(_):
        net.forward(X)
        return float(np.sum(delta * net.preactivations[-1]))
    for (dW, db), W, b in zip(grads, net.weights, net.biases, strict=True):
        assert relative_error(dW, numerical_gradient(loss, W)) < 1e-7
        assert relative_error(db, numerical_gradient(loss, b)) < 1e-7


def test_check_backward_layers_accepts_the_reference_and_the_mlp():
    assert check_backward_layers(nb06._backward_layers_reference)

    def via_mlp(weights, activations, preactivations, delta, f_prime):   # the core's backward, independently
        names = {sigmoid_prime: "sigmoid", tanh_prime: "tanh", relu_prime: "relu", softplus_prime: "softplus"}
        sizes = [W.shape[0] for W in weights] + [weights[-1].shape[1]]
        net = MLP(sizes, activation=names[f_prime])
        for W, W_case in zip(net.weights, weights, strict=True):
            W[...] = W_case
        for b, Z, A, W in zip(net.biases, preactivations, activations[:-1], weights, strict=True):
            b[...] = (Z - A @ W)[0]
        net.forward(activations[0])
        return net.backward(delta)
    assert check_backward_layers(via_mlp)


@pytest.mark.parametrize("index,phrase", [(0, "use Wᵀ, not W"), (1, "you left out f′"), (2, "wrong axis"),
                                          (3, "sum, don't average"), (4, "shape of W"),
                                          (5, "the layer the signal arrives at"), (6, "not the activation")])
def test_check_backward_layers_names_each_typical_mistake(index, phrase):
    wrong, _ = nb06._BACKWARD_LAYERS_MISTAKES[index]
    feedback = check_backward_layers(wrong)
    assert not feedback and phrase in feedback.message, feedback.message


def test_check_backward_layers_never_raises():
    def stub(weights, activations, preactivations, delta, f_prime):
        ...

    def crashes(*args):
        raise KeyError("oops")
    assert not check_backward_layers(stub) and "None" in check_backward_layers(stub).message
    assert "KeyError" in check_backward_layers(crashes).message
    assert not check_backward_layers(None)
    assert not check_backward_layers(lambda *args: [(np.nan, np.nan)] * len(args[0]))


def _reference_with(change):
    """The reference layer loop, with ``change(grads)`` applied to its list [(dW_1, db_1), …] before returning."""
    def backward_layers(*args):
        grads = [list(pair) for pair in nb06._backward_layers_reference(*args)]
        change(grads)
        return [tuple(pair) for pair in grads]
    return backward_layers


@pytest.mark.parametrize("change, where", [
    (lambda g: g[0].__setitem__(1, g[0][1][None, :]), "layer 1, db: expected shape (4,), got shape (1, 4)"),
    (lambda g: g[1].__setitem__(0, g[1][0] * 2), "layer 2, dW: expected"),
    (lambda g: g[-1].__setitem__(1, g[-1][1] + 1), "layer 3, db: expected"),
    (lambda g: g[0].__setitem__(0, None), "layer 1, dW: it is None"),
    (lambda g: g.pop(), "expected a list of 3 pairs (dW, db), one per layer in the order 1, …, 3"),
    (lambda g: g.reverse(), "reverse order"),
])
def test_check_backward_layers_names_the_layer_and_the_array(change, where):
    # the first case is tanh, layer sizes [3, 4, 4, 4]: layers 1–3, each db of shape (4,)
    feedback = check_backward_layers(_reference_with(change))
    assert not feedback and where in feedback.message, feedback.message
    assert "result" not in feedback.message


def test_backward_layers_returns_the_layers_in_order_one_to_L():
    # the docstring's promise: [(dW_1, db_1), …, (dW_L, db_L)], dW_l shaped like W_l = weights[l - 1]
    for _, args in nb06._BACKWARD_CASES:
        grads = nb06._backward_layers_reference(*args)
        assert [dW.shape for dW, _ in grads] == [W.shape for W in args[0]]
        assert [db.shape for _, db in grads] == [(W.shape[1],) for W in args[0]]


def test_broken_backward_fails_the_gradient_check_below_the_last_layer_only():
    net = MLP([3, 4, 4, 4], activation="tanh", seed=2)
    X, T = np.random.default_rng(6).normal(size=(6, 3)), np.random.default_rng(7).normal(size=(6, 4))
    net.forward(X)
    grads = broken_backward(net.weights, net.activations, net.preactivations, 2 * (net.output - T) / T.size,
                            tanh_prime)
    errors = [relative_error(dW, numerical_gradient(lambda _: _mse_loss(net, X, T), W))
              for (dW, _), W in zip(grads, net.weights, strict=True)]
    assert errors[-1] < 1e-7 and min(errors[:-1]) > 1e-2


def test_check_broken_backward_line():
    source = numbered_source(broken_backward).splitlines()
    bug = next(int(line.split()[0]) for line in source if "f_prime(preactivations[layer])" in line)
    assert bug == 9 and check_broken_backward_line(9) and check_broken_backward_line(9.0)
    assert "dW" in check_broken_backward_line(5).message and "column sums" in check_broken_backward_line(6).message
    assert not check_broken_backward_line(3) and not check_broken_backward_line(None)
    assert not check_broken_backward_line("nine")


# ---------------------------------------------------------------- mini-batches and the spiral
def test_a_mini_batch_gradient_is_the_gradient_of_that_batch():
    X, t = make_moons(40, noise=0.1, seed=2)
    T = t[:, None].astype(float)
    net = MLP([2, 4, 1], activation="tanh", seed=3)
    _, grad, w0 = mlp_objective(net, X, T, batch_size=5, seed=7)
    g = grad(w0)
    rows = np.random.default_rng(7).choice(40, size=5, replace=False)      # the same draw as the closure's
    numerical = numerical_gradient(lambda v: _hand_loss(4, v, X[rows], t[rows]), w0)
    assert relative_error(g, numerical) < 1e-7
    assert relative_error(grad(w0), numerical) > 1e-3                      # the next call draws a new batch


def test_softmax_objective_matches_finite_differences():
    X, labels = make_spiral(10, 3, 0.1, 0)
    T = np.eye(3)[labels]
    net = MLP([2, 5, 3], activation="tanh", seed=0)
    loss, grad, w0 = mlp_objective(net, X, T, SOFTMAX)

    def by_hand(w):                                                         # −mean log softmax, written out
        W1, b1 = w[:10].reshape(2, 5), w[10:15]
        W2, b2 = w[15:30].reshape(5, 3), w[30:33]
        Z = np.tanh(X @ W1 + b1) @ W2 + b2
        return float(np.mean(np.log(np.exp(Z).sum(axis=1)) - Z[np.arange(len(X)), labels]))
    assert loss(w0) == pytest.approx(by_hand(w0), rel=1e-12)
    assert relative_error(grad(w0), numerical_gradient(by_hand, w0)) < 1e-7


def test_mini_batch_runs_are_noisier_and_never_stop_early():
    full, small = train_moons(8, 3.0), train_moons(8, 3.0, batch_size=10)
    assert small.status == "step limit" and small.steps == 1000
    noise = [np.abs(np.diff(np.log(r.losses[800:]))).mean() for r in (full, small)]
    assert noise[1] > 10 * noise[0]
    assert small.losses[-1] < 0.05                                          # it still learns the moons
    state = moons_state(8, 3.0, 500, batch_size=10)   # the cached run (computed at least up to step 500)
    assert state.batch_size == 10 and state.run.steps >= 500
    np.testing.assert_array_equal(state.run.path, small.path[: state.run.steps + 1])
    for eta in (10.0, 31.6227766, 100.0):      # no spurious "converged" from a batch with a tiny gradient
        for hidden in (8, 32):
            assert train_moons(hidden, eta, batch_size=10).status != "converged"


def test_the_spiral_is_trained():
    net, run, X, labels = train_spiral()
    assert run.status == "step limit" and run.losses[-1] < run.losses[0] / 4
    assert np.mean(net.forward(X).argmax(axis=1) == labels) > 0.85
    np.testing.assert_array_equal(np.concatenate([p.ravel() for p in net.parameters()]), run.path[-1])


def test_bias_gradient_check_rejects_swapped_columns():
    delta2 = NB06_EXERCISE["delta2"]
    sums = delta2.sum(axis=0)
    assert abs(sums[0] - sums[1]) > 0.05          # distinct column sums (0.2 and 0.3), so a swap is visible
    assert not check_nb06_bias_gradient(sums[::-1])


def test_a_gradient_off_by_a_factor_two_has_relative_error_one_third():
    # the prose of section 2: ‖g − 2g‖ / (‖g‖ + ‖2g‖) = 1/(1 + 2)
    g = np.random.default_rng(0).normal(size=(3, 4))
    assert relative_error(g, 2 * g) == pytest.approx(1 / 3)


# ---------------------------------------------------------------- the runs' cache and Play
def _fresh_run(hidden, eta, steps, batch_size=200):
    """train_moons without the cache: one call of descend."""
    X, t = make_moons(200, noise=0.15, seed=0)
    net = MLP([2, hidden, 1], activation="tanh", seed=0)
    batch = None if batch_size == 200 else batch_size
    loss, grad, w0 = mlp_objective(net, X, t[:, None].astype(float), batch_size=batch, seed=1)
    with np.errstate(under="ignore"):
        return descend(grad, w0, eta, loss=loss, tol=nb06.STILL, steps=steps, limit=nb06.WEIGHT_LIMIT)


def _same_run(a, b):
    return (a.status == b.status and np.array_equal(a.path, b.path) and np.array_equal(a.losses, b.losses)
            and np.array_equal(a.gradients, b.gradients))


@pytest.mark.parametrize(("hidden", "eta", "batch_size"),
                         [(8, 3.0, 200), (8, 3.0, 10), (3, 100.0, 50), (8, 1e4, 200), (8, 1e4, 10), (32, 0.001, 200),
                          (1, 3.0, 200), (32, 100.0, 200)])
def test_a_cached_run_computed_in_chunks_equals_one_call_of_descend(hidden, eta, batch_size):
    # the cache computes a run CHUNK steps at a time, as far as asked; joined, it is the run of one descend
    # (mini-batches too: the same batches are drawn), and a shorter run is its prefix
    nb06._TRAININGS.clear()
    for steps in (0, 1, 37, nb06.CHUNK, 500, MAX_STEPS, 120):  # the last one from a run computed further
        assert _same_run(train_moons(hidden, eta, steps, batch_size), _fresh_run(hidden, eta, steps, batch_size)), steps


def test_the_cache_rounds_eta_so_the_browser_and_python_share_a_run():
    nb06._TRAININGS.clear()
    train_moons(8, 10 ** 0.5, 100)
    train_moons(8, 10 ** 0.5 * (1 + 4e-16), 100)   # the same slider stop, computed by another pow
    assert len(nb06._TRAININGS) == 1


def test_the_steps_slider_and_play_show_what_a_fresh_run_says(demo):
    # Play animates the steps slider in strides of 20: every frame keeps the axes (it is blitted) and says
    # what the uncached computation says at that step
    assert demo.play == "steps" and demo.controls["steps"].step == nb06.STEP_STRIDE == 20
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in demo.fig.axes]
    fresh = _fresh_run(8, 3.0, MAX_STEPS)
    X, t = make_moons(200, noise=0.15, seed=0)
    for k in range(0, MAX_STEPS + 1, nb06.STEP_STRIDE):
        status = demo.set(hidden=8, learning_rate=3.0, steps=k, batch_size=200)
        assert [(ax.get_xlim(), ax.get_ylim()) for ax in demo.fig.axes] == limits
        if k % 100 == 0:
            assert f"loss E = {fresh.losses[k]:.4f}" in status or "unstable" in status, (k, status)
    for k in (0, 40, 500, 1000):   # across the range: the same line as from a run computed only that far
        nb06._TRAININGS.clear()
        short = moons_state(8, 3.0, k)
        assert short.run.steps < MAX_STEPS or k == MAX_STEPS
        nb06._TRAININGS.clear()
        train_moons(8, 3.0)
        assert nb06.describe_moons(moons_state(8, 3.0, k)) == nb06.describe_moons(short)


def test_prefetch_computes_the_neighbouring_runs_while_idle():
    import asyncio

    nb06._TRAININGS.clear()
    prefetch = nb06._Prefetch(range(1, 5), [0.1, 1.0, 3.0, 10.0])
    prefetch.plan(2, 3.0, 100, 200)           # no running event loop: nothing happens
    assert not prefetch.queue and not prefetch.running

    async def idle():
        prefetch.plan(2, 3.0, 100, 200)
        assert prefetch.queue[0] == (2, 3.0, 200, 100)   # the current run first, then its neighbours
        paused = prefetch.quiet_after
        await asyncio.sleep(0.02)
        prefetch.plan(2, 3.0, 50, 200)                  # the steps slider (or Play) pauses it, without re-planning
        assert prefetch.quiet_after > paused and prefetch.queue[0] == (2, 3.0, 200, 100)
        prefetch.plan(2, 3.0, 300, 200)                  # ... unless it asks for more than planned
        assert prefetch.queue[0] == (2, 3.0, 200, 300)
        while prefetch.running:
            await asyncio.sleep(0.01)

    asyncio.run(idle())
    assert {key[:2] for key in nb06._TRAININGS} == {(h, 3.0) for h in range(1, 5)} | {(2, e) for e in (0.1, 1.0, 10.0)}
    assert all(training.finished for training in nb06._TRAININGS.values())
    assert _same_run(train_moons(4, 3.0), _fresh_run(4, 3.0, MAX_STEPS))


def test_prefetch_after_a_width_change_takes_the_learning_rates_first_and_vice_versa():
    import asyncio

    prefetch = nb06._Prefetch(range(1, 5), [0.1, 1.0, 3.0, 10.0])

    async def plans():
        prefetch.plan(2, 3.0, 100, 200)   # the first plan: nearest first, the two lines in turn
        assert [key[:2] for key in prefetch.queue[:4]] == [(2, 3.0), (3, 3.0), (2, 1.0), (1, 3.0)]
        prefetch.plan(4, 3.0, 100, 200)   # the width moved: every η at width 4, then the widths
        assert [key[:2] for key in prefetch.queue[:5]] == [(4, 3.0), (4, 1.0), (4, 10.0), (4, 0.1), (3, 3.0)]
        prefetch.plan(4, 0.1, 100, 200)   # η moved: every width at η = 0.1, then the learning rates
        assert [key[:2] for key in prefetch.queue[:5]] == [(4, 0.1), (3, 0.1), (2, 0.1), (1, 0.1), (4, 1.0)]
        prefetch.queue.clear()

    asyncio.run(plans())


def test_the_prefetch_covers_exactly_the_values_the_sliders_stop_at():
    demo = moons_training_demo()
    assert tuple(demo.controls["hidden"].options) == nb06.WIDTHS == tuple(demo.prefetch.widths)
    stops = demo.controls["learning_rate"]
    n = round((stops.max - stops.min) / stops.step) + 1  # 21 stops: 0.001 ... 100, four a decade
    slider_etas = {nb06._learning_rate(e) for e in demo.control_values("learning_rate", n)} - {3.0}  # 3: the start
    assert n == 21 and {nb06._learning_rate(e) for e in demo.prefetch.etas} == slider_etas
    assert {0.01, 3.162277660, 31.6227766, 100.0} <= slider_etas  # the values the notebook names
    plt.close(demo.fig)


def test_the_cache_is_safe_when_two_threads_ask_for_the_same_run():
    # JupyterLab can deliver widget messages on a kernel subshell (a thread of its own) while the
    # prefetch runs on the main thread: both may extend one run at once
    import threading

    nb06._TRAININGS.clear()
    results = {}

    def ask(name, steps):
        results[name] = train_moons(5, 2.0, steps, 10)

    threads = [threading.Thread(target=ask, args=(n, s)) for n, s in enumerate((1000, 700, 1000, 333))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _same_run(results[0], _fresh_run(5, 2.0, MAX_STEPS, 10)) and _same_run(results[2], results[0])
    assert _same_run(results[3], _fresh_run(5, 2.0, 333, 10))


def test_parameter_names_label_the_parameters_in_order():
    net = MLP([2, 3, 4, 1])
    names = nb06.parameter_names(net)
    assert names == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [p.shape for p in net.parameters()] == [(2, 3), (3,), (3, 4), (4,), (4, 1), (1,)]

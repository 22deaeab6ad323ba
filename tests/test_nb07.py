"""Tests of notebook 07's demo (gradient norms per layer) and its exercise checks."""


import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from backprop_helpers import (
    MSE,
    clip_by_norm,
    init_weights,
    layer_gradient_norms,
    mlp_objective,
    numerical_gradient,
    relative_error,
)
from backprop_helpers.course import nb07
from backprop_helpers.course.nb07 import (
    activation_variance_demo,
    check_clip_gradients,
    check_init_std,
    check_nb07_clipped,
    check_nb07_he_variance,
    check_nb07_sigmoid_bound,
    check_nb07_vanishing_depth,
    deep_net,
    gradient_norms_demo,
    measure_gradient_norms,
    measure_variances,
    plot_training_comparison,
    regression_task,
    train_deep,
    training_comparison,
)


@pytest.fixture(scope="module")
def demo():
    d = gradient_norms_demo()
    yield d
    matplotlib.pyplot.close(d.fig)


def test_sweep_extremes_gives_a_status_for_every_control(demo):
    results = demo.sweep_extremes()
    assert len(results) == 3 + 3 + 3 + 3 + 4
    for name, value, status in results:
        assert status and "nan" not in status and "Could not" not in status, (name, value, status)


def test_records_at_the_extremes():
    default = measure_gradient_norms()                       # sigmoid, Xavier, depth 20
    assert default.verdict == "vanishing" and default.norms.shape == (20,)
    deep = measure_gradient_norms(depth=50)
    assert deep.verdict == "vanishing" and deep.norms[0] / deep.norms[-1] < 1e-25
    one = measure_gradient_norms(depth=1)
    assert one.verdict == "healthy" and one.norms.shape == (1,)
    assert measure_gradient_norms(gain=0.1).verdict == "vanishing"
    for architecture in ("residual", "normalised", "residual + normalised"):
        record = measure_gradient_norms(architecture=architecture)
        assert record.verdict == "healthy", architecture
        assert 0.01 < record.norms[0] / record.norms[-1] < 100


@pytest.mark.parametrize("values,verdict", [
    ({"activation": "relu", "init": "normal", "depth": 50}, "exploding"),
    ({"activation": "relu", "init": "he", "depth": 50}, "healthy"),
    ({"activation": "tanh", "init": "normal", "depth": 20}, "exploding"),
    ({"activation": "tanh", "init": "xavier", "depth": 20}, "healthy"),
    ({"activation": "relu", "init": "normal", "depth": 20, "architecture": "residual + normalised"}, "healthy"),
])
def test_demo_shows_vanishing_exploding_and_remedies(values, verdict):
    record = measure_gradient_norms(**values)
    assert record.verdict == verdict, record.sentence


def test_relu_with_unit_weights_grows_by_about_four_per_layer():
    # σ_w√n = √32 ≈ 5.7 per layer, halved in variance by ReLU: about 5.7/√2 ≈ 4 per layer forward;
    # the gradient of every layer is then huge (about 4^20 ≈ 1e12 times the He network's)
    relu = measure_gradient_norms(activation="relu", init="normal", depth=20).norms
    he = measure_gradient_norms(activation="relu", init="he", depth=20).norms
    assert 1e10 < relu.min() / he.max() and relu.max() / he.min() < 1e14


def test_a_measured_norm_matches_finite_differences():
    # the last layer's gradient of a small network, against central differences
    net = deep_net(3, 4, "tanh", "xavier", seed=0)
    X = np.random.default_rng(1).normal(size=(5, 4))
    G = np.random.default_rng(2).normal(size=(5, 4))
    norms = layer_gradient_norms(net, X, G)
    numerical = [np.linalg.norm(numerical_gradient(lambda _: float(np.sum(G * net.forward(X))), W))
                 for W in net.weights]
    np.testing.assert_allclose(norms, numerical, rtol=1e-6)


def test_demo_says_overflowed_beyond_float64_without_warnings(demo):
    with np.errstate(all="raise"):
        record = measure_gradient_norms(depth=50, activation="relu", init="normal", gain=1e7)
        demo.update(depth=50, activation="relu", init="normal", gain=1e7, architecture="plain")
    assert record.verdict == "overflowed" and record.norms is None
    line = next(line for line in demo.fig.axes[0].lines if line.get_label().startswith("measured"))
    assert len(line.get_xdata()) == 0
    demo.update(**demo.values())


def test_depth_slider_moves_the_line_and_stays_finite(demo):
    for depth in (1, 7, 50):
        demo.update(**{**demo.values(), "depth": depth})
        line = next(line for line in demo.fig.axes[0].lines if line.get_label().startswith("measured"))
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, depth + 1))
        y = np.asarray(line.get_ydata())
        assert np.isfinite(y).all() and (y > 0).all()
    demo.update(**demo.values())


def test_variance_records_and_the_variance_argument():
    assert measure_variances(init="he").verdict == "kept"
    assert measure_variances(init="normal").verdict == "exploding"     # 64 units, σ_w = 1: ×32 per layer
    assert measure_variances(init="xavier").verdict == "vanishing"     # ReLU with Xavier (2/128): ×½ per layer
    assert measure_variances(gain=0.1).verdict == "vanishing"
    assert measure_variances(gain=10.0).verdict == "exploding"
    one = measure_variances(depth=1)
    assert one.verdict == "kept" and one.ratio == 1.0
    with np.errstate(all="raise"):
        assert measure_variances(depth=50, activation="relu", init="normal", gain=1e7).verdict == "overflowed"
    assert measure_variances(depth=50, activation="tanh", init="xavier").verdict == "shrinking slowly"
    demo = activation_variance_demo()
    for _, _, status in demo.sweep_extremes():
        assert status and "nan" not in status
    assert "$z_l$" in demo.fig.axes[0].get_title()
    matplotlib.pyplot.close(demo.fig)


def test_variance_demo_flags_saturated_units():
    # tanh with σ_w = 1 and 64 units: Var(z) stays constant but near 64·E[a²] ≈ 57, deep in tanh's flat tails
    big = measure_variances(depth=50, activation="tanh", init="normal", gain=1.0)
    assert big.verdict == "kept" and big.saturated
    assert 40 < big.variances[-1] < 64                      # at most n·σ_w²·max(a²) = 64
    assert measure_variances(depth=50, activation="sigmoid", init="normal", gain=1.0).saturated
    for values in ({"activation": "tanh", "init": "xavier"}, {"activation": "relu", "init": "normal"}):
        assert not measure_variances(depth=50, gain=1.0, **values).saturated, values


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


# ---------------------------------------------------------------- your turn
def test_check_init_std_accepts_the_formulas_written_out():
    # independent: the variances 2/(n_in + n_out) and 2/n_in of the notebook's derivation, square-rooted
    assert check_init_std(lambda n_in, n_out, scheme: (2 / (n_in + n_out) if scheme == "xavier" else 2 / n_in) ** 0.5)
    # and the reference draws what the core's init_weights draws: the sample std of 400 × 300 weights
    for scheme in ("xavier", "he"):
        sample = init_weights(400, 300, scheme, rng=0)
        assert sample.std() == pytest.approx(nb07._init_std_reference(400, 300, scheme), rel=0.01)


@pytest.mark.parametrize("index,phrase", [(0, "variances"), (1, "He's number"), (2, "Xavier's number"),
                                          (3, "divides by n_in"), (4, "keeps the 2"), (5, "averages"),
                                          (6, "swapped")])
def test_check_init_std_names_each_mistake(index, phrase):
    feedback = check_init_std(nb07._INIT_STD_MISTAKES[index][0])
    assert not feedback and phrase in feedback.message, feedback.message


def test_check_init_std_never_raises():
    def stub(n_in, n_out, scheme):
        ...
    assert "returned None" in check_init_std(stub).message
    assert "ZeroDivisionError" in check_init_std(lambda n_in, n_out, scheme: 1 / 0).message
    assert not check_init_std("0.1")


def test_the_clip_reference_agrees_with_hand_numbers_and_the_core():
    # (3, −4, 12) has norm 13; clipped to 2.6 it is (0.6, −0.8, 2.4), worked out by hand
    np.testing.assert_allclose(nb07._clip_reference([np.array([3.0, -4.0, 12.0])], 2.6)[0], [0.6, -0.8, 2.4])
    for _, (grads, max_norm) in nb07._CLIP_CASES:
        expected, _ = clip_by_norm(grads, max_norm)
        for mine, core in zip(nb07._clip_reference(grads, max_norm), expected, strict=True):
            np.testing.assert_allclose(mine, core, atol=1e-15)


def test_check_clip_gradients_accepts_the_core_and_names_each_mistake():
    assert check_clip_gradients(lambda grads, max_norm: clip_by_norm(grads, max_norm)[0])
    phrases = ["on its own", "clipping by value", "never scaled up", "upside down", "square root"]
    for (wrong, _), phrase in zip(nb07._CLIP_MISTAKES, phrases, strict=True):
        feedback = check_clip_gradients(wrong)
        assert not feedback and phrase in feedback.message, feedback.message


def test_check_clip_gradients_never_raises():
    def stub(grads, max_norm):
        ...
    assert not check_clip_gradients(stub)
    assert not check_clip_gradients(lambda grads, max_norm: grads[0])      # one array instead of the list
    assert not check_clip_gradients(lambda grads, max_norm: [g * np.nan for g in grads])


def test_sigmoid_bound_accepts_rounding_and_explains_the_particular_chain():
    assert check_nb07_sigmoid_bound(9.5e-7) and check_nb07_sigmoid_bound(1 / 4**10)
    # the best a chain with weights 1 and biases 0 reaches, found by brute force over the input x
    x = np.linspace(-10, 10, 20001)
    z, product = x, np.ones_like(x)
    for _ in range(10):
        s = 1 / (1 + np.exp(-z))
        product, z = product * s * (1 - s), s
    best = product.max()
    assert 3.85e-7 < best < 3.95e-7
    feedback = check_nb07_sigmoid_bound(best)
    assert not feedback and "one particular chain" in feedback.message


# ---------------------------------------------------------------- section 8: training
@pytest.mark.parametrize("residual,normalize,clip", [(False, False, None), (True, False, None), (False, True, None),
                                                     (True, False, 0.5)])
def test_the_training_objective_matches_finite_differences(residual, normalize, clip):
    from backprop_helpers import MLP
    X, T = regression_task(n=6)
    net = MLP([2, 3, 3, 1], "tanh", init="xavier", residual=residual, normalize=normalize, seed=1)
    loss, grad, w0 = mlp_objective(net, X, T, MSE, clip=clip)
    w = w0 + 0.1 * np.random.default_rng(0).normal(size=w0.shape)
    g = grad(w)
    numerical = numerical_gradient(lambda v: float(np.mean((_forward_by_hand(net, v, X) - T) ** 2)), w)
    if clip is None:
        assert relative_error(g, numerical) < 1e-6
    else:                                      # the same direction, length min(‖∇E‖, clip)
        assert np.linalg.norm(g) == pytest.approx(min(np.linalg.norm(numerical), clip), rel=1e-6)
        assert relative_error(g / np.linalg.norm(g), numerical / np.linalg.norm(numerical)) < 1e-6
    assert loss(w) == pytest.approx(float(np.mean((_forward_by_hand(net, w, X) - T) ** 2)), rel=1e-12)


def _forward_by_hand(net, w, X):
    """The network's output at flat parameters w, written out: tanh layers, optional skip and batch standardisation."""
    shapes = [p.shape for p in net.parameters()]
    parts, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        parts.append(w[start:start + size].reshape(shape))
        start += size
    A = X
    for layer in range(len(shapes) // 2):
        W, b = parts[2 * layer], parts[2 * layer + 1]
        Z = A @ W + b
        if net.normalize:
            Z = (Z - Z.mean(axis=0)) / np.sqrt(Z.var(axis=0) + 1e-5)
        out = Z if layer == len(shapes) // 2 - 1 else np.tanh(Z)
        A = A + out if net.residual and W.shape[0] == W.shape[1] else out
    return A


def test_training_records_show_vanishing_and_the_remedies():
    runs = training_comparison()
    sigmoid = runs["sigmoid, Xavier"]
    assert sigmoid.run.losses[-1] > 0.99                             # learns only the mean (E = 1 by construction)
    assert sigmoid.layer_changes[0] < 1e-4 * sigmoid.layer_changes[-1]
    assert runs["tanh, Xavier, residual"].run.losses[-1] < runs["tanh, Xavier"].run.losses[-1] / 2
    assert runs["ReLU, He, normalised"].run.losses[-1] < runs["ReLU, He"].run.losses[-1] / 2
    for name in ("tanh, Xavier", "tanh, Xavier, residual", "ReLU, He", "ReLU, He, normalised"):
        training = runs[name]
        assert training.run.status == "step limit" and training.run.losses[-1] < 0.3, name
        assert training.layer_changes.min() > 0.01, name              # every layer learns


def test_regression_task_is_standardised():
    X, T = regression_task()
    assert X.shape == (64, 2) and T.shape == (64, 1)
    assert abs(T.mean()) < 1e-12 and T.var() == pytest.approx(1.0)


def test_clipping_caps_every_step_and_the_run_does_not_converge():
    # the notebook: every one of the 200 steps is clipped (the raw gradient's norm never falls to 1), so the
    # clipped run takes fixed-length steps η·clip = 0.1; it trains to E ≈ 0.081 instead of diverging, but
    # does not converge, and the unclipped run with η = 0.03 gets further (E ≈ 0.044)
    plain = train_deep("tanh", "xavier", 0.1, residual=True).run
    clipped = train_deep("tanh", "xavier", 0.1, residual=True, clip=1.0).run
    assert plain.status == "diverged" and plain.steps < 20
    assert clipped.status == "step limit" and clipped.steps == 200
    assert f"{clipped.losses[-1]:.3g}" == "0.0813"
    lengths = np.linalg.norm(np.diff(clipped.path, axis=0), axis=1)
    np.testing.assert_allclose(lengths, 0.1, rtol=1e-9)                  # every step has length η·clip
    X, T = regression_task()
    net = nb07.MLP([2] + [nb07.TRAIN_WIDTH] * nb07.TRAIN_DEPTH + [1], "tanh", init="xavier", residual=True, seed=0)
    _, raw_gradient, _ = mlp_objective(net, X, T, MSE)                      # the same objective, unclipped
    raw = np.array([np.linalg.norm(raw_gradient(w)) for w in clipped.path])
    assert raw.min() > 2 and raw[0] > 20                                  # above the threshold 1 at every iterate
    last = clipped.losses[-6:]
    assert np.all(np.diff(last) * np.diff(last)[0] * np.array([1, -1, 1, -1, 1]) > 0)   # still alternating
    assert min(abs(np.diff(last))) > 0.01
    slower = train_deep("tanh", "xavier", 0.03, residual=True).run
    assert f"{slower.losses[-1]:.3f}" == "0.044" and slower.losses[-1] < clipped.losses[-1]


def test_relu_verdicts_with_first_over_last_near_one():
    # σ_w = 1 at depth 20 (section 2): first/last ≈ 1, every norm huge, because the forward activations grow layer
    # by layer; Xavier at depth 50 (section 3): first/last ≈ 1, every norm tiny, because they shrink
    X, G = np.random.default_rng(0).normal(size=(64, 32)), nb07.fixed_error_signal(64, 32)
    for init, depth, verdict, growing in (("normal", 20, "exploding", True), ("xavier", 50, "vanishing", False)):
        net = deep_net(depth, 32, "relu", init)
        norms = layer_gradient_norms(net, X, G)
        assert 0.1 < norms[0] / norms[-1] < 10
        assert (norms.min() > 1e4) if growing else (norms.max() < 1e-7)
        assert measure_gradient_norms(activation="relu", init=init, depth=depth).verdict == verdict
        variances = nb07.activation_variances(net, X)
        assert (variances[-1] / variances[0] > 1e10) if growing else (variances[-1] / variances[0] < 1e-4)


def test_the_training_plot_has_a_line_per_run():
    runs = {name: training for name, training in training_comparison().items() if name.startswith("tanh")}
    fig = plot_training_comparison(runs)
    gids = {line.get_gid() for ax in fig.axes for line in ax.lines}
    assert gids == {f"{kind}: {name}" for kind in ("loss", "changes") for name in runs}
    matplotlib.pyplot.close(fig)

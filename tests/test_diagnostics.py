"""Tests of backprop_helpers.diagnostics and of notebook 07's verdict and log-scale plots (course.nb07)."""


import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from backprop_helpers import (
    MLP,
    activation_variances,
    layer_gradient_norms,
    new_figure,
    numerical_gradient,
    relative_error,
)
from backprop_helpers.course.nb07 import (
    deep_net,
    fixed_error_signal,
    gradient_health,
    log_limits,
    plot_activation_variances,
    plot_gradient_norms,
    set_layer_values,
)

RNG = np.random.default_rng(42)
X_SMALL = RNG.normal(size=(6, 4))
SIGNAL_SMALL = RNG.normal(size=(6, 4))


def _loss(net, X, signal):
    """E = Σ signal·a_L, whose gradient with respect to the output is ``signal``."""
    return float(np.sum(signal * net.forward(X)))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("residual,normalize", [(False, False), (True, False), (False, True), (True, True)])
def test_deepnet_gradients_match_finite_differences(activation, residual, normalize):
    net = deep_net(depth=3, width=4, activation=activation, init="xavier", gain=1.5,
                  residual=residual, normalize=normalize, seed=3)
    for b in net.biases:  # non-zero biases, so that their gradients are exercised too
        b[:] = RNG.normal(scale=0.3, size=b.shape)
    net.forward(X_SMALL)
    grads = net.backward(SIGNAL_SMALL)
    for layer, (dW, db) in enumerate(grads):
        numerical_W = numerical_gradient(lambda _: _loss(net, X_SMALL, SIGNAL_SMALL), net.weights[layer])
        assert relative_error(dW, numerical_W) < 1e-6, f"dW of layer {layer + 1}"
        numerical_b = numerical_gradient(lambda _: _loss(net, X_SMALL, SIGNAL_SMALL), net.biases[layer])
        if normalize:  # the mean subtraction cancels any bias: both gradients are zero
            assert np.abs(db).max() < 1e-9 and np.abs(numerical_b).max() < 1e-8
        else:
            assert relative_error(db, numerical_b) < 1e-6, f"db of layer {layer + 1}"


def test_deepnet_with_wider_input_skips_only_where_shapes_match():
    net = deep_net(depth=2, width=3, activation="tanh", residual=True, normalize=True, n_in=5, seed=1)
    X = RNG.normal(size=(7, 5))
    signal = RNG.normal(size=(7, 3))
    net.forward(X)
    dW1, _ = net.backward(signal)[0]
    numerical = numerical_gradient(lambda _: _loss(net, X, signal), net.weights[0])
    assert relative_error(dW1, numerical) < 1e-6


def test_deltas_are_error_signals_of_the_preactivations():
    net = deep_net(depth=3, width=4, activation="sigmoid", seed=2)
    net.forward(X_SMALL)
    net.backward(SIGNAL_SMALL)
    # δ_l = ∂E/∂z_l, so dW_l = a_{l-1}ᵀ δ_l and the last δ is signal·f'(z_L)
    s = 1 / (1 + np.exp(-net.preactivations[-1]))
    np.testing.assert_allclose(net.deltas[-1], SIGNAL_SMALL * s * (1 - s))
    for layer in range(3):
        np.testing.assert_allclose(net.gradients()[2 * layer], net.activations[layer].T @ net.deltas[layer])
    assert len(net.parameters()) == 6 and net.parameters()[0] is net.weights[0]


def test_layer_gradient_norms_of_a_two_layer_linear_network_by_hand():
    net = deep_net(depth=2, width=4, activation="identity", seed=5)
    W1, W2 = net.weights
    # E = Σ signal · (X W1 W2): dW2 = (X W1)ᵀ signal, dW1 = Xᵀ (signal W2ᵀ)
    expected = [np.linalg.norm(X_SMALL.T @ (SIGNAL_SMALL @ W2.T)), np.linalg.norm((X_SMALL @ W1).T @ SIGNAL_SMALL)]
    np.testing.assert_allclose(layer_gradient_norms(net, X_SMALL, SIGNAL_SMALL), expected)


def test_layer_gradient_norms_works_for_mlp():
    mlp = MLP([4, 5, 3], activation="tanh", seed=0)
    signal = RNG.normal(size=(6, 3))
    norms = layer_gradient_norms(mlp, X_SMALL, signal)
    # independent reference: ‖∂E/∂W_l‖ from central differences of E = Σ signal·a_L
    numerical = [np.linalg.norm(numerical_gradient(lambda _: _loss(mlp, X_SMALL, signal), W)) for W in mlp.weights]
    np.testing.assert_allclose(norms, numerical, rtol=1e-7)


def test_sigmoid_signal_shrinks_at_least_by_a_quarter_times_the_weights_per_layer():
    net = deep_net(depth=12, width=16, activation="sigmoid", init="xavier", seed=0)
    X = RNG.normal(size=(20, 16))
    net.forward(X)
    net.backward(fixed_error_signal(20, 16))
    # δ_{l-1} = (δ_l W_lᵀ) ⊙ f'(z_{l-1}) with f' ≤ ¼, so ‖δ_1‖ ≤ ‖δ_L‖ · Π ¼·‖W_l‖₂
    bound = np.linalg.norm(net.deltas[-1]) * np.prod([0.25 * np.linalg.norm(W, 2) for W in net.weights[1:]])
    assert np.linalg.norm(net.deltas[0]) <= bound
    assert np.linalg.norm(net.deltas[0]) < 1e-6 * np.linalg.norm(net.deltas[-1])


def test_he_keeps_relu_variance_over_50_layers_while_unit_variance_explodes():
    X = np.random.default_rng(0).normal(size=(200, 256))
    he = activation_variances(deep_net(50, 256, "relu", "he", seed=0), X)
    assert he.shape == (50,)
    assert 0.25 < he.min() / he[0] and he.max() / he[0] < 4      # within a factor of 4 of layer 1
    unit = activation_variances(deep_net(50, 256, "relu", "normal", gain=1.0, seed=0), X)
    # theory: each layer multiplies Var(z) by n·σ_w²/2 = 128
    assert unit[-1] / unit[0] > 1e80
    assert np.all(np.diff(np.log10(unit)) > 1.5)


def test_xavier_keeps_tanh_variance_roughly_while_small_weights_vanish():
    X = np.random.default_rng(0).normal(size=(200, 256))
    xavier = activation_variances(deep_net(20, 256, "tanh", "xavier", seed=0), X)
    assert 1e-2 < xavier[-1] / xavier[0] <= 1.0                   # decays slowly (like 1/l), not exponentially
    small = activation_variances(deep_net(20, 256, "tanh", "normal", gain=0.01, seed=0), X)
    assert small[-1] / small[0] < 1e-15                           # factor n·σ_w² = 0.0256 per layer
    a_var = activation_variances(deep_net(3, 8, "relu", seed=0), X[:, :8], of="a")
    assert a_var.shape == (3,) and (a_var > 0).all()


@pytest.mark.parametrize("kwargs,verdict", [
    ({"activation": "sigmoid", "init": "xavier"}, "vanishing"),
    ({"activation": "relu", "init": "normal"}, "exploding"),
    ({"activation": "relu", "init": "he"}, "healthy"),
    ({"activation": "sigmoid", "init": "xavier", "residual": True}, "healthy"),
    ({"activation": "sigmoid", "init": "xavier", "normalize": True}, "healthy"),
    ({"activation": "relu", "init": "normal", "residual": True, "normalize": True}, "healthy"),
])
def test_gradient_health_of_deep_networks(kwargs, verdict):
    X = np.random.default_rng(0).normal(size=(64, 32))
    norms = layer_gradient_norms(deep_net(20, 32, seed=0, **kwargs), X, fixed_error_signal(64, 32))
    assert gradient_health(norms)[0] == verdict


def test_gradient_health_sentences():
    assert gradient_health([1e-9, 1e-3, 1.0]) == ("vanishing", "vanishing: first-layer gradient is 1e-09 of the last")
    assert gradient_health([2e5, 1.0])[1] == "exploding: first-layer gradient is 1e+05 × the last"
    assert gradient_health([3e8, 1e8]) == (
        "exploding", "exploding: first/last = 3, but every layer's gradient is about 1e+08: the activations grow "
        "layer by layer")
    assert gradient_health([1e-7, 2e-7]) == (
        "vanishing", "vanishing: first/last = 0.5, but every layer's gradient is about 1e-07: the activations "
        "shrink layer by layer")
    assert gradient_health([0.5, 1.0, 2.0])[1] == "healthy: first/last = 0.25, norms between 0.5 and 2"
    assert gradient_health([1.0, 0.0])[0] == "vanishing"


def test_overflow_raises_a_clear_error_without_warnings():
    X = np.random.default_rng(0).normal(size=(64, 32))
    net = deep_net(50, 32, "relu", "normal", gain=1e7, seed=0)
    with pytest.raises(OverflowError, match="overflowed"):
        layer_gradient_norms(net, X, fixed_error_signal(64, 32))
    with pytest.raises(OverflowError, match="overflowed"):
        activation_variances(net, X)


@pytest.mark.parametrize("kwargs,match", [
    ({"depth": 0}, "depth"),
    ({"depth": 2.5}, "depth"),
    ({"width": -1}, "width"),
    ({"activation": "softmax"}, "activation"),
    ({"activation": 3}, "activation"),
    ({"init": "glorot"}, "init"),
    ({"gain": -1.0}, "gain"),
    ({"gain": float("nan")}, "gain"),
    ({"residual": "yes"}, "residual"),
    ({"normalize": 1}, "normalize"),
    ({"n_in": 0}, "n_in"),
])
def test_deepnet_rejects_bad_arguments(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        deep_net(**kwargs)


def test_bad_inputs_to_forward_backward_and_measurements():
    net = deep_net(2, 4)
    with pytest.raises(RuntimeError, match="forward"):
        net.backward(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="X"):
        net.forward(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="X"):
        net.forward(np.full((3, 4), np.nan))
    net.forward(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="grad_output"):
        net.backward(np.zeros((2, 4)))
    with pytest.raises(TypeError, match="model"):
        layer_gradient_norms("not a model", X_SMALL, SIGNAL_SMALL)
    assert activation_variances(MLP([4, 2]), X_SMALL).shape == (1,)  # any MLP can be measured
    with pytest.raises(ValueError, match="of"):
        activation_variances(net, X_SMALL, of="b")
    with pytest.raises(ValueError, match="norms"):
        gradient_health([])
    with pytest.raises(ValueError, match="norms"):
        gradient_health([1.0, np.inf])
    with pytest.raises(ValueError, match="n_samples"):
        fixed_error_signal(0, 3)


def test_fixed_error_signal_is_repeatable_signs_over_n():
    signal = fixed_error_signal(8, 3)
    assert signal.shape == (8, 3)
    np.testing.assert_array_equal(np.abs(signal), np.full((8, 3), 1 / 8))
    np.testing.assert_array_equal(signal, fixed_error_signal(8, 3))


def test_plot_helpers_clip_for_the_log_axis_and_follow_depth():
    fig, ax = new_figure()
    line = plot_gradient_norms(ax, [1.0, 0.1, 0.01])
    assert ax.get_yscale() == "log"
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
    clipped = set_layer_values(line, [0.0, 1.0, np.inf, np.nan, 1e-5])
    np.testing.assert_array_equal(clipped, [1e-300, 1.0, 1e300, 1e-300, 1e-5])
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4, 5])
    set_layer_values(line, [1e-3, 10.0])
    assert ax.get_ylim() == (1e-4, 1e2) and ax.get_xlim() == (0.5, 2.5)
    assert log_limits([1.0, 1.0]) == (1e-2, 1e2)               # at least four decades
    variance_line = plot_activation_variances(ax, np.ones(4))
    assert len(variance_line.get_xdata()) == 4
    empty = plot_gradient_norms(ax, [])
    assert len(empty.get_xdata()) == 0
    matplotlib.pyplot.close(fig)

"""Tests of backprop_helpers.mlp: init_weights and the vectorised MLP (notebook 06)."""

import math

import numpy as np
import pytest

from backprop_helpers import (
    MLP,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    init_weights,
    mse,
    mse_grad,
    numerical_gradient,
    relative_error,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)

ACTIVATION_NAMES = ["sigmoid", "tanh", "relu", "softplus", "identity"]


# ---------------------------------------------------------------- init_weights
@pytest.mark.parametrize("scheme, n_in, n_out, expected_std", [
    ("normal", 300, 200, 1.0),
    ("xavier", 300, 200, math.sqrt(2 / 500)),
    ("he", 300, 200, math.sqrt(2 / 300)),
])
def test_init_weights_std_follows_the_scheme(scheme, n_in, n_out, expected_std):
    W = init_weights(n_in, n_out, scheme, gain=1.0, rng=np.random.default_rng(1))
    assert W.shape == (n_in, n_out)
    assert W.dtype == np.float64
    assert abs(W.std() / expected_std - 1) < 0.02
    assert abs(W.mean()) < 0.02 * expected_std * 10


def test_init_weights_gain_scales_the_std():
    base = init_weights(50, 40, "he", gain=1.0, rng=3)
    scaled = init_weights(50, 40, "he", gain=2.5, rng=3)
    np.testing.assert_allclose(scaled, 2.5 * base)


def test_init_weights_is_seeded():
    np.testing.assert_array_equal(init_weights(4, 3, "xavier"), init_weights(4, 3, "xavier"))
    assert not np.array_equal(init_weights(4, 3, "xavier", rng=1), init_weights(4, 3, "xavier", rng=2))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_in": 0, "n_out": 3, "scheme": "he"}, ValueError, "n_in"),
    ({"n_in": 2, "n_out": 2.5, "scheme": "he"}, TypeError, "n_out"),
    ({"n_in": 2, "n_out": 3, "scheme": "glorot"}, ValueError, "scheme 'glorot' is unknown"),
    ({"n_in": 2, "n_out": 3, "scheme": "he", "gain": -1.0}, ValueError, "gain"),
    ({"n_in": 2, "n_out": 3, "scheme": "he", "gain": float("nan")}, ValueError, "gain"),
    ({"n_in": 2, "n_out": 3, "scheme": "he", "rng": "seed"}, TypeError, "rng"),
])
def test_init_weights_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        init_weights(**kwargs)


# ---------------------------------------------------------------- construction
def test_shapes_of_weights_biases_and_parameters():
    net = MLP([3, 5, 4, 2], activation="tanh")
    assert [W.shape for W in net.weights] == [(3, 5), (5, 4), (4, 2)]
    assert [b.shape for b in net.biases] == [(5,), (4,), (2,)]
    assert all((b == 0).all() for b in net.biases)
    params = net.parameters()
    assert [p.shape for p in params] == [(3, 5), (5,), (5, 4), (4,), (4, 2), (2,)]
    assert params[0] is net.weights[0] and params[3] is net.biases[1]  # the arrays themselves


def test_same_seed_same_network_and_init_scheme_used():
    a, b = MLP([2, 6, 1], seed=4), MLP([2, 6, 1], seed=4)
    for Wa, Wb in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(Wa, Wb)
    rng = np.random.default_rng(4)
    np.testing.assert_allclose(MLP([2, 6, 1], init="he", gain=0.5, seed=4).weights[0],
                               0.5 * math.sqrt(2 / 2) * rng.normal(size=(2, 6)))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"layer_sizes": [2]}, ValueError, "layer_sizes"),
    ({"layer_sizes": "2,3"}, TypeError, "layer_sizes"),
    ({"layer_sizes": [2, 0, 1]}, ValueError, r"layer_sizes\[1\]"),
    ({"layer_sizes": [2, 3.0, 1]}, TypeError, r"layer_sizes\[1\]"),
    ({"layer_sizes": [2, 3, 1], "activation": "swish"}, ValueError, "activation.*'swish' is unknown"),
    ({"layer_sizes": [2, 3, 1], "output_activation": "softmax"}, ValueError, "output_activation"),
    ({"layer_sizes": [2, 3, 1], "activation": None}, TypeError, "activation"),
    ({"layer_sizes": [2, 3, 1], "init": "uniform"}, ValueError, "init 'uniform' is unknown"),
])
def test_constructor_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        MLP(**kwargs)


# ---------------------------------------------------------------- a network set by hand
def _sig(z):
    return 1 / (1 + math.exp(-z))


def test_hand_set_network_matches_an_independent_scalar_computation():
    """2 inputs, 2 sigmoid hidden units, 1 linear output, E = ½ Σ (t − y)², two samples."""
    net = MLP([2, 2, 1], activation="sigmoid", output_activation="identity")
    net.weights[0][:] = [[0.1, -0.4], [0.3, 0.2]]   # w[i][j]: input i -> hidden j
    net.biases[0][:] = [0.05, -0.1]
    net.weights[1][:] = [[0.7], [-0.5]]
    net.biases[1][:] = [0.2]
    X = [[1.0, 2.0], [-0.5, 0.5]]
    t = [1.0, 0.0]
    w1, b1, w2, b2 = [[0.1, -0.4], [0.3, 0.2]], [0.05, -0.1], [0.7, -0.5], 0.2

    dW1 = [[0.0, 0.0], [0.0, 0.0]]
    db1 = [0.0, 0.0]
    dW2 = [0.0, 0.0]
    db2 = 0.0
    ys = []
    for x, target in zip(X, t, strict=True):
        z = [x[0] * w1[0][j] + x[1] * w1[1][j] + b1[j] for j in range(2)]
        h = [_sig(zj) for zj in z]
        y = h[0] * w2[0] + h[1] * w2[1] + b2
        ys.append(y)
        dy = y - target                                   # dE/dy for ½(t − y)²
        db2 += dy
        for j in range(2):
            dW2[j] += dy * h[j]
            dz = dy * w2[j] * h[j] * (1 - h[j])
            db1[j] += dz
            for i in range(2):
                dW1[i][j] += dz * x[i]

    out = net.forward(X)
    assert out.shape == (2, 1)
    np.testing.assert_allclose(out[:, 0], ys, rtol=1e-12)
    grads = net.backward(out - np.array(t)[:, None])
    np.testing.assert_allclose(grads[0][0], dW1, rtol=1e-12)
    np.testing.assert_allclose(grads[0][1], db1, rtol=1e-12)
    np.testing.assert_allclose(grads[1][0][:, 0], dW2, rtol=1e-12)
    np.testing.assert_allclose(grads[1][1], [db2], rtol=1e-12)
    # gradients() flattens in the order of parameters()
    flat = net.gradients()
    assert [g.shape for g in flat] == [p.shape for p in net.parameters()]
    np.testing.assert_array_equal(flat[2], grads[1][0])
    # deltas: the output δ is dE/dy itself (identity output); db is their column sum
    np.testing.assert_allclose(net.deltas[1][:, 0], np.array(ys) - np.array(t), rtol=1e-12)
    np.testing.assert_allclose(net.deltas[0].sum(axis=0), db1, rtol=1e-12)


# ---------------------------------------------------------------- gradient checks
def _check_all_gradients(net, X, loss, loss_grad):
    # Non-zero biases: with zero biases a dead ReLU layer would put some z exactly on the kink.
    rng = np.random.default_rng(11)
    for b in net.biases:
        b[:] = rng.normal(scale=0.3, size=b.shape)
    net.forward(X)
    net.backward(loss_grad(net.output))
    analytic = net.gradients()
    for index, param in enumerate(net.parameters()):
        numeric = numerical_gradient(lambda _p: loss(net.forward(X)), param)
        assert relative_error(analytic[index], numeric) < 1e-6, f"parameter {index}"


SHAPES = [[2, 3, 1], [3, 5, 4, 2], [1, 8, 1]]


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("sizes", SHAPES)
def test_gradients_mse_regression(activation, sizes):
    rng = np.random.default_rng(len(sizes) + sizes[0])
    X = rng.normal(size=(7, sizes[0]))
    t = rng.normal(size=(7, sizes[-1]))
    net = MLP(sizes, activation=activation, output_activation="identity", seed=2)
    _check_all_gradients(net, X, lambda y: mse(t, y), lambda y: mse_grad(t, y))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("sizes", [[2, 4, 1], [3, 3, 5, 1]])
def test_gradients_binary_cross_entropy_with_sigmoid_output(activation, sizes):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(6, sizes[0]))
    t = (rng.random(size=(6, 1)) > 0.5).astype(float)
    net = MLP(sizes, activation=activation, output_activation="sigmoid", seed=3)
    _check_all_gradients(net, X, lambda y: binary_cross_entropy(t, y), lambda y: binary_cross_entropy_grad(t, y))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_gradients_binary_cross_entropy_from_logits(activation):
    rng = np.random.default_rng(6)
    X = rng.normal(size=(8, 2))
    t = (rng.random(size=(8, 1)) > 0.5).astype(float)
    net = MLP([2, 5, 1], activation=activation, output_activation="identity", seed=4)
    _check_all_gradients(net, X, lambda z: binary_cross_entropy(t, z, from_logits=True),
                         lambda z: binary_cross_entropy_grad(t, z, from_logits=True))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("sizes", [[2, 4, 3], [4, 6, 5, 3]])
def test_gradients_softmax_cross_entropy(activation, sizes):
    rng = np.random.default_rng(7)
    X = rng.normal(size=(9, sizes[0]))
    labels = rng.integers(0, sizes[-1], size=9)
    net = MLP(sizes, activation=activation, output_activation="identity", seed=5)
    _check_all_gradients(net, X, lambda z: softmax_cross_entropy(labels, z),
                         lambda z: softmax_cross_entropy_grad(labels, z))


def test_cross_entropy_output_delta_is_prediction_minus_target():
    """With a sigmoid output and binary cross-entropy, δ_L = (y − t)/n, the simple output gradient."""
    rng = np.random.default_rng(8)
    X = rng.normal(size=(5, 2))
    t = np.array([[1.0], [0.0], [1.0], [1.0], [0.0]])
    net = MLP([2, 3, 1], activation="tanh", output_activation="sigmoid")
    y = net.forward(X)
    net.backward(binary_cross_entropy_grad(t, y))
    np.testing.assert_allclose(net.deltas[-1], (y - t) / 5, rtol=1e-9)


def test_deltas_follow_the_recursion():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(4, 3))
    net = MLP([3, 4, 2], activation="tanh")
    net.forward(X)
    g = rng.normal(size=(4, 2))
    net.backward(g)
    Z1 = X @ net.weights[0] + net.biases[0]
    expected = (g @ net.weights[1].T) * (1 - np.tanh(Z1) ** 2)
    np.testing.assert_allclose(net.deltas[0], expected, rtol=1e-12)
    np.testing.assert_allclose(net.grads[0][0], X.T @ expected, rtol=1e-12)


def test_deltas_do_not_alias_the_callers_grad_output():
    """With an identity output δ_L equals grad_output; it must be a copy, not the caller's array."""
    rng = np.random.default_rng(10)
    net = MLP([3, 4, 2], activation="tanh", output_activation="identity")
    net.forward(rng.normal(size=(4, 3)))
    g = rng.normal(size=(4, 2))
    saved = g.copy()
    net.backward(g)
    np.testing.assert_array_equal(net.deltas[-1], saved)
    assert not np.shares_memory(net.deltas[-1], g)
    net.deltas[-1][...] = 0.0          # mutating the stored δ leaves the caller's array alone
    np.testing.assert_array_equal(g, saved)
    g[...] = 1.0                       # and mutating the caller's array leaves the stored δ alone
    assert not np.any(net.deltas[-1])


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_extreme_inputs_raise_no_floating_point_flags(activation):
    net = MLP([2, 3, 1], activation=activation, output_activation="sigmoid", gain=1e3)
    with np.errstate(all="raise"):
        y = net.forward([[1e4, -1e4], [0.0, 0.0], [-1e300, 1e300]])
        net.backward(np.ones_like(y))
    assert np.isfinite(y).all() and ((y >= 0) & (y <= 1)).all()
    assert all(np.isfinite(g).all() for g in net.gradients())


def test_extreme_inputs_softplus_only_underflows():
    net = MLP([2, 3, 1], activation="softplus", gain=1e3)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is harmless
        y = net.forward([[1e4, -1e4], [0.0, 0.0]])
        net.backward(np.ones_like(y))
    assert np.isfinite(y).all()


def test_fast_sigmoid_matches_the_exact_formula():
    z = np.linspace(-700, 700, 2801)
    net = MLP([1, 1], output_activation="sigmoid")
    net.weights[0][:] = 1.0
    y = net.forward(z[:, None])[:, 0]
    inside = np.abs(z) <= 500
    exact = np.array([1 / (1 + math.exp(-v)) for v in z[inside]])
    np.testing.assert_allclose(y[inside], exact, rtol=1e-14)
    assert (y[z < -500] < 1e-217).all() and (y[z > 500] == 1.0).all()


def test_logistic_and_mse_loss_pairs_are_the_checked_losses_bit_for_bit():
    # mlp_objective's LOGISTIC and MSE skip the per-call checks of the losses module (it checked X and T
    # once); they must compute exactly what binary_cross_entropy(T, Z, from_logits=True), mse and their _grad do
    from backprop_helpers.mlp import LOGISTIC, MSE

    rng = np.random.default_rng(5)
    for scale in (1e-3, 1.0, 30.0, 800.0):
        Z = rng.normal(scale=scale, size=(57, 1))
        T = (rng.random((57, 1)) > 0.5).astype(float)
        assert LOGISTIC[0](Z, T) == binary_cross_entropy(T, Z, from_logits=True)
        np.testing.assert_array_equal(LOGISTIC[1](Z, T), binary_cross_entropy_grad(T, Z, from_logits=True))
    for scale in (1e-3, 1.0, 1e6):
        Y, T = rng.normal(scale=scale, size=(31, 3)), rng.normal(size=(31, 3))
        assert MSE[0](Y, T) == mse(T, Y)
        np.testing.assert_array_equal(MSE[1](Y, T), mse_grad(T, Y))
    # a diverging run's output gives a non-finite E (descend, which ignores the flags, reports "diverged")
    with np.errstate(invalid="ignore"):
        assert not np.isfinite(LOGISTIC[0](np.array([[np.inf], [1.0]]), np.array([[0.0], [1.0]])))


# ---------------------------------------------------------------- errors
def test_forward_rejects_bad_shapes_and_non_finite_input():
    net = MLP([2, 3, 1])
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\), got shape \(4, 3\)"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"X must have shape .* got shape \(2,\)"):
        net.forward(np.zeros(2))
    with pytest.raises(ValueError, match="X contains (NaN|inf)"):
        net.forward([[0.0, np.nan]])
    with pytest.raises(ValueError, match="X contains (NaN|inf)"):
        net.forward([[np.inf, 1.0]])


def test_backward_errors():
    net = MLP([2, 3, 1])
    with pytest.raises(RuntimeError, match=r"forward\(X\) before backward"):
        net.backward(np.zeros((4, 1)))
    with pytest.raises(RuntimeError, match="backward"):
        net.gradients()
    net.forward(np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"grad_output must have the output's shape \(4, 1\), got \(4,\)"):
        net.backward(np.zeros(4))



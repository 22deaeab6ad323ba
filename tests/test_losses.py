"""Losses: values from their definitions, gradients against finite differences, bad input."""

import numpy as np
import pytest

from backprop_helpers import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    mse,
    mse_grad,
    numerical_gradient,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    squared_error,
    squared_error_grad,
    ssr,
    ssr_grad,
)

rng = np.random.default_rng(0)


def test_values_from_the_definitions():
    t, y = np.array([0.0, 1.0, 0.0]), np.array([0.5, 0.25, -1.0])
    assert squared_error(t, y) == pytest.approx(0.5 * (0.25 + 0.5625 + 1.0))
    assert ssr(t, y) == pytest.approx(0.25 + 0.5625 + 1.0)
    assert mse(t, y) == pytest.approx((0.25 + 0.5625 + 1.0) / 3)
    assert squared_error(1.0, 0.25) == pytest.approx(0.28125)


def test_cross_entropy_values_from_the_definitions():
    t, p = np.array([1.0, 0.0]), np.array([0.8, 0.4])
    expected = -(np.log(0.8) + np.log(0.6)) / 2
    assert binary_cross_entropy(t, p) == pytest.approx(expected)
    logits = np.log(p / (1 - p))
    assert binary_cross_entropy(t, logits, from_logits=True) == pytest.approx(expected)
    z = np.array([[1.0, 2.0, 3.0]])
    assert softmax_cross_entropy(np.array([2]), z) == pytest.approx(-np.log(np.exp(3) / np.exp([1, 2, 3]).sum()))


@pytest.mark.parametrize(
    "loss, grad",
    [(squared_error, squared_error_grad), (ssr, ssr_grad), (mse, mse_grad)],
)
def test_regression_gradients_match_finite_differences(loss, grad):
    for shape in [(3,), (4, 2), (5, 1)]:
        t = rng.normal(size=shape)
        y = rng.normal(size=shape)
        numeric = numerical_gradient(lambda yy: loss(t, yy), y.copy())
        np.testing.assert_allclose(grad(t, y), numeric, rtol=1e-6, atol=1e-9)


def test_binary_cross_entropy_gradients_match_finite_differences():
    t = (rng.random((6, 1)) > 0.5).astype(float)
    p = rng.uniform(0.1, 0.9, size=(6, 1))
    numeric = numerical_gradient(lambda pp: binary_cross_entropy(t, pp), p.copy(), h=1e-6)
    np.testing.assert_allclose(binary_cross_entropy_grad(t, p), numeric, rtol=1e-5)
    z = rng.normal(size=(6, 1)) * 3
    numeric = numerical_gradient(lambda zz: binary_cross_entropy(t, zz, from_logits=True), z.copy())
    np.testing.assert_allclose(binary_cross_entropy_grad(t, z, from_logits=True), numeric, rtol=1e-6, atol=1e-10)
    # the logit gradient is "prediction minus target", averaged over samples
    np.testing.assert_allclose(binary_cross_entropy_grad(t, z, from_logits=True), (1 / (1 + np.exp(-z)) - t) / 6)


def test_softmax_cross_entropy_gradient_matches_finite_differences():
    labels = np.array([0, 2, 1, 2])
    z = rng.normal(size=(4, 3))
    numeric = numerical_gradient(lambda zz: softmax_cross_entropy(labels, zz), z.copy())
    analytic = softmax_cross_entropy_grad(labels, z)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-10)
    one_hot = np.eye(3)[labels]
    np.testing.assert_allclose(softmax_cross_entropy_grad(one_hot, z), analytic)
    np.testing.assert_allclose(analytic, (softmax(z) - one_hot) / 4)


def test_stable_for_extreme_logits():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert binary_cross_entropy(np.array([1.0]), np.array([1e4]), from_logits=True) == 0.0
        assert softmax_cross_entropy(np.array([0]), np.array([[1e4, -1e4]])) == 0.0
        assert np.isfinite(softmax(np.array([[1e4, 0.0]]))).all()


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="t and y must have the same shape"):
        squared_error(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="observed and predicted must have the same shape"):
        ssr([0, 1], [0, 1, 2])
    with pytest.raises(ValueError, match="y contains NaN"):
        mse([0.0], [np.nan])
    with pytest.raises(ValueError, match="y contains inf"):
        mse([0.0], [np.inf])
    with pytest.raises(TypeError, match="t must be a real number"):
        mse("a", [1.0])
    with pytest.raises(ValueError, match="y must hold probabilities"):
        binary_cross_entropy([1.0], [1.5])
    with pytest.raises(ValueError, match="t must hold targets between 0 and 1"):
        binary_cross_entropy([2.0], [0.5])
    with pytest.raises(ValueError, match="logits must be 2-D"):
        softmax_cross_entropy(np.array([0]), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="t must hold class labels 0..1"):
        softmax_cross_entropy(np.array([2]), np.array([[1.0, 2.0]]))


def test_gradients_of_scalars_are_plain_floats():
    assert isinstance(squared_error_grad(1.0, 0.25), float) and squared_error_grad(1.0, 0.25) == -0.75
    assert isinstance(ssr_grad(1.0, 0.25), float) and ssr_grad(1.0, 0.25) == -1.5
    assert isinstance(mse_grad(1.0, 0.25), float) and mse_grad(1.0, 0.25) == -1.5

"""Activations: values, derivatives against finite differences and sympy, stability, bad input."""

import math

import numpy as np
import pytest
import sympy

from backprop_helpers import ACTIVATIONS, get_activation, numerical_derivative

# A dense sweep, plus points where a careless formula overflows or loses precision.
POINTS = np.concatenate([np.linspace(-8, 8, 161), [-40.0, -20.0, 20.0, 40.0]])
EXTREMES = np.array([-1e4, -1e3, -710.0, -50.0, 50.0, 710.0, 1e3, 1e4])

def _math_sigmoid(v):
    return 1 / (1 + math.exp(-v))


# The textbook formulas, written independently with the math module (for moderate inputs).
MATH_FORMS = {
    "sigmoid": (_math_sigmoid, lambda v: _math_sigmoid(v) * (1 - _math_sigmoid(v))),
    "tanh": (math.tanh, lambda v: 1 - math.tanh(v) ** 2),
    "relu": (lambda v: max(v, 0.0), lambda v: 1.0 if v > 0 else 0.0),
    "softplus": (lambda v: math.log1p(math.exp(v)), _math_sigmoid),
    "identity": (lambda v: v, lambda v: 1.0),
}

z = sympy.Symbol("z", real=True)
SYMPY_FORMS = {
    "sigmoid": 1 / (1 + sympy.exp(-z)),
    "tanh": sympy.tanh(z),
    "softplus": sympy.log(1 + sympy.exp(z)),
    "identity": z,
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_differences(name):
    f, f_prime = ACTIVATIONS[name]
    points = POINTS[np.abs(POINTS) > 1e-3] if name == "relu" else POINTS  # skip ReLU's kink
    for x in points:
        numeric = numerical_derivative(f, float(x), h=1e-6)
        assert f_prime(float(x)) == pytest.approx(numeric, rel=1e-6, abs=1e-9), (name, x)


@pytest.mark.parametrize("name", sorted(SYMPY_FORMS))
def test_values_and_derivatives_match_sympy(name):
    f, f_prime = ACTIVATIONS[name]
    expr = SYMPY_FORMS[name]
    f_ref = sympy.lambdify(z, expr, "math")
    df_ref = sympy.lambdify(z, sympy.diff(expr, z), "math")
    for x in np.linspace(-6, 6, 25):
        assert f(float(x)) == pytest.approx(f_ref(float(x)), rel=1e-12, abs=1e-14)
        assert f_prime(float(x)) == pytest.approx(df_ref(float(x)), rel=1e-10, abs=1e-14)


def test_relu_values_and_kink_convention():
    f, f_prime = ACTIVATIONS["relu"]
    assert f(-2.0) == 0.0 and f(3.0) == 3.0
    assert f_prime(-2.0) == 0.0 and f_prime(3.0) == 1.0 and f_prime(0.0) == 0.0


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_stable_at_huge_inputs_without_warnings(name):
    f, f_prime = ACTIVATIONS[name]
    # any overflow or invalid operation becomes an error
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        values, slopes = f(EXTREMES), f_prime(EXTREMES)
    assert np.isfinite(values).all() and np.isfinite(slopes).all()


def test_limits_at_huge_inputs():
    sig, sig_prime = ACTIVATIONS["sigmoid"]
    soft, _ = ACTIVATIONS["softplus"]
    assert sig(-1e4) == 0.0 and sig(1e4) == 1.0 and sig_prime(1e4) == 0.0
    assert soft(1e4) == 1e4 and soft(-1e4) == 0.0
    assert ACTIVATIONS["tanh"][0](-1e4) == -1.0
    assert soft(30.0) == pytest.approx(30.0 + math.log1p(math.exp(-30.0)), rel=1e-15)


def test_sigmoid_derivative_is_at_most_a_quarter():
    _, sig_prime = ACTIVATIONS["sigmoid"]
    grid = np.linspace(-10, 10, 2001)
    assert sig_prime(grid).max() == pytest.approx(0.25)
    assert sig_prime(0.0) == 0.25


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_shapes_and_types_follow_the_input(name):
    f, f_prime = ACTIVATIONS[name]
    assert isinstance(f(0.3), float) and isinstance(f_prime(0.3), float)
    x = np.arange(12.0).reshape(3, 4) - 6
    assert f(x).shape == (3, 4) and f_prime(x).shape == (3, 4)
    reference, reference_prime = MATH_FORMS[name]   # element by element, with the math module
    np.testing.assert_allclose(f(x), np.vectorize(reference)(x), rtol=1e-12)
    np.testing.assert_allclose(f_prime(x), np.vectorize(reference_prime)(x), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_bad_input_is_rejected_naming_z(name):
    f, _ = ACTIVATIONS[name]
    with pytest.raises(ValueError, match="z contains NaN"):
        f(np.array([0.0, np.nan]))
    with pytest.raises(TypeError, match="z must be a real number"):
        f("1.0")
    with pytest.raises(TypeError, match="z must be a real number"):
        f(None)


def test_unknown_activation_name():
    with pytest.raises(ValueError, match="activation 'sigmod' is unknown"):
        get_activation("sigmod")
    with pytest.raises(TypeError, match="activation must be a name"):
        get_activation(3)
    assert get_activation("tanh") is ACTIVATIONS["tanh"]
    with pytest.raises(ValueError, match="activation 'swish' is unknown; expected one of: identity, relu"):
        ACTIVATIONS["swish"]

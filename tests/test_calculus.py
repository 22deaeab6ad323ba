"""Numerical derivatives, relative error and the sympy check helpers."""

import math

import numpy as np
import pytest
import sympy

from backprop_helpers import (
    check_derivative,
    check_gradient,
    check_same_expression,
    numerical_derivative,
    numerical_gradient,
    relative_error,
)

x, y = sympy.symbols("x y", real=True)


def test_numerical_derivative_of_known_functions():
    assert numerical_derivative(math.sin, 0.3) == pytest.approx(math.cos(0.3), rel=1e-9)
    assert numerical_derivative(lambda v: v**3, 2.0) == pytest.approx(12.0, rel=1e-9)
    # central differences are exact for quadratics up to rounding
    assert numerical_derivative(lambda v: 3 * v**2 - v, 1.5, h=1e-3) == pytest.approx(8.0, rel=1e-9)


def test_numerical_gradient_any_shape_and_restores_the_array():
    a = np.arange(6.0).reshape(2, 3) / 10
    before = a.copy()
    grad = numerical_gradient(lambda arr: np.sum(arr**2) + arr[0, 1] * arr[1, 2], a)
    expected = 2 * before
    expected[0, 1] += before[1, 2]
    expected[1, 2] += before[0, 1]
    np.testing.assert_allclose(grad, expected, rtol=1e-8)
    np.testing.assert_array_equal(a, before)


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)
    with pytest.raises(ValueError, match="a and b must have the same shape"):
        relative_error([1.0], [1.0, 2.0])


def test_sympy_check_accepts_a_right_derivative(capsys):
    derivative = check_derivative(2 * x * y, x**2 * y + sympy.sin(y), x)
    assert derivative == 2 * x * y
    assert "✓" in capsys.readouterr().out
    check_derivative(x**2 + sympy.cos(y), x**2 * y + sympy.sin(y), y, label="∂f/∂y")
    assert "sympy check: ∂f/∂y ✓" in capsys.readouterr().out


def test_sympy_check_rejects_a_wrong_derivative():
    with pytest.raises(AssertionError, match="differs from sympy"):
        check_derivative(2 * x, x**2 * y + sympy.sin(y), x)
    with pytest.raises(AssertionError, match="differs from sympy"):
        check_derivative(x**2 - sympy.cos(y), x**2 * y + sympy.sin(y), y)


def test_sympy_check_accepts_equal_forms_written_differently(capsys):
    s = 1 / (1 + sympy.exp(-x))
    check_same_expression(s * (1 - s), sympy.diff(s, x), "sigmoid'")
    assert "✓" in capsys.readouterr().out
    with pytest.raises(AssertionError):
        check_same_expression(s * (1 + s), sympy.diff(s, x), "sigmoid'")


def test_check_gradient_reports_pass_and_fail(capsys):
    assert check_gradient([1.0, 2.0], [1.0, 2.0 + 1e-12], "g") < 1e-7
    assert "✓" in capsys.readouterr().out
    assert check_gradient([1.0, 2.0], [1.0, 2.5], "g") > 1e-7
    assert "✗" in capsys.readouterr().out


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="h must be above 0"):
        numerical_derivative(math.sin, 0.0, h=0)
    with pytest.raises(ValueError, match="x must be a finite number"):
        numerical_derivative(math.sin, float("nan"))
    with pytest.raises(TypeError, match="f must be a function"):
        numerical_derivative(3, 0.0)
    with pytest.raises(TypeError, match="x must be a real number"):
        numerical_derivative(math.sin, "0")
    with pytest.raises(TypeError, match="array must be a float64 NumPy array"):
        numerical_gradient(np.sum, [1.0, 2.0])
    with pytest.raises(ValueError, match="array contains NaN"):
        numerical_gradient(np.sum, np.array([np.nan]))
    with pytest.raises(TypeError, match="var must be a sympy Symbol"):
        check_derivative(2 * x, x**2, "x")


def test_numerical_gradient_nudges_a_transposed_view_in_place():
    # W.T is not contiguous: nudging a reshaped copy of it would leave f unchanged and give zeros
    W = np.arange(6.0).reshape(2, 3)
    view = W.T
    grad = numerical_gradient(lambda A: float(np.sum(A**2 * np.array([1.0, 2.0]))), view)
    np.testing.assert_allclose(grad, 2 * view * np.array([1.0, 2.0]), rtol=1e-8, atol=1e-8)
    np.testing.assert_array_equal(W, np.arange(6.0).reshape(2, 3))  # every entry put back

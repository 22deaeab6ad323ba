"""The check-and-hint mechanism: right answers, known mistakes, wrong kinds of input."""

import numpy as np
import sympy

from backprop_helpers import Feedback, check_array, check_expression, check_number


def test_check_number():
    assert check_number(0.25, 0.25)
    assert repr(check_number(0.25, 0.25)).startswith("✅ Correct!")
    wrong_sign = check_number(-0.25, 0.25, mistakes=[(-0.25, "check the sign of dE/dy")])
    assert not wrong_sign and repr(wrong_sign) == "❌ Not yet: check the sign of dE/dy"
    assert "Re-check" in repr(check_number(3.0, 0.25))
    assert "is close: keep at least 4 significant digits" in repr(check_number(-0.15, -0.148))
    assert repr(check_number(3.0, 0.25, hint="use the chain rule")) == "❌ Not yet: use the chain rule"


def test_check_number_wrong_kinds_never_raise():
    expected = "❌ Not yet: no answer yet: replace None with your answer and run the cell again."
    assert repr(check_number(None, 0.25)) == expected
    for answer in ["0.25", None, [0.25], True, float("nan")]:
        feedback = check_number(answer, 0.25)
        assert isinstance(feedback, Feedback) and not feedback
    assert "expected a number, got str" in repr(check_number("0.25", 0.25))
    assert "finite" in repr(check_number(float("nan"), 0.25))


def test_check_number_accepts_exact_sympy_numbers_and_one_element_arrays():
    assert check_number(-1 / sympy.sqrt(2), -0.70710678)
    assert check_number(sympy.Rational(1, 5), 0.2)
    assert check_number(sympy.sqrt(25), 5.0)
    assert check_number(np.array(5.0), 5.0) and check_number(np.array([0.2]), 0.2)
    assert "expected a number, got Symbol" in repr(check_number(sympy.Symbol("x"), 0.2))
    assert not check_number(np.array([1.0, 2.0]), 1.0)


def test_check_array():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert check_array(expected.tolist(), expected)
    assert "expected shape (2, 2), got shape (2,)" in repr(check_array([1.0, 2.0], expected))
    assert repr(check_array(expected.T, expected, mistakes=[(expected.T, "transposed")])) == "❌ Not yet: transposed"
    assert not check_array("abc", expected)
    assert not check_array([[1.0, np.inf], [3.0, 4.0]], expected)


def test_check_expression():
    x, y = sympy.symbols("x y")
    expected = 2 * x * y
    assert check_expression(2 * y * x, expected)
    assert check_expression("2*x*y", expected, locals={"x": x, "y": y})
    assert check_expression("2·x·y", expected, locals={"x": x, "y": y})
    assert check_expression("−(−2*x*y)", expected, locals={"x": x, "y": y})
    assert repr(check_expression("x**2", expected, mistakes=[(x**2, "that is f, not ∂f/∂x")])) == (
        "❌ Not yet: that is f, not ∂f/∂x"
    )
    assert "could not read" in repr(check_expression("2x*(", expected))
    assert "expected a formula" in repr(check_expression([1], expected))
    assert "without np. or math." in repr(check_expression("2*x*np.sin(y)", expected))
    for odd in ["lambda x: x", "2 ** * x", "x.y.z", "[1, 2]", ""]:
        assert not check_expression(odd, expected, locals={"x": x, "y": y})
    assert "expected a formula" in repr(check_expression(True, expected))
    assert "expected a formula" in repr(check_expression("y > x", expected, locals={"x": x, "y": y}))

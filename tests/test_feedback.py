"""The check-and-hint mechanism: right answers, known mistakes, wrong kinds of input."""

import numpy as np
import pytest
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


# ---- check_function: the harness behind every "your turn" check ---------------------------
from fractions import Fraction  # noqa: E402

from backprop_helpers import check_function  # noqa: E402


def _dE_dy(y, t):
    """The reference: dE/dy = −(t − y) for E = ½(t − y)²."""
    return -(t - y)


CASES = [("y = 0.25, t = 1", (0.25, 1.0)), ("arrays", (np.array([0.5, 2.0]), np.array([1.0, -1.0])))]


def test_the_reference_and_equivalent_forms_are_accepted():
    assert check_function(_dE_dy, CASES, _dE_dy)
    assert check_function(lambda y, t: y - t, CASES, _dE_dy)


def test_a_known_mistake_gets_its_own_hint_and_an_unknown_one_names_the_case():
    mistakes = [(lambda y, t: t - y, "the sign is flipped"), (lambda y, t: -2 * (t - y), "drop the factor 2")]
    flipped = check_function(lambda y, t: t - y, CASES, _dE_dy, mistakes=mistakes)
    assert not flipped and "the sign is flipped" in repr(flipped)
    doubled = check_function(lambda y, t: 2 * (y - t), CASES, _dE_dy, mistakes=mistakes)
    assert not doubled and "drop the factor 2" in repr(doubled)
    other = check_function(lambda y, t: y * t, CASES, _dE_dy, mistakes=mistakes)
    assert not other and "y = 0.25, t = 1" in repr(other) and "-0.75" in repr(other)


@pytest.mark.parametrize("wrong,words", [
    (lambda y, t: None, "returned None"),
    (lambda y, t: 1 / 0, "ZeroDivisionError"),
    (lambda y, t: [1, [2, 3]], "real numbers"),
    (lambda y, t: "0.75", "real numbers"),
    (lambda y, t: (y - t) * 1j, "real numbers"),
    (lambda y, t: 10**400, "float-sized"),
    (lambda y, t: np.full(3, 0.5), "shape"),
    (lambda y, t: np.log(-1.0 - y), "NaN"),
    (None, "not a function"),
])
def test_a_broken_function_gets_a_message_never_an_exception_or_a_warning(wrong, words):
    feedback = check_function(wrong, CASES, _dE_dy)
    assert not feedback and words in repr(feedback)


def test_exact_numbers_count_and_a_hang_is_stopped():
    assert check_function(lambda y, t: Fraction(-3, 4), CASES[:1], _dE_dy)

    def forever(y, t):
        while True:
            pass

    feedback = check_function(forever, CASES, _dE_dy, timeout=0.2)
    assert not feedback and "more than 0.2 s" in repr(feedback)


def test_a_function_that_changes_its_input_does_not_change_the_hidden_cases():
    def zeroes_y(y, t):
        if isinstance(y, np.ndarray):
            y[:] = 0.0
        return -(t - y)

    cases = [("arrays", (np.array([0.5, 2.0]), np.array([1.0, -1.0])))]
    assert not check_function(zeroes_y, cases, _dE_dy)
    assert cases[0][1][0].tolist() == [0.5, 2.0]


# ---- wrong answers never raise and never say correct; right answers are never rejected ----
@pytest.mark.parametrize("answer,words", [
    (0.25 + 1e-3j, "complex"), (complex(0.25, 0), "complex"), (10**400, "too large"), (sympy.oo, "real number"),
    (sympy.zoo, "real number"), (sympy.I, "real number"), ("0.25", "expected a number"),
    ([0.25, 1], "expected a number"),
])
def test_check_number_refuses_what_is_not_a_real_number(answer, words):
    feedback = check_number(answer, 0.25)
    assert not feedback and words in repr(feedback)


def test_check_number_accepts_exact_forms_of_the_right_answer():
    assert check_number(Fraction(1, 4), 0.25)
    assert check_number(sympy.Rational(1, 4), 0.25)
    assert check_number(np.array([0.25]), 0.25)


def test_the_close_hint_is_only_for_the_expected_value_rounded():
    assert "keep at least 4 significant digits" in repr(check_number(-0.15, -0.148))   # −0.148 to 2 digits
    assert "keep at least 4 significant digits" in repr(check_number(0.05, 0.0463))    # 0.0463 to 1 digit
    far = check_number(0.081, 0.0552)   # 46 % off: not a rounding of the answer
    assert not far and "close" not in repr(far)
    assert "close" not in repr(check_number(0.149, 0.148))   # same digits, wrong value


@pytest.mark.parametrize("answer", [[1, [2, 3]], [[1.0, 2.0], [3.0]], np.array([1 + 1j, 2]), "1, 2", 10**400])
def test_check_array_refuses_odd_arrays_with_a_message(answer):
    feedback = check_array(answer, [1.0, 2.0])
    assert not feedback and "expected" in repr(feedback)


X, Y = sympy.symbols("x y")
LAM, W = sympy.Symbol("lambda"), sympy.Symbol("w")


@pytest.mark.parametrize("answer", [
    "3*x**2*y", "3·x²·y", "3x²y", "3 x^2 y", 3 * sympy.Symbol("x", real=True) ** 2 * sympy.Symbol("y", real=True),
])
def test_check_expression_accepts_the_notebooks_notation(answer):
    assert check_expression(answer, 3 * X**2 * Y), answer


def test_check_expression_understands_lambda_and_real_symbols():
    assert check_expression("lambda*w", LAM * W)
    assert check_expression("λ·w", LAM * W)
    assert check_expression(sympy.Symbol("lambda", real=True) * W, LAM * W)


@pytest.mark.parametrize("answer,words", [
    ("2**10**10", "too large"), ("x +* y", "could not read"), (sympy.oo, "finite"), ("np.sin(x)", "without np."),
    ("Abs(x)*3*x*y", "is not it"), ("x" * 600, "too long"),
])
def test_check_expression_never_hangs_or_raises_on_odd_strings(answer, words):
    feedback = check_expression(answer, 3 * X**2 * Y)
    assert not feedback and words in repr(feedback)


def test_check_expression_does_not_tick_a_formula_equal_only_for_positive_values():
    assert not check_expression("sqrt(x**2)", X)
    assert not check_expression("Abs(x)", X)


def test_a_missing_return_is_named_also_where_a_pair_is_expected():
    pair = lambda u, v: (v, u)  # noqa: E731
    feedback = check_function(lambda u, v: None, [("u = 2, v = 3", (2.0, 3.0))], pair)
    assert not feedback and "returned None" in repr(feedback)


def test_a_custom_comparison_never_lets_a_complex_result_warn_or_pass():
    def compare(got, expected):  # a notebook's own comparison that casts to float
        return None if np.allclose(np.asarray(got, dtype=float), expected) else "differs"

    feedback = check_function(lambda u: np.array([u + 0j, 1.0]), [("u = 2", (2.0,))],
                              lambda u: np.array([u, 1.0]), compare=compare)
    assert not feedback and "complex" in repr(feedback)

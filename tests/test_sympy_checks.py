"""The sympy checks never tick a wrong answer (issue "the checks never lie").

Each wrong pair below is a mistake a learner or an author could make; none may print ✓.
Each right pair, some of which sympy's ``simplify`` cannot reduce to 0, must still be ticked.
"""

import pytest
import sympy
from sympy import Abs, Heaviside, Max, Min, Piecewise, cos, exp, log, sign, sin, sqrt, tanh

from backprop_helpers import check_derivative, check_same_expression

x, y, w, t = sympy.symbols("x y w t")
lam = sympy.Symbol("lambda")
xp = sympy.Symbol("x", positive=True)
sig = 1 / (1 + exp(-x))

WRONG = [
    (Abs(x), x), (sqrt(x**2), x), (Max(x, 0), x), (Min(x, 2), x), (log(x**2), 2 * log(x)),
    (x + exp(x - 50), x), (x**2, x**2 + 1e-6), (sin(x), x), (cos(x), 1 - x**2 / 2), (exp(x), 1 + x + x**2 / 2),
    (tanh(x), sig), (sig * (1 - sig), sig), (sig * (1 - sig), 1 / 4), (2 * x * y, x * y), (x**2 * y, y**2 * x),
    (-(t - sig) * sig * (1 - sig) * x, (t - sig) * sig * (1 - sig) * x),
    (-(t - sig) * sig * (1 - sig), -(t - sig) * sig * (1 - sig) * x),
    (Heaviside(x), 1), (sign(x), 1), (Max(x, 0) ** 2, x**2), (Abs(x) * x, x**2),
    (Piecewise((x, x > 1), (0, True)), x),
    (x / (1 + Abs(x)), x / (1 + x)), (sqrt(x**2 + y**2), x + y), (log(exp(x) + 1), x),
    (log(1 + exp(x)), log(2) + x / 2),
    (x**3, x**3 + x * 1e-12 + 1e-3), (exp(-x**2), exp(-x) ** 2), ((x - 1) ** 2, x**2 - 1), (1 / x, x ** (-2)),
    (Max(x, y), x), (Abs(x - y), x - y), (sin(x) ** 2, 1 - cos(x)),
]

RIGHT = [
    (2 * x * y, 2 * y * x), (sqrt(xp**2), xp), (Abs(x) ** 2, x**2), (log(exp(x)), x),
    (sig * (1 - sig), exp(-x) / (1 + exp(-x)) ** 2),
    (Max(x, 0) - Min(x, 0), Abs(x)), (1 - tanh(x) ** 2, 1 / cos(sympy.I * x) ** 2), (sin(x) ** 2 + cos(x) ** 2, 1),
    (log(1 + exp(x)) - log(1 + exp(-x)), x), (Heaviside(x) + Heaviside(-x), 1),
]


@pytest.mark.parametrize("hand,reference", WRONG, ids=[f"{a} vs {b}" for a, b in WRONG])
def test_a_wrong_pair_is_never_ticked(hand, reference, capsys):
    try:
        result = check_same_expression(hand, reference)
    except AssertionError as err:
        assert "differs" in str(err)
        return
    assert result is False and "could not decide" in capsys.readouterr().out


def test_the_catalogue_is_large():
    assert len(WRONG) >= 30


@pytest.mark.parametrize("hand,reference", RIGHT, ids=[f"{a} vs {b}" for a, b in RIGHT])
def test_a_right_pair_is_ticked(hand, reference, capsys):
    assert check_same_expression(hand, reference) is True
    assert "✓" in capsys.readouterr().out


def test_the_derivative_of_a_kink_is_checked_on_both_sides():
    with pytest.raises(AssertionError, match="differs"):
        check_derivative(lam, lam * Abs(w), w)           # d/dw λ|w| = λ·sign(w), not λ
    assert check_derivative(lam * sign(w), lam * Abs(w), w) == lam * sign(w)
    with pytest.raises(AssertionError):
        check_derivative(1, Max(x, 0), x)                 # ReLU′ is 0 for x < 0
    with pytest.raises(ValueError, match="jump"):
        check_derivative(0, Heaviside(x), x)


def test_symbols_with_assumptions_are_the_same_variables():
    xr = sympy.Symbol("x", real=True)
    assert check_derivative(2 * xr * y, x**2 * y, x) == 2 * x * y   # returned in the caller's own symbols
    assert check_same_expression(3 * xr**2 * y, 3 * x**2 * y)


@pytest.mark.parametrize("bad,error,words", [
    (None, TypeError, "hand must be a sympy expression"),
    ([x, y], TypeError, "hand must be a sympy expression"),
    (sympy.Matrix([x]), TypeError, "hand must be a sympy expression"),
    (sympy.zoo, ValueError, "infinite or undefined"),
    (x**2 + sympy.oo, ValueError, "infinite or undefined"),
    (x > 1, TypeError, "hand must be a sympy expression"),
    ("2*x", TypeError, "hand must be a sympy expression"),
])
def test_odd_input_gets_a_clear_message(bad, error, words):
    with pytest.raises(error, match=words):
        check_same_expression(bad, x)


def test_the_variable_of_a_derivative_must_be_a_symbol():
    with pytest.raises(TypeError, match="var must be a sympy Symbol"):
        check_derivative(2 * x, x**2, "x")


def test_an_unknown_smooth_function_is_decided_symbolically_or_not_at_all(capsys):
    E = sympy.Function("E")
    assert check_derivative(2 * E(w) * sympy.Derivative(E(w), w), E(w) ** 2, w)   # simplify decides
    assert check_same_expression(sympy.Derivative(E(w), w) * 2, sympy.Derivative(E(w), w)) is False
    assert "could not decide" in capsys.readouterr().out                           # never ticked

"""Checks for notebook 04's exercises (one sigmoid neuron).

The exercises use the neuron y = f(wx + b) with the sigmoid f and E = ½(t − y)², at the
numbers in ``NB04_EXERCISE``: w = −1, x = 2, t = 1, b = 0 (and b = 0.5 for the bias
exercise), learning rate η = 0.5.  Each check recognises the usual slips (a lost minus
sign, f(z) instead of f(z)(1 − f(z)), a forgotten factor x, the update's sign) and says so.
"""

import math

import numpy as np
import sympy

from .core import Feedback, check_expression, check_number

__all__ = [
    "NB04_EXERCISE",
    "check_nb04_dE_dy", "check_nb04_gradient", "check_nb04_update", "check_nb04_bias_gradient",
]

NB04_EXERCISE = {"w": -1.0, "x": 2.0, "t": 1.0, "b": 0.5, "learning_rate": 0.5}


def _s(z):
    return 1.0 / (1.0 + math.exp(-z))


def _plain_symbols(expr):
    """Rename every symbol to a plain one, so ``Symbol('t', real=True)`` counts as ``t``."""
    return expr.subs({s: sympy.Symbol(s.name) for s in expr.free_symbols})


def check_nb04_dE_dy(answer):
    """Exercise 1: dE/dy for E = ½(t − y)², as a formula in t and y (string or sympy)."""
    t, y = sympy.symbols("t y")
    if isinstance(answer, str):
        try:
            answer = sympy.sympify(answer, locals={"t": t, "y": y})
        except (sympy.SympifyError, SyntaxError, TypeError):
            pass  # check_expression explains how to write a formula
    if isinstance(answer, (bool, np.bool_)) or (isinstance(answer, sympy.Basic) and not isinstance(answer, sympy.Expr)):
        return Feedback(False, f"expected a formula in t and y such as 'y - 2*t', got {answer!r}.")
    if isinstance(answer, sympy.Basic):
        answer = _plain_symbols(answer)
    return check_expression(
        answer, -(t - y),
        mistakes=[
            (t - y, "the sign: the inner derivative of (t − y) with respect to y is −1, so dE/dy = −(t − y)."),
            (-2 * (t - y), "the ½ in E = ½(t − y)² cancels the 2 that comes down from the square."),
            (2 * (t - y), "two slips: the ½ cancels the 2 from the square, and the inner derivative d(t − y)/dy = −1."),
            ((t - y) ** 2 / 2, "that is E itself; differentiate it with respect to y."),
        ],
        hint="use the chain rule on ½·u² with u = t − y: dE/dy = u · du/dy.",
        success="dE/dy = −(t − y) = y − t: the prediction minus the target.",
        locals={"t": t, "y": y},
    )


def check_nb04_gradient(answer):
    """Exercise 2: the number dE/dw for y = f(wx), w = −1, x = 2, t = 1 (no bias)."""
    w, x, t = NB04_EXERCISE["w"], NB04_EXERCISE["x"], NB04_EXERCISE["t"]
    z = w * x
    y = _s(z)
    dE_dy, dy_dz = -(t - y), y * (1 - y)
    return check_number(
        answer, dE_dy * dy_dz * x,
        mistakes=[
            (-dE_dy * dy_dz * x, "the sign is flipped: dE/dy = −(t − y), and here t > y, so dE/dw must be negative."),
            (dE_dy * y * x, "the middle factor is f′(z) = f(z)(1 − f(z)), not f(z) itself."),
            (dE_dy * dy_dz, "you left out the last factor d(wx)/dw = x."),
            (dE_dy * dy_dz * w, "the last factor is d(wx)/dw = x, not w."),
            (dE_dy * x, "you left out the middle factor dy/dz = f(z)(1 − f(z))."),
        ],
        hint="multiply the three factors: dE/dy = −(t − y), dy/dz = f(z)(1 − f(z)) and dz/dw = x, at z = wx = −2.",
        success=f"dE/dw = {dE_dy * dy_dz * x:.4f}: negative, so increasing w lowers the error.",
    )


def check_nb04_update(answer):
    """Exercise 3: the new weight after one step w − η·dE/dw with η = 0.5 (same neuron)."""
    w, x, t, eta = (NB04_EXERCISE[k] for k in ("w", "x", "t", "learning_rate"))
    y = _s(w * x)
    grad = -(t - y) * y * (1 - y) * x
    return check_number(
        answer, w - eta * grad,
        mistakes=[
            (w + eta * grad, "the update goes against the gradient: w_new = w − η·dE/dw (minus, not plus)."),
            (w - grad, "you forgot the learning rate: w_new = w − η·dE/dw with η = 0.5."),
            (-eta * grad, "that is the step −η·dE/dw; add it to the old weight w = −1."),
            (w - eta * grad / x, "dE/dw is missing its last factor d(wx)/dw = x = 2."),
        ],
        hint="compute dE/dw first (exercise 2), then w_new = w − η·dE/dw with w = −1 and η = 0.5.",
        success=f"w moves from −1 to {w - eta * grad:.4f}: y grows towards the target t = 1.",
    )


def check_nb04_bias_gradient(answer):
    """Exercise 4: the number ∂E/∂b for y = f(wx + b), w = −1, x = 2, b = 0.5, t = 1."""
    w, x, t, b = (NB04_EXERCISE[k] for k in ("w", "x", "t", "b"))
    y = _s(w * x + b)
    delta = -(t - y) * y * (1 - y)
    return check_number(
        answer, delta,
        mistakes=[
            (delta * x, "∂z/∂b = 1 for z = wx + b; the factor x belongs to ∂E/∂w, not ∂E/∂b."),
            (-delta, "the sign: ∂E/∂y = −(t − y) is negative when y is below the target."),
            (-(t - y) * y, "the middle factor is f′(z) = f(z)(1 − f(z)), not f(z)."),
            (-(t - _s(w * x)) * _s(w * x) * (1 - _s(w * x)), "include the bias in z: z = wx + b = −1.5 here."),
        ],
        hint="∂E/∂b = −(t − y) · f(z)(1 − f(z)) · 1 with z = wx + b = −1.5.",
        success=f"∂E/∂b = {delta:.4f} = δ, the error signal at z, because ∂z/∂b = 1.",
    )

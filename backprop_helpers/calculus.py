"""Checking derivatives two ways: numerically (central differences) and symbolically (sympy).

Notebook 01 introduces both checks; every later notebook uses them after each derivation.
"""

import numbers

import numpy as np
import sympy

__all__ = [
    "numerical_derivative",
    "numerical_gradient",
    "relative_error",
    "check_derivative",
    "check_same_expression",
    "check_gradient",
]


def _check_step(h):
    if isinstance(h, bool) or not isinstance(h, numbers.Real):
        raise TypeError(f"h must be a positive number, got {type(h).__name__}")
    if not (np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a positive finite number, got {h!r}")


def numerical_derivative(f, x, h=1e-5):
    """Central difference f'(x) ≈ (f(x + h) − f(x − h)) / (2h) (notebook 01).

    The error shrinks like h², so h = 1e-5 gives about 10 correct digits for a smooth f.
    """
    if not callable(f):
        raise TypeError(f"f must be a function, got {type(f).__name__}")
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"x must be a real number, got {type(x).__name__}")
    if not np.isfinite(x):
        raise ValueError(f"x must be finite, got {x!r}")
    _check_step(h)
    return float((f(x + h) - f(x - h)) / (2 * h))


def numerical_gradient(f, array, h=1e-5):
    """Central-difference gradient of a scalar function f(array), for an array of any shape.

    Each entry of ``array`` is nudged by ±h *in place* and put back, so ``f`` may read the
    array through a closure (for example a network's weight matrix) (notebooks 01 and 06).
    Returns an array shaped like ``array``: entry i is ∂f/∂array[i].
    """
    if not callable(f):
        raise TypeError(f"f must be a function, got {type(f).__name__}")
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise TypeError("array must be a float64 NumPy array (it is nudged in place)")
    if not np.isfinite(array).all():
        raise ValueError("array contains NaN or inf; expected finite numbers")
    _check_step(h)
    grad = np.zeros_like(array)
    flat = array.reshape(-1)  # a view: writing to it writes to array
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        f_plus = float(f(array))
        flat[i] = original - h
        f_minus = float(f(array))
        flat[i] = original
        grad.reshape(-1)[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖): 0 when equal; about 1e-7 or less means a gradient check passed.

    Returns 0.0 when both are zero.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("a and b must be finite")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    if denominator == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / denominator)


def _sympify(value, name):
    try:
        return sympy.sympify(value)
    except (sympy.SympifyError, TypeError) as err:
        raise TypeError(f"{name} must be a sympy expression, got {value!r}") from err


def _numerically_equal(a, b, symbols, trials=20, seed=0):
    """Spot-check a == b at random points (the fallback when simplify cannot decide)."""
    rng = np.random.default_rng(seed)
    f_a = sympy.lambdify(symbols, a, "numpy")
    f_b = sympy.lambdify(symbols, b, "numpy")
    for _ in range(trials):
        point = rng.uniform(0.1, 2.0, size=len(symbols))  # positive: keeps logs and roots real
        with np.errstate(all="ignore"):
            value_a, value_b = complex(f_a(*point)), complex(f_b(*point))
        if not (np.isfinite(value_a) and abs(value_a - value_b) <= 1e-9 * (1 + abs(value_b))):
            return False
    return True


def check_same_expression(hand, reference, label="expression"):
    """Assert that two sympy expressions are equal; print a one-line confirmation.

    First tries ``sympy.simplify(hand − reference) == 0``; if simplify cannot decide, the two
    are compared at 20 random points.  Raises ``AssertionError`` (with both expressions)
    when they differ.
    """
    hand = _sympify(hand, "hand")
    reference = _sympify(reference, "reference")
    if sympy.simplify(hand - reference) == 0:
        print(f"sympy check: {label} ✓")
        return True
    symbols = sorted(hand.free_symbols | reference.free_symbols, key=str)
    if symbols and _numerically_equal(hand, reference, symbols):
        print(f"sympy check: {label} ✓ (equal at 20 random points)")
        return True
    raise AssertionError(f"{label}: hand-derived {hand} differs from sympy's {reference}")


def check_derivative(hand, expr, var, label=None):
    """Assert that ``hand`` equals sympy's derivative d(expr)/d(var); print a confirmation.

    Use it right after a derivation, e.g. ``check_derivative(2*x*y, x**2*y + sympy.sin(y), x)``.
    Returns sympy's derivative.
    """
    expr = _sympify(expr, "expr")
    if not isinstance(var, sympy.Symbol):
        raise TypeError(f"var must be a sympy Symbol, got {type(var).__name__}")
    derivative = sympy.diff(expr, var)
    check_same_expression(hand, derivative, label or f"d/d{var} of {expr}")
    return derivative


def check_gradient(analytic, numerical, label="gradient", tol=1e-7):
    """Compare an analytic gradient with a numerical one; print the relative error and whether
    it is within tol, and return it.

    The error's digits can differ between machines (floating-point rounding), so the tests
    compare this line with its digits masked (tests/sanitize.cfg); the verdict is compared as is.
    """
    error = relative_error(analytic, numerical)
    if error < tol:
        print(f"numerical check: {label} ✓ (relative error {error:.0e} < {tol:g})")
    else:
        print(f"numerical check: {label} ✗ relative error {error:.1e} is above {tol:g}")
    return error

"""Checking derivatives two ways: numerically (central differences) and symbolically (sympy).

Notebook 01 introduces both checks; every later notebook uses them after each derivation.
"""

import numbers

import numpy as np
import sympy

from .validation import as_float_array, function, positive, real

__all__ = ["numerical_derivative", "numerical_gradient", "relative_error", "check_derivative", "check_same_expression",
           "same_formula", "check_gradient"]


def numerical_derivative(f, x, h=1e-5):
    """Central difference f'(x) ≈ (f(x + h) − f(x − h)) / (2h) (notebook 01): the error shrinks like h²,
    so h = 1e-5 gives about 10 correct digits for a smooth f."""
    f, x, h = function(f, "f"), real(x, "x"), positive(h, "h")
    return float((f(x + h) - f(x - h)) / (2 * h))


def numerical_gradient(f, array, h=1e-5):
    """Central-difference gradient of a scalar function f(array), for an array of any shape (notebooks 01 and 06):
    entry i is ∂f/∂array[i].  Each entry is nudged by ±h *in place* and put back, so ``f`` may read
    ``array`` through a closure (for example a network's weight matrix)."""
    f = function(f, "f")
    if not isinstance(array, np.ndarray) or array.dtype != np.float64:
        raise TypeError("array must be a float64 NumPy array (it is nudged in place)")
    as_float_array(array, "array", finite=True)  # NaN or inf: an error naming the argument
    h = positive(h, "h")
    grad = np.zeros_like(array)
    for i in range(array.size):  # array.flat[i]: entry i in reading order, written in place
        original = array.flat[i]
        array.flat[i] = original + h
        f_plus = float(f(array))
        array.flat[i] = original - h
        f_minus = float(f(array))
        array.flat[i] = original
        grad.flat[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖), 0.0 when both are zero: about 1e-7 or less means a gradient check passed."""
    a, b = as_float_array(a, "a", finite=True), as_float_array(b, "b", finite=True)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denominator) if denominator else 0.0


_NOT_FORMULAS = (sympy.MatrixBase, sympy.core.relational.Relational, sympy.logic.boolalg.BooleanFunction,
                 sympy.logic.boolalg.BooleanAtom)


def _sympify(value, name):
    """A sympy expression to compare, or a clear error naming the argument."""
    if isinstance(value, (numbers.Real, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_)):
        value = sympy.nsimplify(value) if isinstance(value, float) else sympy.Integer(int(value))
    if not isinstance(value, sympy.Expr) or isinstance(value, _NOT_FORMULAS):
        raise TypeError(f"{name} must be a sympy expression such as 2*x*y, got {type(value).__name__} {value!r:.60}")
    if value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise ValueError(f"{name} is infinite or undefined ({value}); expected a finite formula")
    if value.has(sympy.DiracDelta):
        raise ValueError(f"{name} contains {value.atoms(sympy.DiracDelta)}: the derivative at a jump; "
                         "compare on each side of the jump instead")
    return value


# The assumptions a symbol keeps when it is made real, and the test a sample value must pass for each.
_ASSUMPTIONS = {"positive": lambda v: v > 0, "nonnegative": lambda v: v >= 0, "negative": lambda v: v < 0,
                "nonpositive": lambda v: v <= 0, "integer": lambda v: float(v).is_integer()}


def _as_reals(*exprs):
    """The expressions with every symbol made real (a symbol's own assumptions, such as positive,
    are kept), one symbol per name: x and Symbol("x", real=True) are the same variable here."""
    by_name = {}
    for expr in exprs:
        for symbol in expr.free_symbols:
            known = {key: True for key in _ASSUMPTIONS if symbol.assumptions0.get(key)}
            by_name.setdefault(symbol.name, {}).update(known)
    reals = {name: sympy.Symbol(name, real=True, **kw) for name, kw in by_name.items()}
    return [expr.xreplace({s: reals[s.name] for s in expr.free_symbols}) for expr in exprs], reals


# Sample values for one variable: both signs, near zero, moderate and large (the whole real line).
_VALUES = (-60.0, -12.5, -3.7, -1.0, -0.43, -1e-3, 0.0, 1e-3, 0.31, 1.0, 2.2, 4.9, 13.0, 60.0)
# Functions whose formula switches at some points: both sides of each switch are sampled too.
_SWITCHING = (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min, sympy.Piecewise)


def _kinks(exprs, symbol):
    """Points just either side of each switch of |·|, max, min, sign, Heaviside and Piecewise, for one variable."""
    points = set()
    for atom in sympy.Tuple(*exprs).atoms(*_SWITCHING):
        if isinstance(atom, sympy.Piecewise):
            switches = [c.lhs - c.rhs for _, c in atom.args if isinstance(c, sympy.core.relational.Relational)]
        elif isinstance(atom, (sympy.Max, sympy.Min)):
            switches = [a - b for a in atom.args for b in atom.args if a is not b]
        else:  # |u|, sign(u) and Heaviside(u) switch where u = 0
            switches = atom.args[:1]
        for switch in switches:
            try:
                roots = sympy.solve(switch, symbol)
            except Exception:  # sympy cannot solve it: the grid of values still covers the line
                continue
            for root in roots:
                if root.is_real and root.is_number and abs(float(root)) < 1e6:
                    points.update({float(root) - 1e-6, float(root) + 1e-6})
    return points


def _compare_numerically(hand, reference, symbols, n_random=120):
    """``(differs_at, n_points)``: the first point where the two differ (or None), and how many points
    both were defined at.  Tolerance: 1e-9 relative to max(|hand|, |reference|, 1)."""
    f_hand = sympy.lambdify(symbols, hand, "mpmath")
    f_ref = sympy.lambdify(symbols, reference, "mpmath")
    rng = np.random.default_rng(0)
    assumption_tests = [[test for key, test in _ASSUMPTIONS.items() if s.assumptions0.get(key)] for s in symbols]
    grids = [sorted(set(_VALUES) | _kinks([hand, reference], s)) for s in symbols]
    points = {tuple(g[k % len(g)] for g in grids) for k in range(max(map(len, grids)))}
    points |= {tuple(rng.choice(g) for g in grids) for _ in range(n_random)}
    points |= {tuple(rng.uniform(-20, 20) for _ in symbols) for _ in range(n_random // 4)}
    defined = 0
    for point in sorted(points):
        if not all(test(p) for p, tests in zip(point, assumption_tests) for test in tests):
            continue
        values = []
        for f in (f_ref, f_hand):
            try:
                values.append(complex(f(*point)))
            except (ArithmeticError, ValueError, TypeError):  # undefined there, such as log(0) or 1/0
                values.append(complex("nan"))
        ref, got = values
        ref_real, got_real = (np.isfinite(v) and abs(v.imag) <= 1e-12 * max(1.0, abs(v)) for v in values)
        if not (ref_real or got_real):
            continue  # outside both formulas' real domain: nothing to compare there
        defined += 1
        if ref_real != got_real or abs(got - ref) > 1e-9 * max(1.0, abs(ref), abs(got)):
            return point, defined  # different values, or real for one formula and not for the other
    return None, defined


def check_same_expression(hand, reference, label="expression"):
    """Check that two formulas are equal for every real value of their variables (``same_formula``) and
    print one line: "sympy check: <label> ✓" (returns True) or "... sympy could not decide" (False).
    Raises ``AssertionError``, naming a point where they differ, when they differ."""
    hand, reference = _sympify(hand, "hand"), _sympify(reference, "reference")
    verdict, detail = same_formula(hand, reference)
    if verdict is True:
        print(f"sympy check: {label} ✓{detail}")
        return True
    if verdict is None:
        print(f"sympy check: {label}: sympy could not decide ({detail}) — not checked")
        return False
    raise AssertionError(f"{label}: hand-derived {hand} differs from sympy's {reference}{detail}")


def same_formula(a, b):
    """``(True, how)``, ``(False, where)`` or ``(None, why)``: are sympy expressions ``a`` and ``b`` equal
    for every real value of their variables?  Decided symbolically when ``sympy.simplify`` reduces a − b to a
    number; otherwise both are evaluated at many points (both signs, near zero, large values, both sides of
    every switch of |·|, max, min, sign, Heaviside, Piecewise; relative tolerance 1e-9): one point where they
    differ, or where only one is real (log(x²) and 2·log(x) at x < 0), means different; fewer than 10 points
    where either is defined, undecided."""
    (a, b), _ = _as_reals(a, b)
    try:
        difference = sympy.simplify(a - b)
    except Exception:  # simplify gave up: the numerical comparison decides
        difference = None
    if difference == 0:
        return True, ""
    if difference is not None and difference.is_number and difference.is_zero is False:
        return False, f" by {difference}"
    if any(e.atoms(sympy.Derivative, sympy.Integral, sympy.core.function.AppliedUndef) for e in (a, b)):
        return None, "it holds an unknown function such as E(w), which cannot be evaluated at points"
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    differs_at, defined = _compare_numerically(a, b, symbols)
    if differs_at is not None:
        return False, " at " + ", ".join(f"{s} = {v:g}" for s, v in zip(symbols, differs_at))
    if defined < 10:
        return None, f"defined at only {defined} sample points"
    return True, f" (sympy could not simplify the difference; equal at {defined} points across the real line)"


def check_derivative(hand, expr, var, label=None):
    """Check that ``hand`` equals sympy's derivative d(expr)/d(var), every symbol taken as real, right after a
    derivation: ``check_derivative(2*x*y, x**2*y + sympy.sin(y), x)``.  Prints one line (``check_same_expression``)
    and returns sympy's derivative."""
    if not isinstance(var, sympy.Symbol):
        raise TypeError(f"var must be a sympy Symbol, got {type(var).__name__} {var!r:.60}")
    hand, expr = _sympify(hand, "hand"), _sympify(expr, "expr")
    (hand_real, expr_real), reals = _as_reals(hand, expr)
    real_var = reals.get(var.name, sympy.Symbol(var.name, real=True))
    derivative = sympy.diff(expr_real, real_var)
    if derivative.has(sympy.DiracDelta):
        raise ValueError(f"d/d{var} of {expr} contains a jump ({derivative}): the derivative does not exist there; "
                         "check it on each side of the jump")
    check_same_expression(hand_real, derivative, label or f"d/d{var} of {expr}")
    originals = {s.name: s for s in (*hand.free_symbols, *expr.free_symbols, var)}  # the caller's own symbols
    return derivative.xreplace({s: originals[s.name] for s in derivative.free_symbols if s.name in originals})


def check_gradient(analytic, numerical, label="gradient", tol=1e-7):
    """Compare an analytic gradient with a numerical one: print the relative error and whether it is
    below tol, and return it.  Its digits differ between machines (rounding), so the tests mask them
    (tests/sanitize.cfg) and compare the verdict as is."""
    error = relative_error(analytic, numerical)
    if error < tol:
        print(f"numerical check: {label} ✓ (relative error {error:.0e} < {tol:g})")
    else:
        print(f"numerical check: {label} ✗ relative error {error:.1e} is above {tol:g}")
    return error

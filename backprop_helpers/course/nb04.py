"""Notebook 04 · One sigmoid neuron, derived by hand: the companion module.

The neuron y = f(z), z = Σᵢ wᵢxᵢ + b, with the sigmoid f and the error E = ½(t − y)², in the
notebook's order: its output, error and gradient (sections 1–6: dE/dwᵢ = −(t − y)·f(z)(1 − f(z))·xᵢ),
gradient descent on w through the core's ``descend`` and the demo of E(w) with its tangent
(section 4), the activation functions side by side (section 7), and the exercises' checks
(at w = −1, x = 2, t = 1, b = 0.5, η = 0.5; each recognises the usual slips).
"""

import math

import numpy as np
import sympy

from ..activations import RAW
from ..calculus import numerical_derivative, numerical_gradient
from ..descent import descend, describe_run
from ..feedback import Feedback, check_expression, check_function, check_number
from ..plotting.curves import TangentPlot
from ..plotting.style import COLORS, new_figure
from ..validation import as_float_array
from ..widgets import Demo, int_slider, log_slider, slider

__all__ = [
    "neuron_forward",
    "neuron_error",
    "neuron_gradient",
    "check_neuron_dE_dw",
    "check_neuron_dE_dw_db",
    "neuron_minimum",
    "neuron_descent",
    "describe_neuron_run",
    "neuron_descent_demo",
    "activation_demo",
    "NB04_EXERCISE",
    "check_nb04_dE_dy",
    "check_nb04_gradient",
    "check_nb04_update",
    "check_nb04_bias_gradient",
]

_sigmoid, _sigmoid_prime = RAW["sigmoid"]


def _s(z):
    """The sigmoid f(z) of one number, as a float."""
    return float(_sigmoid(z))


# ---- sections 1–6: one neuron, its error and its gradient -----------------------------------

def _number(value, name):
    array = as_float_array(value, name, finite=True)
    if array.ndim != 0:
        raise ValueError(f"{name} must be a single number, got shape {array.shape}")
    return float(array)


def _inputs(w, x, b):
    w_arr, x_arr = as_float_array(w, "w", finite=True), as_float_array(x, "x", finite=True)
    if w_arr.ndim > 1:
        raise ValueError(f"w must be a number or a 1-D array, got shape {w_arr.shape}")
    if w_arr.shape != x_arr.shape:
        raise ValueError(f"w and x must have the same shape, got {w_arr.shape} and {x_arr.shape}")
    return w_arr, x_arr, _number(b, "b")


def neuron_forward(w, x, b=0.0):
    """Output of one sigmoid neuron, y = f(z) with z = Σᵢ wᵢxᵢ + b (notebook 04, y = f(wx + b)).

    ``w`` and ``x`` are numbers or 1-D arrays of the same length; returns a float.
    """
    w, x, b = _inputs(w, x, b)
    return float(_sigmoid(np.sum(w * x) + b))


def neuron_error(w, x, t, b=0.0):
    """Error of one sigmoid neuron, E = ½(t − y)² with y = f(Σᵢ wᵢxᵢ + b) (notebook 04)."""
    t = _number(t, "t")
    y = neuron_forward(w, x, b)
    return 0.5 * (t - y) ** 2


def neuron_gradient(w, x, t, b=0.0):
    """Gradient of E = ½(t − y)² for y = f(Σᵢ wᵢxᵢ + b), returned as ``(dE/dw, dE/db)``.

    The chain rule of notebook 04: dE/dwᵢ = −(t − y) · f(z)(1 − f(z)) · xᵢ, and
    dE/db = −(t − y) · f(z)(1 − f(z)) · 1.  dE/dw is a float for a scalar ``w``, otherwise
    an array shaped like ``w``; dE/db is a float.
    """
    t = _number(t, "t")
    w_arr, x_arr, b = _inputs(w, x, b)
    z = float(np.sum(w_arr * x_arr) + b)
    y = float(_sigmoid(z))
    delta = -(t - y) * float(_sigmoid_prime(z))  # dE/dz, the error signal δ
    dE_dw = delta * x_arr
    return (float(dE_dw) if dE_dw.ndim == 0 else dE_dw), delta


# ---- your turn: dE/dw by hand, then with a bias and many inputs -------------------------------
# The reference is central differences of E itself (notebook 01), independent of the chain rule.

def _error(w, x, b, t):
    return 0.5 * (t - _s(np.sum(np.asarray(w) * np.asarray(x)) + b)) ** 2


def _dE_dw_by_differences(w, x, t):
    return numerical_derivative(lambda v: _error(v, x, 0.0, t), w)


_DW_CASES = [
    ("w = 0.5, x = 1.5, t = 1 (the worked example)", (0.5, 1.5, 1.0)),
    ("w = −1, x = 2, t = 0.2", (-1.0, 2.0, 0.2)),
    ("w = 2, x = −0.7, t = 0.9", (2.0, -0.7, 0.9)),
    ("w = 0.3, x = 0.4, t = 0 (y above the target)", (0.3, 0.4, 0.0)),
    ("w = 4, x = 3, t = 0 (a saturated sigmoid)", (4.0, 3.0, 0.0)),
]


def _y(w, x, t):
    return _s(w * x)


_DW_MISTAKES = [
    (lambda w, x, t: -(t - _y(w, x, t)) * _y(w, x, t) * x,
     "the middle factor is f′(z) = f(z)(1 − f(z)), not f(z) itself."),
    (lambda w, x, t: -(t - _y(w, x, t)) * _y(w, x, t) * (1 - _y(w, x, t)),
     "you left out the last factor dz/dw = x."),
    (lambda w, x, t: (t - _y(w, x, t)) * _y(w, x, t) * (1 - _y(w, x, t)) * x,
     "the sign is flipped: dE/dy = −(t − y), from the inner derivative d(t − y)/dy = −1."),
    (lambda w, x, t: -(t - _y(w, x, t)) * _y(w, x, t) * (1 - _y(w, x, t)) * w,
     "the last factor is dz/dw = x, not w."),
]


def check_neuron_dE_dw(neuron_dE_dw):
    """Your turn, part 1: ``neuron_dE_dw(w, x, t)`` returns dE/dw for y = f(wx), E = ½(t − y)², checked against
    central differences of E at five hidden points."""
    return check_function(
        neuron_dE_dw, _DW_CASES, _dE_dw_by_differences, mistakes=_DW_MISTAKES, name="neuron_dE_dw",
        success="neuron_dE_dw agrees with finite differences at all 5 hidden points: −(t − y) · f(z)(1 − f(z)) · x.",
    )


def _dE_dw_db_by_differences(w, x, b, t):
    params = np.append(np.asarray(w, dtype=float), float(b))
    grad = numerical_gradient(lambda p: _error(p[:-1], x, p[-1], t), params)
    return grad[:-1], float(grad[-1])


_DWB_CASES = [
    ("three inputs x = (1.5, −0.5, 2), b = 0.1, t = 1", (np.array([0.5, -1.0, 0.25]), np.array([1.5, -0.5, 2.0]),
                                                          0.1, 1.0)),
    ("one input x = (2), b = 0.5, t = 1", (np.array([-1.0]), np.array([2.0]), 0.5, 1.0)),
    ("five inputs, one of them 0, b = −0.4, t = 0.3", (np.array([0.2, -0.6, 1.1, 0.4, -0.3]),
                                                        np.array([1.0, 0.0, -0.8, 2.2, 0.5]), -0.4, 0.3)),
    ("two inputs, b = 1.5, t = 0 (y above the target)", (np.array([0.7, 0.9]), np.array([1.2, -0.4]), 1.5, 0.0)),
]


def _delta(w, x, b, t, slope=None):
    y = _s(np.dot(w, x) + b)
    return -(t - y) * (y * (1 - y) if slope is None else slope(y))


_DWB_MISTAKES = [
    (lambda w, x, b, t: (_delta(w, x, b, t, lambda y: y) * x, _delta(w, x, b, t, lambda y: y)),
     "the middle factor is f′(z) = f(z)(1 − f(z)), not f(z) itself."),
    (lambda w, x, b, t: (np.full(len(w), _delta(w, x, b, t)), _delta(w, x, b, t)),
     "each ∂E/∂wᵢ ends with its own input: ∂z/∂wᵢ = xᵢ, so ∇_w E = δ·x."),
    (lambda w, x, b, t: (-_delta(w, x, b, t) * x, -_delta(w, x, b, t)),
     "the sign is flipped: δ = −(t − y)·f′(z), from the inner derivative d(t − y)/dy = −1."),
    (lambda w, x, b, t: (_delta(w, x, b, t) * x, _delta(w, x, b, t) * float(np.sum(x))),
     "∂z/∂b = 1: the bias's gradient is δ itself, with no input in it."),
    (lambda w, x, b, t: (_delta(w, x, 0.0, t) * x, _delta(w, x, 0.0, t)),
     "include the bias in z: z = w·x + b, then y = f(z)."),
]


def _compare_gradients(got, expected):
    """None when ``got`` is the pair (∇_w E, ∂E/∂b) of ``expected`` (to 1e-6 relative), else why not, in words."""
    if got is None:
        return "it returned None: the body is still missing, or a return statement is"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"expected the pair (∇_w E, ∂E/∂b), got {got!r:.60}"
    for name, value, wanted in zip(("∇_w E", "∂E/∂b"), got, expected):
        try:
            value = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return f"{name} must be numbers, got {value!r:.60}"
        if value.shape != np.shape(wanted):
            return f"{name} should have shape {np.shape(wanted)}, got shape {value.shape}"
        if not np.isfinite(value).all():
            return f"{name} contains NaN or inf"
        if not np.allclose(value, wanted, rtol=1e-6, atol=1e-9):
            return f"{name} should be {np.round(wanted, 6)}, got {np.round(value, 6)}"
    return None


def check_neuron_dE_dw_db(neuron_dE_dw_db):
    """Your turn, part 2: ``neuron_dE_dw_db(w, x, b, t)`` returns (∇_w E, ∂E/∂b) for y = f(w·x + b), checked
    against central differences of E at four hidden points (one to five inputs)."""
    return check_function(
        neuron_dE_dw_db, _DWB_CASES, _dE_dw_db_by_differences, mistakes=_DWB_MISTAKES, compare=_compare_gradients,
        name="neuron_dE_dw_db",
        success="neuron_dE_dw_db agrees with finite differences at all 4 hidden points: ∇_w E = δ·x and "
                "∂E/∂b = δ, with δ = −(t − y)·f(z)(1 − f(z)).",
    )


# ---- section 4: gradient descent on w, and its demo ------------------------------------------

def neuron_minimum(x, t, b=0.0):
    """``(w*, E″(w*))`` for E(w) = ½(t − f(wx + b))² with a scalar x, or None when there is no finite
    minimiser (t ≤ 0 or t ≥ 1: the sigmoid reaches t only as z → ±∞; or x = 0: w has no effect).

    At the minimum f(w*x + b) = t, so w* = (ln(t/(1 − t)) − b)/x, and E″(w*) = x²·f′(z*)² with
    f′(z*) = t(1 − t): the term (y − t)·f″(z)·x² of E″ vanishes there.
    """
    x, t, b = _number(x, "x"), _number(t, "t"), _number(b, "b")
    if not 0 < t < 1 or x == 0:
        return None
    return (math.log(t / (1 - t)) - b) / x, (x * t * (1 - t)) ** 2


def neuron_descent(w, x, t, learning_rate, steps, b=0.0, tol=1e-6, limit=1e6):
    """Gradient descent w ← w − η·dE/dw on a scalar ``w`` (notebook 04, the update), through the core's
    ``descend``: x, t and b stay fixed.  Returns the ``Run`` (path of w, E at each iterate, dE/dw,
    status "converged" / "step limit" / "diverged").
    """
    w_arr, x_arr, b = _inputs(w, x, b)
    if w_arr.ndim != 0:
        raise ValueError(f"w must be a single number here, got shape {w_arr.shape}")
    t, x = _number(t, "t"), float(x_arr)
    return descend(lambda v: neuron_gradient(v, x, t, b)[0], float(w_arr), learning_rate,
                   loss=lambda v: neuron_error(v, x, t, b), tol=tol, steps=steps, limit=limit)


W_RANGE = (-6.0, 6.0)


def _fmt(value, digits):
    """Round for the status line without printing "-0.0000"."""
    return f"{value:.{digits}f}".replace("-0." + "0" * digits, "0." + "0" * digits)


def _crossings(path, w_star):
    """How many steps carried w from one side of w* to the other: the sign changes of w − w* along the path."""
    side = np.sign(np.asarray(path, dtype=float) - w_star)
    side = side[side != 0]
    return int(np.count_nonzero(side[1:] != side[:-1]))


def _times(k):
    return "once" if k == 1 else "twice" if k == 2 else f"{k} times"


def describe_neuron_run(run, x, t, b=0.0):
    """What a run of ``neuron_descent`` did, in one sentence, from the run record.

    Near the minimum E(w) is close to a parabola of curvature E″(w*), so the core's ``describe_run``
    applies there; but first this checks where the run ended: on a flat tail of the sigmoid
    (f′(z) < 0.05, away from w*) dE/dw is small whatever η is, and whether the last steps barely
    move w or are carrying it back is read from the path.  How often w overshot w* is counted on the
    path (the sign changes of w − w*), not assumed from the factor 1 − η·E″(w*).
    """
    n, w_end = run.steps, run.final
    end = f"after {n} step{'s' if n != 1 else ''}: w = {_fmt(w_end, 3)}, E = {_fmt(run.losses[-1], 4)}"
    if np.any((run.path < W_RANGE[0]) | (run.path > W_RANGE[1])):
        end += " (w left the plotted range)"
    if n == 0:
        return "drag 'steps' to take some"
    minimum = neuron_minimum(x, t, b)
    if minimum is None:
        return (f"no finite minimum: f(z) reaches t = {t:g} only as z → {'∞' if t >= 1 else '−∞'}, "
                f"so E keeps falling and w keeps moving; {end}")
    w_star, curvature = minimum
    eta, limit = run.learning_rate, 2 / curvature
    where = f"η = {eta:.3g} {'<' if eta < limit else '>'} 2/E″(w*) = {limit:.3g}"
    z_end, z_star = w_end * x + b, w_star * x + b
    slope = float(_sigmoid_prime(z_end))
    crossed = _crossings(run.path, w_star)
    last_step = abs(float(run.path[-1] - run.path[-2]))
    if run.status != "converged" and abs(z_end - z_star) > 1 and slope < 0.05:  # ended on a flat tail
        if crossed:
            how = (f"a large step jumped past w* = {w_star:.3f}" if crossed == 1 else
                   f"w crossed w* = {w_star:.3f} {_times(crossed)}, the last jump taking it")
            if last_step < 0.01 * abs(w_end - w_star):
                return (f"thrown onto the far tail: {how} to where the sigmoid is flat (f′(z) = {slope:.4f}), "
                        f"so dE/dw ≈ 0 and the steps barely move w back (the last by {last_step:.2g}) — {where}; "
                        f"{end}")
            return (f"thrown past w*: {how} onto the flat side (f′(z) = {slope:.4f}), and the steps are carrying "
                    f"it back (the last moved w by {last_step:.2g}) — {where}; {end}")
        kind = "crawling" if 1 - eta * curvature > 0.9 else "stuck" if abs(w_end - run.path[0]) < 0.05 else "slow"
        smaller = f" and η = {eta:.3g} makes the steps smaller still" if kind == "crawling" else ""
        return (f"{kind}: still far from w* = {w_star:.3f}, where the sigmoid is flat (f′(z) = {slope:.4f}), "
                f"so dE/dw is small{smaller}; {end}")
    count = f"w crossed w* = {w_star:.3f} {_times(crossed)} in {n} step{'s' if n != 1 else ''}"
    if run.status != "converged" and eta > limit:
        return (f"cannot settle: {where}, so near w* a step overshoots by more than it corrects "
                f"(factor {1 - eta * curvature:.2f}); {count}; {end}")
    if 1 - eta * curvature < 0 and crossed < n:  # the core would say it overshoots every step: check the path
        if run.status == "converged":
            return (f"converged in {n} steps (step size below {run.tol:g}), crossing w* = {w_star:.3f} "
                    f"{'never' if not crossed else _times(crossed)} on the way — {where}; {end}")
        if not crossed:
            return (f"approaching w* = {w_star:.3f} from one side, not converged yet after {n} steps (the last "
                    f"step moved w by {last_step:.2g}) — {where}; {end}")
        beyond = run.path[np.sign(run.path - w_star) == -np.sign(run.path[0] - w_star)]  # past w*, seen from the start
        farthest = beyond[np.argmax(np.abs(beyond - w_star))]
        return (f"settling: {count} (farthest past it: w = {_fmt(farthest, 3)}), not converged yet "
                f"(the last step moved w by {last_step:.2g}) — {where}; {end}")
    return f"{describe_run(run, curvature, 'E″(w*)')}; {end}"


def neuron_descent_demo(w=-2.0, x=1.5, t=0.8, eta=3.0, steps=10):
    """Sliders for w, x, t, η and a number of steps: E(w) = ½(t − f(wx))², the tangent at w,
    where the next step w − η·dE/dw lands, the minimum w* and the path of ``steps`` steps."""
    fig, ax = new_figure()
    ws_grid = np.linspace(*W_RANGE, 401)
    state = {"x": x, "t": t}
    tangent = TangentPlot(
        ax, lambda w_: neuron_error(w_, state["x"], state["t"]),
        lambda w_: neuron_gradient(w_, state["x"], state["t"])[0], ws_grid, w,
        half_width=1.5, label="E(w) = ½(t − f(wx))²",
    )
    ax.set_ylim(-0.03, 0.55)
    ax.set_xlabel("weight w")
    ax.set_ylabel("error E")
    w_star_line = ax.axvline(0.0, color=COLORS["muted"], ls=":", lw=1.5, label="minimum w*", gid="w_star")
    (path_line,) = ax.plot([], [], ".-", color=COLORS["good"], lw=1, ms=6, label="steps taken", zorder=4, gid="path")
    (next_point,) = ax.plot([], [], "X", color=COLORS["residual"], ms=10, label="next step lands", zorder=5,
                            gid="next")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8)

    def update(w=w, x=x, t=t, eta=eta, steps=steps):
        state["x"], state["t"] = x, t
        tangent.curve.set_ydata(0.5 * (t - _sigmoid(ws_grid * x)) ** 2)
        e0, slope = tangent.move_to(w)
        w_next = w - eta * slope
        next_point.set_data([np.clip(w_next, *W_RANGE)], [neuron_error(w_next, x, t)])
        minimum = neuron_minimum(x, t) if abs(x) >= 1e-9 else None
        w_star_line.set_visible(minimum is not None)
        if minimum is not None:
            w_star_line.set_xdata([minimum[0], minimum[0]])
        run = neuron_descent(w, x, t, eta, int(steps))
        inside = (run.path >= W_RANGE[0]) & (run.path <= W_RANGE[1])
        path_line.set_data(run.path[inside], run.losses[inside])
        head = f"at w = {w:.2f}: E = {_fmt(e0, 4)}, dE/dw = {_fmt(slope, 4)}, next w = {_fmt(w_next, 3)}"
        if abs(x) < 1e-9:  # a slider can land on ±1e-16 instead of 0
            return f"{head}; x = 0, so w has no effect on y and dE/dw = 0: no step can move w"
        return f"{head}; {describe_neuron_run(run, x, t)}"

    controls = {
        "w": slider("w", *W_RANGE, w),
        "x": slider("x", -3.0, 3.0, x),
        "t": slider("t", 0.0, 1.0, t),
        "eta": log_slider("η", 0.01, 100.0, eta),
        "steps": int_slider("steps", 0, 50, steps),
    }
    return Demo(fig, update, controls, play="steps")


# ---- section 7: the activation functions and their derivatives ------------------------------

_ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "softplus")


def activation_demo(z=1.0):
    """Sigmoid, tanh, ReLU and softplus (left) beside their derivatives (right), with a marker
    at the chosen z and the derivatives' values there in the status line (notebook 04)."""
    fig, (ax_f, ax_d) = new_figure("wide", ncols=2)
    zs = np.linspace(-6, 6, 601)
    f_markers, d_markers = [], []
    for name, color in zip(_ACTIVATION_NAMES, COLORS["cycle"], strict=False):
        f, f_prime = RAW[name]
        ax_f.plot(zs, f(zs), color=color, lw=2, label=name)
        slopes = np.where(zs == 0, np.nan, f_prime(zs)) if name == "relu" else f_prime(zs)  # gap at the kink
        ax_d.plot(zs, slopes, color=color, lw=2, label=f"{name}′")
        f_markers.append(ax_f.plot([], [], "o", color=color, ms=7)[0])
        d_markers.append(ax_d.plot([], [], "o", color=color, ms=7)[0])
    ax_d.axhline(0.25, color=COLORS["muted"], ls="--", lw=1)
    ax_d.text(-5.8, 0.28, "¼ = largest sigmoid′", color=COLORS["muted"], fontsize=8)
    z_lines = [ax.axvline(z, color=COLORS["muted"], lw=1) for ax in (ax_f, ax_d)]
    ax_f.set(title="activation f(z)", xlabel="z", ylim=(-1.2, 3.2))
    ax_d.set(title="derivative f′(z)", xlabel="z", ylim=(-0.1, 1.15))
    ax_f.legend(loc="upper left", fontsize=8)
    ax_d.legend(loc="upper left", fontsize=8)

    def update(z=z):
        parts = []
        for name, fm, dm in zip(_ACTIVATION_NAMES, f_markers, d_markers, strict=True):
            f, f_prime = RAW[name]
            value, slope = float(f(np.float64(z))), float(f_prime(np.float64(z)))
            fm.set_data([z], [value])
            dm.set_data([z], [slope])
            parts.append(f"{name}′ = {slope:.3f}")
        for line in z_lines:
            line.set_xdata([z, z])
        return f"at z = {z:.2f}: " + ", ".join(parts)

    return Demo(fig, update, {"z": slider("z", -6.0, 6.0, z)})


# ---- exercises: the check_* functions -------------------------------------------------------

NB04_EXERCISE = {"w": -1.0, "x": 2.0, "t": 1.0, "b": 0.5, "learning_rate": 0.5}


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

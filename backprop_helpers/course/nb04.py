"""Notebook 04 · One sigmoid neuron, derived by hand: the companion module.

Checks for notebook 04's exercises (one sigmoid neuron).

The exercises use the neuron y = f(wx + b) with the sigmoid f and E = ½(t − y)², at the
numbers in ``NB04_EXERCISE``: w = −1, x = 2, t = 1, b = 0 (and b = 0.5 for the bias
exercise), learning rate η = 0.5.  Each check recognises the usual slips (a lost minus
sign, f(z) instead of f(z)(1 − f(z)), a forgotten factor x, the update's sign) and says so.

Notebook 04: one sigmoid neuron y = f(w·x + b), its error E = ½(t − y)² and its gradient.

The helpers ``neuron_forward``, ``neuron_error``, ``neuron_gradient`` and ``neuron_descent``
implement the notebook's equations for a scalar weight or a vector of weights; the demos
``neuron_descent_demo`` (E(w), its tangent and gradient steps) and ``activation_demo``
(four activations and their derivatives) are what the notebook's "try it" cells show.
"""

import math
import numbers

import numpy as np
import sympy

from ..activations import RAW, as_float_array
from ..feedback import Feedback, check_expression, check_number
from ..plotting.curves import TangentPlot
from ..plotting.style import COLORS, new_figure
from ..widgets import Demo, int_slider, log_slider, slider

__all__ = [
    "NB04_EXERCISE",
    "check_nb04_dE_dy",
    "check_nb04_gradient",
    "check_nb04_update",
    "check_nb04_bias_gradient",
    "neuron_forward",
    "neuron_error",
    "neuron_gradient",
    "neuron_descent",
    "neuron_descent_demo",
    "activation_demo",
]


# ---- exercises: the check_* functions ----------------------------------------------------

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


# ---- demos -------------------------------------------------------------------------------

_sigmoid, _sigmoid_prime = RAW["sigmoid"]


def _finite_array(value, name):
    array = as_float_array(value, name)
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains inf; expected finite numbers")
    return array


def _inputs(w, x, b):
    w_arr, x_arr, b_arr = _finite_array(w, "w"), _finite_array(x, "x"), _finite_array(b, "b")
    if w_arr.ndim > 1:
        raise ValueError(f"w must be a number or a 1-D array, got shape {w_arr.shape}")
    if w_arr.shape != x_arr.shape:
        raise ValueError(f"w and x must have the same shape, got {w_arr.shape} and {x_arr.shape}")
    if b_arr.ndim != 0:
        raise ValueError(f"b must be a single number, got shape {b_arr.shape}")
    return w_arr, x_arr, float(b_arr)


def _target(t):
    t_arr = _finite_array(t, "t")
    if t_arr.ndim != 0:
        raise ValueError(f"t must be a single number, got shape {t_arr.shape}")
    return float(t_arr)


def neuron_forward(w, x, b=0.0):
    """Output of one sigmoid neuron, y = f(z) with z = Σᵢ wᵢxᵢ + b (notebook 04, y = f(wx + b)).

    ``w`` and ``x`` are numbers or 1-D arrays of the same length; returns a float.
    """
    w, x, b = _inputs(w, x, b)
    return float(_sigmoid(np.sum(w * x) + b))


def neuron_error(w, x, t, b=0.0):
    """Error of one sigmoid neuron, E = ½(t − y)² with y = f(Σᵢ wᵢxᵢ + b) (notebook 04)."""
    t = _target(t)
    y = neuron_forward(w, x, b)
    return 0.5 * (t - y) ** 2


def neuron_gradient(w, x, t, b=0.0):
    """Gradient of E = ½(t − y)² for y = f(Σᵢ wᵢxᵢ + b), returned as ``(dE/dw, dE/db)``.

    The chain rule of notebook 04: dE/dwᵢ = −(t − y) · f(z)(1 − f(z)) · xᵢ, and
    dE/db = −(t − y) · f(z)(1 − f(z)) · 1.  dE/dw is a float for a scalar ``w``, otherwise
    an array shaped like ``w``; dE/db is a float.
    """
    t = _target(t)
    w_arr, x_arr, b = _inputs(w, x, b)
    z = float(np.sum(w_arr * x_arr) + b)
    y = float(_sigmoid(z))
    delta = -(t - y) * float(_sigmoid_prime(z))  # dE/dz, the error signal δ
    dE_dw = delta * x_arr
    return (float(dE_dw) if dE_dw.ndim == 0 else dE_dw), delta


def _check_learning_rate(learning_rate):
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real):
        raise TypeError(f"learning_rate must be a positive number, got {type(learning_rate).__name__}")
    if not (math.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive finite number, got {learning_rate!r}")


def _check_steps(steps):
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise TypeError(f"steps must be a whole number, got {type(steps).__name__}")
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, got {steps}")


def neuron_descent(w, x, t, learning_rate, steps, b=0.0, limit=1e6):
    """Take ``steps`` gradient steps w ← w − η·dE/dw from a scalar ``w`` (notebook 04, the update).

    Only w moves (x, t and b stay fixed).  Returns ``(ws, errors)``: arrays of length
    steps + 1 holding w and E before the first step and after each step.  The run stops
    early if |w| exceeds ``limit`` (it cannot with the sigmoid's bounded gradient, but a
    caller should not have to trust that).
    """
    _check_learning_rate(learning_rate)
    _check_steps(steps)
    w_arr, x_arr, b = _inputs(w, x, b)
    if w_arr.ndim != 0:
        raise ValueError(f"w must be a single number here, got shape {w_arr.shape}")
    t = _target(t)
    w, x = float(w_arr), float(x_arr)
    ws, errors = [w], [0.5 * (t - float(_sigmoid(w * x + b))) ** 2]
    for _ in range(steps):
        z = w * x + b
        y = float(_sigmoid(z))
        w = w - learning_rate * (-(t - y) * float(_sigmoid_prime(z)) * x)
        if not abs(w) <= limit:
            break
        ws.append(w)
        errors.append(0.5 * (t - float(_sigmoid(w * x + b))) ** 2)
    return np.array(ws), np.array(errors)


# ---------------------------------------------------------------------------------------
# Demo 1: E(w) with its tangent, the next step and a path of steps
# ---------------------------------------------------------------------------------------

W_RANGE = (-6.0, 6.0)


def _outcome(ws, errors, x, t, eta, steps):
    """One sentence on what the steps did (the second half of the status line)."""
    if steps == 0:
        return "drag 'steps' to take some"
    if len(ws) < steps + 1:
        return f"diverged: |w| passed 1e6 after {len(ws) - 1} steps"
    rises = int(np.sum(np.diff(errors) > 1e-12))
    slopes = np.array([_e_and_slope(w, x, t)[1] for w in ws])
    flips = int(np.sum(slopes[:-1] * slopes[1:] < 0))  # dE/dw changed sign: a step jumped past the low point
    end = f"after {steps} step{'s' if steps != 1 else ''}: w = {ws[-1]:.3f}, E = {errors[-1]:.4f}"
    if np.any((ws < W_RANGE[0]) | (ws > W_RANGE[1])):
        end += " (w left the plotted range)"
    if 0 < t < 1 and x != 0:
        w_star = math.log(t / (1 - t)) / x
        bound = 2 / (x * t * (1 - t)) ** 2  # η < 2/E''(w*), with E''(w*) = x²·f'(z*)² at the minimum
    else:
        w_star, bound = None, None
    converged = w_star is not None and abs(ws[-1] - w_star) < 1e-3
    if flips or rises:
        detail = f"{flips} of {steps} steps jumped past the low point"
        if rises:
            detail += f" and E went up in {rises}"
        if bound is not None and eta > bound:
            return f"overshoots and cannot settle: {detail} — η = {eta:.3g} is above 2/E''(w*) = {bound:.3g}; {end}"
        if converged:
            return f"overshoots, then settles at the minimum w* = {w_star:.3f}: {detail}; {end}"
        return f"overshoots: {detail}; {end}"
    if errors[0] > 1e-3 and errors[-1] > 0.99 * errors[0]:
        if abs(slopes[0]) < 1e-2:
            return f"stuck: the sigmoid is flat here, so dE/dw ≈ 0 and the steps barely move w; {end}"
        return f"crawls: η = {eta:.3g} is so small that E barely changed; {end}"
    if converged:
        return f"converged to the minimum w* = {w_star:.3f}; {end}"
    return f"E went down at every step; {end}"


def _e_and_slope(w, x, t):
    z = w * x
    y = float(_sigmoid(z))
    return 0.5 * (t - y) ** 2, -(t - y) * float(_sigmoid_prime(z)) * x


def _fmt(value, digits):
    """Round for the status line without printing "-0.0000"."""
    return f"{value:.{digits}f}".replace("-0." + "0" * digits, "0." + "0" * digits)


def neuron_descent_demo(w=-2.0, x=1.5, t=0.8, eta=3.0, steps=10):
    """Sliders for w, x, t, η and a number of steps: E(w) = ½(t − f(wx))², the tangent at w,
    where the next step w − η·dE/dw lands and the path of ``steps`` steps (notebook 04)."""
    fig, ax = new_figure()
    ws_grid = np.linspace(*W_RANGE, 401)
    state = {"x": x, "t": t}
    tangent = TangentPlot(
        ax, lambda w_: _e_and_slope(w_, state["x"], state["t"])[0],
        lambda w_: _e_and_slope(w_, state["x"], state["t"])[1], ws_grid, w,
        half_width=1.5, label="E(w) = ½(t − f(wx))²",
    )
    ax.set_ylim(-0.03, 0.55)
    ax.set_xlabel("weight w")
    ax.set_ylabel("error E")
    (path_line,) = ax.plot([], [], ".-", color=COLORS["good"], lw=1, ms=6, label="steps taken", zorder=4)
    (next_point,) = ax.plot([], [], "X", color=COLORS["residual"], ms=10, label="next step lands", zorder=5)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=8)

    def update(w=w, x=x, t=t, eta=eta, steps=steps):
        state["x"], state["t"] = x, t
        curve = 0.5 * (t - _sigmoid(ws_grid * x)) ** 2
        tangent.curve.set_ydata(curve)
        e0, slope = tangent.move_to(w)
        w_next = w - eta * slope
        e_next = _e_and_slope(w_next, x, t)[0]
        next_point.set_data([np.clip(w_next, *W_RANGE)], [e_next])
        ws, errors = neuron_descent(w, x, t, eta, int(steps))
        inside = (ws >= W_RANGE[0]) & (ws <= W_RANGE[1])
        path_line.set_data(ws[inside], errors[inside])
        head = f"at w = {w:.2f}: E = {_fmt(e0, 4)}, dE/dw = {_fmt(slope, 4)}, next w = {_fmt(w_next, 3)}"
        if abs(x) < 1e-9:  # a slider can land on ±1e-16 instead of 0
            return f"{head}; x = 0, so w has no effect on y and dE/dw = 0: no step can move w"
        return f"{head}; {_outcome(ws, errors, x, t, eta, int(steps))}"

    controls = {
        "w": slider("w", *W_RANGE, w),
        "x": slider("x", -3.0, 3.0, x),
        "t": slider("t", 0.0, 1.0, t),
        "eta": log_slider("η", 0.01, 100.0, eta),
        "steps": int_slider("steps", 0, 50, steps),
    }
    return Demo(fig, update, controls)


# ---------------------------------------------------------------------------------------
# Demo 2: the activation functions and their derivatives
# ---------------------------------------------------------------------------------------

_ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "softplus")


def activation_demo(z=0.0):
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

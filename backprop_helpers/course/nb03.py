"""Notebook 03 · Gradient descent and the learning rate: the companion module.

The notebook's examples, in its order: the 1-D quadratic E(w) = ½λ(w − w*)², the check of
the learner's own descent loop, the learning-rate demo (section 2), the elongated 2-D bowl and
its demo, the tilted bowl and a quartic whose step limit is only local (section 5), then the
exercises' checks.  Every run goes through the core's ``descend`` (the one gradient-descent
loop of the series) and every status line through the core's ``describe_run``.
"""

import numbers

import numpy as np
import sympy

from ..descent import descend, describe_run
from ..feedback import Feedback, check_function, check_number
from ..plotting.curves import plot_loss_curve
from ..plotting.style import COLORS, new_figure
from ..plotting.surfaces import plot_contours
from ..validation import as_float_array
from ..widgets import Demo, choice, int_slider, log_slider

__all__ = [
    "DescentPathPlot",
    "plot_descent_path",
    "QUADRATIC_CURVATURE",
    "QUADRATIC_MINIMUM",
    "QUADRATIC_START",
    "quadratic_loss",
    "quadratic_grad",
    "check_gradient_descent",
    "ETA_PRESETS",
    "quadratic_run",
    "learning_rate_demo",
    "BOWL_CURVATURES",
    "BOWL_START",
    "bowl_loss",
    "bowl_grad",
    "bowl_run",
    "bowl_descent_demo",
    "TILTED_HESSIAN",
    "TILTED_START",
    "tilted_loss",
    "tilted_grad",
    "quartic_loss",
    "quartic_grad",
    "check_nb03_update_step",
    "check_nb03_stability_limit",
    "check_nb03_error_factor",
    "check_nb03_bowl_limit",
]


# ---- a descent path drawn on contours, which a slider can replace -----------------------------
class DescentPathPlot:
    """A gradient-descent path drawn on contours; ``set_path`` replaces it (notebook 03).

    Points far outside the axes (a diverging run) are left out, so the plot never receives
    huge or non-finite coordinates; ``set_path`` returns how many points are shown.
    """

    def __init__(self, ax, color=None, label="path"):
        self.ax = ax
        color = color or COLORS["tangent"]
        (self.line,) = ax.plot([], [], "-o", color=color, ms=3.5, lw=1.3, label=label, zorder=3)
        (self.start,) = ax.plot([], [], "o", color=COLORS["point"], mec="black", ms=8, zorder=4)
        (self.end,) = ax.plot([], [], "*", color=color, mec="black", ms=12, zorder=4)

    def set_path(self, path):
        """Show ``path`` (shape (steps + 1, 2)); return the number of points drawn."""
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
            raise ValueError(f"path must have shape (n, 2) with n >= 1, got {path.shape}")
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        margin = 2 * max(x1 - x0, y1 - y0)
        finite = np.isfinite(path).all(axis=1)
        inside = finite & (np.abs(path[:, 0] - (x0 + x1) / 2) < margin) & (np.abs(path[:, 1] - (y0 + y1) / 2) < margin)
        # keep the run up to the first point that leaves the neighbourhood of the axes
        shown = path[: int(np.argmin(inside)) if not inside.all() else len(path)]
        self.line.set_data(shown[:, 0], shown[:, 1])
        self.start.set_data(shown[:1, 0], shown[:1, 1])
        self.end.set_data(shown[-1:, 0], shown[-1:, 1])
        return len(shown)


def plot_descent_path(ax, path, color=None, label="path"):
    """Draw a descent path (shape (n, 2)) on ``ax`` (usually over ``plot_contours``); return the
    ``DescentPathPlot`` so a demo can call ``set_path`` later."""
    path = as_float_array(path, "path", finite=True)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"path must have shape (n, 2), one point (w₁, w₂) per row, got shape {path.shape}")
    plot = DescentPathPlot(ax, color=color, label=label)
    plot.set_path(path)
    return plot


# --- the 1-D quadratic E(w) = ½λ(w − w*)² -----------------------------------------------
QUADRATIC_CURVATURE = 4.0  # λ = E''(w); the stability limit is 2/λ = 0.5
QUADRATIC_MINIMUM = 1.0  # w*
QUADRATIC_START = -1.5  # w₀


def quadratic_loss(w, curvature=QUADRATIC_CURVATURE, minimum=QUADRATIC_MINIMUM):
    """E(w) = ½λ(w − w*)², the quadratic of curvature λ used throughout notebook 03."""
    return 0.5 * curvature * (np.asarray(w, dtype=float) - minimum) ** 2


def quadratic_grad(w, curvature=QUADRATIC_CURVATURE, minimum=QUADRATIC_MINIMUM):
    """dE/dw = λ(w − w*) for E(w) = ½λ(w − w*)²."""
    return curvature * (np.asarray(w, dtype=float) - minimum)


# ---- section 2, your turn: the descent loop with its stopping rule ---------------------------

def _reference_descent(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000):
    """Notebook 03's loop, written out: w ← w − η·dE/dw, stop right after a step shorter than tol."""
    ws, losses = [w0], [E(w0)]
    for _ in range(steps):
        w_new = ws[-1] - learning_rate * dE_dw(ws[-1])
        ws.append(w_new)
        losses.append(E(w_new))
        if abs(w_new - ws[-2]) < tol:
            break
    return ws, losses


def _quadratic(curvature, minimum):
    return (lambda w: 0.5 * curvature * (w - minimum) ** 2), (lambda w: curvature * (w - minimum))


def _log_cosh():
    """E = ln cosh(w − 1): not a quadratic, and its slope tanh(w − 1) is bounded, so even a wrong loop stays finite."""
    return (lambda w: float(np.log(np.cosh(w - 1)))), (lambda w: float(np.tanh(w - 1)))


def _descent_case(label, functions, w0, learning_rate, tol, steps):
    return label, (*functions, w0, learning_rate, tol, steps)


_DESCENT_CASES = [
    _descent_case("E = ½·4(w − 1)², w₀ = −1.5, η = 0.1", _quadratic(4.0, 1.0), -1.5, 0.1, 1e-3, 50),
    _descent_case("E = ½·4(w − 1)², w₀ = −1.5, η = 0.4 (overshoots)", _quadratic(4.0, 1.0), -1.5, 0.4, 1e-3, 50),
    _descent_case("E = ½·10(w + 2)², w₀ = 3, η = 0.05, tol = 0.01", _quadratic(10.0, -2.0), 3.0, 0.05, 1e-2, 40),
    _descent_case("E = ½(w − 0.5)², w₀ = 2, η = 0.01, steps = 25 (the step limit)", _quadratic(1.0, 0.5),
                  2.0, 0.01, 1e-3, 25),
    _descent_case("E = w², w₀ = 1, η = 0.002, tol = 0.01 (the first step is already short)", _quadratic(2.0, 0.0),
                  1.0, 0.002, 1e-2, 30),
    _descent_case("E = ln cosh(w − 1), w₀ = 4, η = 0.5", _log_cosh(), 4.0, 0.5, 1e-3, 60),
]


def _plus_sign(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000):
    return _reference_descent(E, lambda w: -dE_dw(w), w0, learning_rate, tol, steps)


def _no_learning_rate(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000):
    return _reference_descent(E, dE_dw, w0, 1.0, tol, steps)


def _stops_before_the_short_step(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000):
    ws, losses = [w0], [E(w0)]
    for _ in range(steps):
        step = learning_rate * dE_dw(ws[-1])
        if abs(step) < tol:
            break
        ws.append(ws[-1] - step)
        losses.append(E(ws[-1]))
    return ws, losses


def _one_update_too_many(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000):
    return _reference_descent(E, dE_dw, w0, learning_rate, tol, steps + 1)


def _one_update_too_few(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000):
    return _reference_descent(E, dE_dw, w0, learning_rate, tol, steps - 1)


def _stops_on_the_loss(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000):
    ws, losses = [w0], [E(w0)]
    for _ in range(steps):
        ws.append(ws[-1] - learning_rate * dE_dw(ws[-1]))
        losses.append(E(ws[-1]))
        if abs(losses[-1] - losses[-2]) < tol:
            break
    return ws, losses


def _stops_on_the_gradient(E, dE_dw, w0, learning_rate, tol=1e-3, steps=1000):
    ws, losses = [w0], [E(w0)]
    for _ in range(steps):
        ws.append(ws[-1] - learning_rate * dE_dw(ws[-1]))
        losses.append(E(ws[-1]))
        if abs(dE_dw(ws[-1])) < tol:
            break
    return ws, losses


_DESCENT_MISTAKES = [
    (_plus_sign, "the sign: the update goes against the slope, w_new = w − η·dE/dw. With a plus sign every "
                 "step climbs."),
    (_no_learning_rate, "multiply the derivative by the learning rate: the step is η·dE/dw, not dE/dw."),
    (_stops_before_the_short_step, "off by one: take the step first, then stop if it was shorter than tol "
                                   "(the short step itself belongs to the run)."),
    (_one_update_too_many, "off by one: `steps` is the number of updates, so the lists hold at most steps + 1 "
                           "entries (w₀ and one per update)."),
    (_one_update_too_few, "off by one: make `steps` updates before giving up, so the lists can hold steps + 1 "
                          "entries (w₀ and one per update)."),
    (_stops_on_the_loss, "the stopping rule is on the step |w_new − w|, not on the change of the loss: where E is "
                         "flat the loss barely changes while w still moves."),
    (_stops_on_the_gradient, "the stopping rule is on the step |w_new − w| = η·|dE/dw|, not on the gradient "
                             "|dE/dw| alone."),
]


def _compare_descent(got, expected):
    """None when ``got`` is the pair of lists (ws, losses) of ``expected``, else the first difference in words."""
    if got is None:
        return "it returned None: the body is still missing, or its return statement"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"expected two lists (ws, losses), got {got!r:.60}"
    for name, values, wanted in zip(("ws", "losses"), got, expected):
        try:
            values = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            return f"{name} must be a list of numbers, got {values!r:.60}"
        if values.ndim != 1:
            return f"{name} must be a flat list of numbers, got shape {values.shape}"
        if len(values) != len(wanted):
            return f"{name} has {len(values)} entries, expected {len(wanted)} (w₀ and {len(wanted) - 1} updates)"
        wrong = ~np.isclose(values, wanted, rtol=1e-9, atol=1e-12)
        if wrong.any():
            k = int(np.argmax(wrong))
            return f"{name}[{k}] should be {wanted[k]:.6g}, got {values[k]:.6g}"
    return None


def check_gradient_descent(gradient_descent):
    """Your turn: ``gradient_descent(E, dE_dw, w0, learning_rate, tol, steps)`` returns the lists (ws, losses)
    of notebook 03's loop; it is run on six hidden losses (five quadratics and ln cosh)."""
    return check_function(
        gradient_descent, _DESCENT_CASES, _reference_descent, mistakes=_DESCENT_MISTAKES, compare=_compare_descent,
        name="gradient_descent",
        success="gradient_descent passes all 6 hidden runs: the minus sign, the learning rate, the step taken "
                "before the stopping rule looks at it, and at most `steps` updates.",
    )


# The learning-rate demo's presets: 1/λ, 2/λ and their neighbours, which the log slider's stops miss.
STEP_LIMIT_MAX = 100  # the step-limit slider's maximum: the loss axis of the demo ends there
ETA_PRESETS = {"slider": None, "1/λ = 0.25": 0.25, "0.49": 0.49, "2/λ = 0.5": 0.5, "0.51": 0.51}


def _keep_static_text_in_background(fig):
    """Stack the titles and the fixed texts inside the axes just below the lines (z-order 1.9): nothing
    moving lies under them, so the picture is the same, and a live frame, which redraws everything
    stacked above the lowest moving artist, leaves them in its cached background."""
    for ax in fig.axes:
        for text in [ax.title, *ax.texts]:
            text.set_zorder(1.9)


def quadratic_run(eta, steps=30, tol=1e-3):
    """What the learning-rate demo computes: ``descend`` on the quadratic from w₀ = −1.5."""
    return descend(quadratic_grad, QUADRATIC_START, eta, loss=quadratic_loss, tol=tol, steps=steps)


def learning_rate_demo(eta=0.1, steps=30):
    """The learning-rate slider on E(w) = ½λ(w − w*)², λ = 4: crawl, converge, oscillate, diverge.

    Left: E(w) with the iterates.  Middle: E per iteration (log scale).  Right: the factor
    |1 − ηλ| by which each step multiplies the distance to w*, with the limit η = 2/λ.
    """
    lam, w_star, w0, tol = QUADRATIC_CURVATURE, QUADRATIC_MINIMUM, QUADRATIC_START, 1e-3
    fig, (ax_curve, ax_loss, ax_factor) = new_figure("wide", ncols=3, figsize=(10.5, 3.5))
    ws = np.linspace(w_star - 3, w_star + 3, 301)
    ax_curve.plot(ws, quadratic_loss(ws), color=COLORS["curve"], lw=2)
    ax_curve.axvline(w_star, color=COLORS["muted"], ls=":", lw=1.5, label="minimum w* = 1", gid="w_star")
    (iterates,) = ax_curve.plot([], [], "-o", color=COLORS["tangent"], ms=4, lw=1, gid="iterates")
    (start,) = ax_curve.plot([w0], [quadratic_loss(w0)], "o", color=COLORS["point"], mec="black", ms=9, zorder=3)
    ax_curve.set(xlim=(ws[0], ws[-1]), ylim=(-0.5, quadratic_loss(ws[0]) * 1.05), xlabel="w", ylabel="E(w)",
                 title="E(w) = ½λ(w − w*)², λ = 4")
    ax_curve.legend(loc="upper center", fontsize=8)

    loss_line = plot_loss_curve(ax_loss, [quadratic_loss(w0)], log=True, color=COLORS["curve"])
    loss_line.set_gid("losses")
    # fixed axes (x up to the step limit's maximum): moving a slider or playing the steps only moves lines
    ax_loss.set(xlim=(0, STEP_LIMIT_MAX), ylim=(1e-8, 1e6), title="loss per iteration")

    etas = np.logspace(-3, 1, 400)
    ax_factor.plot(etas, np.abs(1 - etas * lam), color=COLORS["curve"], lw=2)
    ax_factor.axvspan(2 / lam, 10, color=COLORS["bad"], alpha=0.12, lw=0)
    ax_factor.axvline(2 / lam, color=COLORS["bad"], lw=1.5, ls="--")
    ax_factor.axhline(1, color=COLORS["muted"], lw=1)
    ax_factor.text(2 / lam * 2.2, 0.35, "diverges\nη > 2/λ", color=COLORS["bad"], fontsize=9, va="bottom")
    ax_factor.text(1.2e-3, 2.9, "converges\nη < 2/λ", color=COLORS["good"], fontsize=9, va="top")
    (marker,) = ax_factor.plot([], [], "o", color=COLORS["point"], mec="black", ms=9, zorder=3, gid="eta")
    ax_factor.set(xscale="log", xlim=(1e-3, 10), ylim=(0, 3), xlabel="learning rate η",
                  ylabel="|1 − ηλ| per step", title="stability: |1 − ηλ| < 1")
    _keep_static_text_in_background(fig)

    def update(eta=eta, preset="slider", steps=steps):
        eta = ETA_PRESETS[preset] or eta  # a preset reaches the values the log slider steps over
        run = quadratic_run(eta, steps, tol)
        shown = run.path[np.abs(run.path - w_star) <= 3.05]  # iterates inside the plotted range
        iterates.set_data(shown, quadratic_loss(shown))
        losses = np.clip(run.losses, 1e-9, 1e7)  # clipped to the log axis's range
        loss_line.set_data(np.arange(len(losses)), losses)
        marker.set_data([eta], [min(abs(1 - eta * lam), 2.95)])
        return describe_run(run, lam)

    controls = {"eta": log_slider("η", 1e-3, 10, eta), "preset": choice("or η =", tuple(ETA_PRESETS), "slider"),
                "steps": int_slider("step limit", 1, STEP_LIMIT_MAX, steps)}
    return Demo(fig, update, controls, play="steps")


# --- the 2-D elongated bowl E(w₁, w₂) = ½(λ₁w₁² + λ₂w₂²) ----------------------------------
BOWL_CURVATURES = (1.0, 10.0)  # λ₁ (least curved), λ₂ (most curved); stable only for η < 2/λ₂ = 0.2
BOWL_START = (-4.0, 1.5)
BOWL_STEP_LIMIT_MAX = 200  # the bowl demo's step-limit slider's maximum (and its loss axis's end)


def bowl_loss(w1, w2, curvatures=BOWL_CURVATURES):
    """E(w₁, w₂) = ½(λ₁w₁² + λ₂w₂²), a long narrow bowl with its minimum at (0, 0)."""
    return 0.5 * (curvatures[0] * np.asarray(w1, dtype=float) ** 2 + curvatures[1] * np.asarray(w2, dtype=float) ** 2)


def bowl_grad(w, curvatures=BOWL_CURVATURES):
    """∇E = (λ₁w₁, λ₂w₂) for the bowl; ``w`` is the array (w₁, w₂)."""
    w = np.asarray(w, dtype=float)
    return np.array([curvatures[0] * w[0], curvatures[1] * w[1]])


def _short(value):
    value = round(float(value), 4) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{value:.3g}"


def bowl_run(eta, steps=60, tol=1e-3):
    """What the bowl demo computes: ``descend`` on the bowl from ``BOWL_START``."""
    return descend(bowl_grad, BOWL_START, eta, loss=lambda w: bowl_loss(*w), tol=tol, steps=steps)


def bowl_descent_demo(eta=0.15, steps=60):
    """Gradient descent on the elongated bowl: the most curved direction sets the limit η < 2/λ₂,
    the least curved one sets how slowly the run crawls along the valley floor."""
    tol = 1e-3
    fig, (ax, ax_loss) = new_figure("wide", ncols=2, gridspec_kw={"width_ratios": [1.5, 1]})
    plot_contours(ax, bowl_loss, (-4.5, 4.5), (-2, 2), levels=np.geomspace(0.02, 40, 14), labels=("w₁", "w₂"))
    ax.plot([0], [0], "+", color="black", ms=10)
    path_plot = DescentPathPlot(ax)
    path_plot.line.set_gid("path")
    ax.set_title("E = ½(w₁² + 10·w₂²): limit 2/λ₂ = 0.2")
    loss_line = plot_loss_curve(ax_loss, [bowl_loss(*BOWL_START)], log=True, color=COLORS["curve"])
    loss_line.set_gid("losses")
    ax_loss.set(xlim=(0, BOWL_STEP_LIMIT_MAX), ylim=(1e-8, 1e6), title="loss per iteration")  # fixed, as above
    _keep_static_text_in_background(fig)

    def update(eta=eta, steps=steps):
        run = bowl_run(eta, steps, tol)
        path_plot.set_path(run.path)
        losses = np.clip(run.losses, 1e-9, 1e7)  # clipped to the log axis's range
        loss_line.set_data(np.arange(len(losses)), losses)
        w1, w2 = run.final
        return describe_run(run, max(BOWL_CURVATURES), "λ₂") + f"; last w = ({_short(w1)}, {_short(w2)})"

    controls = {"eta": log_slider("η", 1e-3, 1, eta), "steps": int_slider("step limit", 1, BOWL_STEP_LIMIT_MAX, steps)}
    return Demo(fig, update, controls, play="steps")


# --- section 5: a tilted bowl E(w) = ½ wᵀHw, and a loss that is not a quadratic ------------------
TILTED_HESSIAN = np.array([[5.5, 4.5], [4.5, 5.5]])  # eigenvalues 10 (along (1, 1)) and 1 (along (1, −1))
TILTED_START = (-3.0, 1.0)


def tilted_loss(w1, w2):
    """E = ½ wᵀHw for the tilted bowl H = [[5.5, 4.5], [4.5, 5.5]]: the bowl of section 5 turned by 45°."""
    w1, w2 = np.asarray(w1, dtype=float), np.asarray(w2, dtype=float)
    return 0.5 * (5.5 * w1**2 + 9.0 * w1 * w2 + 5.5 * w2**2)


def tilted_grad(w):
    """∇E = Hw = (5.5w₁ + 4.5w₂, 4.5w₁ + 5.5w₂) for the tilted bowl."""
    return TILTED_HESSIAN @ np.asarray(w, dtype=float)


def quartic_loss(w):
    """E(w) = ¼w⁴ + ½w²: minimum at w* = 0 with E″(0) = 1, but E″(w) = 3w² + 1 grows away from it."""
    return 0.25 * w**4 + 0.5 * w**2


def quartic_grad(w):
    """dE/dw = w³ + w."""
    return w**3 + w


# ---- exercises: the check_* functions -------------------------------------------------------

def _as_float(answer):
    """``answer`` as a float if it is one real number (also a sympy number or a size-1 array), else None."""
    if isinstance(answer, sympy.Basic):
        return float(answer) if answer.is_number and answer.is_real else None
    if isinstance(answer, np.ndarray) and answer.size == 1 and np.issubdtype(answer.dtype, np.number):
        answer = answer.reshape(-1)[0]
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (numbers.Real, np.floating, np.integer)):
        return None
    return float(answer)


def _check_limit(answer, limit, mistakes, hint, success):
    """check_number for a stability limit, plus a hint for a stable η just below the limit.

    The extra hint comes after the right answer and the known mistakes, but before core's
    "is close" message (which would otherwise catch answers within 5% of the limit).
    """
    feedback = check_number(answer, limit, mistakes=mistakes, hint=hint, success=success)
    value = _as_float(answer)
    known = value is not None and any(np.isclose(value, wrong, rtol=1e-3, atol=1e-6) for wrong, _ in mistakes)
    if feedback.correct or value is None or known:
        return feedback
    if 0.8 * limit <= value < limit:
        return Feedback(False, f"η = {value:g} is stable, but the question asks for the limit itself, 2/λ.")
    return feedback


def check_nb03_update_step(answer):
    """Exercise 1: one step on E(w) = (w − 3)² from w = 1 with η = 0.1; answer the new w."""
    w, eta = 1.0, 0.1
    grad = 2 * (w - 3)  # −4
    return check_number(
        answer, w - eta * grad,
        mistakes=[
            (w + eta * grad, "mind the minus sign in the update: w_new = w − η·dE/dw. Here dE/dw < 0, so w grows."),
            (w - eta * (w - 3), "dE/dw of (w − 3)² is 2(w − 3): keep the factor 2 from the power."),
            (w - grad, "multiply the derivative by the learning rate η = 0.1 before subtracting it."),
            (-eta * grad, "that is the step −η·dE/dw; add it to the old w = 1 to get the new weight."),
            (eta * grad, "that is η·dE/dw; the new weight is w − η·dE/dw."),
        ],
        hint="compute dE/dw = 2(w − 3) at w = 1, then w_new = w − η·dE/dw.",
        success="w_new = 1 − 0.1·(−4) = 1.4: the slope is negative, so the step goes right, towards w* = 3.",
    )


def check_nb03_stability_limit(answer):
    """Exercise 2: the limit 2/λ below which gradient descent converges on E(w) = 5(w − 1)² (λ = E'' = 10)."""
    return _check_limit(
        answer, 0.2,
        mistakes=[
            (0.4, "λ is the curvature E''(w), not the coefficient 5: E = 5(w − 1)² = ½·10·(w − 1)², so λ = 10."),
            (0.1, "η = 1/λ reaches w* in one step; beyond it the steps overshoot but still converge up to 2/λ."),
            (20.0, "it is 2/λ, not 2λ: a steeper bowl needs a smaller step."),
            (0.05, "it is 2/λ, not 1/(2λ)."),
        ],
        hint="find λ = d²E/dw², then use |1 − ηλ| < 1.",
        success="λ = 10, so the limit is η < 2/λ = 0.2.",
    )


def check_nb03_error_factor(answer):
    """Exercise 3: the factor 1 − ηλ that multiplies w − w* each step, for λ = 10 and η = 0.15."""
    return check_number(
        answer, 1 - 0.15 * 10,
        mistakes=[
            (0.5, "keep the sign: 1 − 1.5 = −0.5. The negative sign is what makes the iterates oscillate."),
            (1 + 0.15 * 10, "the update subtracts η·λ(w − w*), so the factor is 1 − ηλ, not 1 + ηλ."),
            (-0.15 * 10, "w_{k+1} − w* = (w_k − w*) − ηλ(w_k − w*): do not drop the first term, the 1."),
        ],
        hint="subtract w* from both sides of w_{k+1} = w_k − ηλ(w_k − w*).",
        success="1 − ηλ = −0.5: the distance w − w* halves and flips sign every step, an oscillation that converges.",
    )


def check_nb03_bowl_limit(answer):
    """Exercise 4: the limit on η below which descent converges on the bowl E = ½(w₁² + 25·w₂²) (curvatures 1, 25)."""
    return _check_limit(
        answer, 2 / 25,
        mistakes=[
            (2.0, "2/λ₁ = 2 keeps w₁ stable, but w₂ (curvature λ₂ = 25) diverges for η > 2/25: the most curved "
                  "direction rules."),
            (1 / 25, "1/λ₂ is the step that lands w₂ at 0 in one step; stability holds up to 2/λ₂."),
            (2 / 26, "the curvatures do not add: each direction has its own condition |1 − ηλᵢ| < 1."),
            (4 / 25, "λ₂ is 25 (the second derivative of ½·25·w₂²), not 12.5."),
        ],
        hint="each coordinate descends on its own with factor 1 − ηλᵢ; all must satisfy |1 − ηλᵢ| < 1.",
        success="η < 2/25 = 0.08: the most curved direction (largest λ) sets the limit, the flattest one then crawls.",
    )

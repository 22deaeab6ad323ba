"""Notebook 03 · Gradient descent and the learning rate: the companion module.

Notebook 03's exercises: one update step, the stability limit 2/λ, the factor 1 − ηλ.

Notebook 03: gradient descent, its stopping rule, and the learning-rate demos.

``gradient_descent`` is the update w ← w − η·∇E(w) with a stopping rule; a diverging run is
a result (status "diverged"), never an overflow.  ``learning_rate_demo`` runs it on the
1-D quadratic E(w) = ½λ(w − w*)²; ``bowl_descent_demo`` on an elongated 2-D bowl.
"""

import numbers

import numpy as np
import sympy

from ..feedback import Feedback, check_number
from ..plotting.curves import plot_loss_curve
from ..plotting.style import COLORS, new_figure
from ..plotting.surfaces import DescentPathPlot, plot_contours
from ..widgets import Demo, int_slider, log_slider

__all__ = [
    "check_nb03_update_step",
    "check_nb03_stability_limit",
    "check_nb03_error_factor",
    "check_nb03_bowl_limit",
    "DescentResult",
    "gradient_descent",
    "QUADRATIC_CURVATURE",
    "QUADRATIC_MINIMUM",
    "QUADRATIC_START",
    "quadratic_loss",
    "quadratic_grad",
    "learning_rate_demo",
    "BOWL_CURVATURES",
    "BOWL_START",
    "bowl_loss",
    "bowl_grad",
    "bowl_descent_demo",
]


# ---- exercises: the check_* functions ----------------------------------------------------

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
            (2.0, "2/λ₁ = 2 keeps w₁ stable, but w₂ (curvature 25) diverges for η > 2/25: the steepest "
                  "direction rules."),
            (1 / 25, "1/λ₂ is the step that lands w₂ at 0 in one step; stability holds up to 2/λ₂."),
            (2 / 26, "the curvatures do not add: each direction has its own condition |1 − ηλᵢ| < 1."),
            (4 / 25, "λ₂ is 25 (the second derivative of ½·25·w₂²), not 12.5."),
        ],
        hint="each coordinate descends on its own with factor 1 − ηλᵢ; all must satisfy |1 − ηλᵢ| < 1.",
        success="η < 2/25 = 0.08: the steepest direction sets the limit, the shallow one then crawls.",
    )


# ---- demos -------------------------------------------------------------------------------

class DescentResult:
    """What ``gradient_descent`` returns.

    ``path``: the iterates w₀, w₁, …, one row each (shape (steps + 1,) for a scalar w,
    (steps + 1, n) for a vector); ``steps``: how many updates were made; ``status``:
    "converged" (the last step was shorter than ``tol``), "step limit" (``max_steps``
    reached first) or "diverged" (|w| passed ``limit`` or became non-finite; the path stops
    before that point).
    """

    def __init__(self, path, status):
        self.path = path
        self.status = status
        self.steps = len(path) - 1

    def __repr__(self):
        return f"DescentResult(status={self.status!r}, steps={self.steps}, w={np.round(self.path[-1], 6).tolist()})"


def _positive(name, value, integer=False):
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        raise TypeError(f"{name} must be a positive {'integer' if integer else 'number'}, got {type(value).__name__}")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be positive and finite, got {value!r}")


def gradient_descent(grad_fn, w0, learning_rate, tol=1e-3, max_steps=1000, limit=1e6):
    """Run w_{k+1} = w_k − η·∇E(w_k) (notebook 03's update rule) from w₀.

    Stopping rule: stop when the step size |η·∇E(w_k)| (its Euclidean length for a vector)
    is below ``tol`` ("converged"), or after ``max_steps`` updates ("step limit").  If an
    iterate leaves |w| ≤ ``limit`` or stops being finite the run ends as "diverged" and that
    iterate is not kept, so the path never holds inf or NaN.
    Returns a ``DescentResult``.
    """
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be a function of w, got {type(grad_fn).__name__}")
    _positive("learning_rate", learning_rate)
    _positive("tol", tol)
    _positive("max_steps", max_steps, integer=True)
    _positive("limit", limit)
    scalar = np.ndim(w0) == 0
    try:
        w = np.array(w0, dtype=float).reshape(-1)
    except (TypeError, ValueError) as err:
        raise TypeError(f"w0 must be a number or an array of numbers, got {w0!r}") from err
    if not np.isfinite(w).all():
        raise ValueError(f"w0 must be finite, got {w0!r}")
    path = [w.copy()]
    status = "step limit"
    for _ in range(max_steps):
        step = learning_rate * np.asarray(grad_fn(w[0] if scalar else w.copy()), dtype=float).reshape(-1)
        if step.shape != w.shape:
            raise ValueError(f"grad_fn must return a gradient shaped like w {w.shape}, got {step.shape}")
        if not np.isfinite(step).all() or np.abs(step).max() > 2 * limit:
            status = "diverged"
            break
        w = w - step
        if np.abs(w).max() > limit:
            status = "diverged"
            break
        path.append(w.copy())
        if np.sqrt(np.sum(step**2)) < tol:
            status = "converged"
            break
    path = np.array(path)
    return DescentResult(path[:, 0] if scalar else path, status)


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


def _steps(n):
    return f"{n} step" if n == 1 else f"{n} steps"


def _describe(result, eta, curvature, tol, name="λ"):
    """One status line for a run on a quadratic of curvature λ (1-D, or 2-D with λ the largest)."""
    limit = 2 / curvature
    factor = 1 - eta * curvature
    eta_text = f"{eta:.4g}" if abs(eta - limit) < 0.005 * limit else f"{eta:.3g}"  # .3g would round 0.1995 to 0.2
    where = f"η = {eta_text} {'<' if eta < limit else '>' if eta > limit else '='} 2/{name} = {limit:.3g}"
    if result.status == "diverged":
        return (f"diverged after {_steps(result.steps)} — {where}: "
                f"each step multiplies the distance to the minimum by {factor:.2f}")
    if result.status == "converged":
        how = "oscillating, but converged" if factor < 0 else "converged"
        return f"{how} in {_steps(result.steps)} (step size below {tol:g}) — {where}"
    if abs(factor) > 1 + 1e-9:
        return f"diverging: the swings grow every step — {where}; stopped at the step limit ({result.steps})"
    if factor < -1 + 1e-9:
        return f"oscillating forever between two points — {where}"
    if factor < 0:
        return f"oscillating: overshoots every step, not converged after {_steps(result.steps)} — {where}"
    if factor > 0.9:
        return f"crawling: not converged after {_steps(result.steps)} (step size still above {tol:g}) — {where}"
    return (f"stopped at the step limit: not converged yet after {_steps(result.steps)} "
            f"(factor {factor:.2f} per step) — {where}")


def _short(value):
    value = round(float(value), 4) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{value:.3g}"


def learning_rate_demo(eta=0.1, steps=30):
    """The learning-rate slider on E(w) = ½λ(w − w*)², λ = 4: crawl, converge, oscillate, diverge.

    Left: E(w) with the iterates.  Middle: E per iteration (log scale).  Right: the factor
    |1 − ηλ| by which each step multiplies the distance to w*, with the limit η = 2/λ.
    """
    lam, w_star, w0, tol = QUADRATIC_CURVATURE, QUADRATIC_MINIMUM, QUADRATIC_START, 1e-3
    fig, (ax_curve, ax_loss, ax_factor) = new_figure("wide", ncols=3, figsize=(10.5, 3.5))
    ws = np.linspace(w_star - 3, w_star + 3, 301)
    ax_curve.plot(ws, quadratic_loss(ws), color=COLORS["curve"], lw=2)
    (iterates,) = ax_curve.plot([], [], "-o", color=COLORS["tangent"], ms=4, lw=1)
    (start,) = ax_curve.plot([w0], [quadratic_loss(w0)], "o", color=COLORS["point"], mec="black", ms=9, zorder=3)
    ax_curve.set(xlim=(ws[0], ws[-1]), ylim=(-0.5, quadratic_loss(ws[0]) * 1.05), xlabel="w", ylabel="E(w)",
                 title="E(w) = ½λ(w − w*)², λ = 4")

    loss_line = plot_loss_curve(ax_loss, [quadratic_loss(w0)], log=True, color=COLORS["curve"])
    ax_loss.set(xlim=(0, steps), ylim=(1e-8, 1e6), title="loss per iteration")

    etas = np.logspace(-3, 1, 400)
    ax_factor.plot(etas, np.abs(1 - etas * lam), color=COLORS["curve"], lw=2)
    ax_factor.axvspan(2 / lam, 10, color=COLORS["bad"], alpha=0.12, lw=0)
    ax_factor.axvline(2 / lam, color=COLORS["bad"], lw=1.5, ls="--")
    ax_factor.axhline(1, color=COLORS["muted"], lw=1)
    ax_factor.text(2 / lam * 2.2, 0.35, "diverges\nη > 2/λ", color=COLORS["bad"], fontsize=9, va="bottom")
    ax_factor.text(1.2e-3, 2.9, "converges\nη < 2/λ", color=COLORS["good"], fontsize=9, va="top")
    (marker,) = ax_factor.plot([], [], "o", color=COLORS["point"], mec="black", ms=9, zorder=3)
    ax_factor.set(xscale="log", xlim=(1e-3, 10), ylim=(0, 3), xlabel="learning rate η",
                  ylabel="|1 − ηλ| per step", title="stability: |1 − ηλ| < 1")

    def update(eta=eta, steps=steps):
        result = gradient_descent(quadratic_grad, w0, eta, tol=tol, max_steps=steps)
        path = result.path
        shown = path[np.abs(path - w_star) <= 3.05]  # iterates inside the plotted range
        iterates.set_data(shown, quadratic_loss(shown))
        losses = np.clip(quadratic_loss(path), 1e-9, 1e7)  # clipped to the log axis's range
        loss_line.set_data(np.arange(len(losses)), losses)
        ax_loss.set_xlim(0, max(steps, 1))
        marker.set_data([eta], [min(abs(1 - eta * lam), 2.95)])
        return _describe(result, eta, lam, tol)

    controls = {"eta": log_slider("η", 1e-3, 10, eta), "steps": int_slider("step limit", 1, 100, steps)}
    return Demo(fig, update, controls)


# --- the 2-D elongated bowl E(w₁, w₂) = ½(λ₁w₁² + λ₂w₂²) ----------------------------------
BOWL_CURVATURES = (1.0, 10.0)  # λ₁ (shallow), λ₂ (steep); stable only for η < 2/λ₂ = 0.2
BOWL_START = (-4.0, 1.5)


def bowl_loss(w1, w2, curvatures=BOWL_CURVATURES):
    """E(w₁, w₂) = ½(λ₁w₁² + λ₂w₂²), a long narrow bowl with its minimum at (0, 0)."""
    return 0.5 * (curvatures[0] * np.asarray(w1, dtype=float) ** 2 + curvatures[1] * np.asarray(w2, dtype=float) ** 2)


def bowl_grad(w, curvatures=BOWL_CURVATURES):
    """∇E = (λ₁w₁, λ₂w₂) for the bowl; ``w`` is the array (w₁, w₂)."""
    w = np.asarray(w, dtype=float)
    return np.array([curvatures[0] * w[0], curvatures[1] * w[1]])


def bowl_descent_demo(eta=0.15, steps=60):
    """Gradient descent on the elongated bowl: the steep direction sets the limit η < 2/λ₂,
    the shallow one sets how slowly the run crawls along the valley floor."""
    tol = 1e-3
    fig, (ax, ax_loss) = new_figure("wide", ncols=2, gridspec_kw={"width_ratios": [1.5, 1]})
    plot_contours(ax, bowl_loss, (-4.5, 4.5), (-2, 2), levels=np.geomspace(0.02, 40, 14), labels=("w₁", "w₂"))
    ax.plot([0], [0], "+", color="black", ms=10)
    path_plot = DescentPathPlot(ax)
    ax.set_title("E = ½(w₁² + 10·w₂²): limit 2/λ₂ = 0.2")
    loss_line = plot_loss_curve(ax_loss, [bowl_loss(*BOWL_START)], log=True, color=COLORS["curve"])
    ax_loss.set(xlim=(0, steps), ylim=(1e-8, 1e6), title="loss per iteration")

    def update(eta=eta, steps=steps):
        result = gradient_descent(bowl_grad, BOWL_START, eta, tol=tol, max_steps=steps)
        path_plot.set_path(result.path)
        losses = np.clip(bowl_loss(result.path[:, 0], result.path[:, 1]), 1e-9, 1e7)
        loss_line.set_data(np.arange(len(losses)), losses)
        ax_loss.set_xlim(0, max(steps, 1))
        w1, w2 = result.path[-1]
        return _describe(result, eta, max(BOWL_CURVATURES), tol, "λ₂") + f"; last w = ({_short(w1)}, {_short(w2)})"

    controls = {"eta": log_slider("η", 1e-3, 1, eta), "steps": int_slider("step limit", 1, 200, steps)}
    return Demo(fig, update, controls)

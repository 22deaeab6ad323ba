"""Notebook 01 · Partial derivatives and gradients: the companion module.

Notebook 01's exercises: partial derivatives, the gradient and the directional derivative.

Exercises 1 and 2 use g(x, y) = x³y + cos(2y); exercises 3 and 4 a loss E(w₁, w₂) whose
gradient at the current weights is ∇E = (3, −4).

Notebook 01's demo: the gradient and the directional derivative of f(x, y) = x²y + sin y.
"""

import numpy as np
import sympy

from ..feedback import Feedback, check_array, check_expression, check_number
from ..plotting.style import COLORS, new_figure
from ..plotting.surfaces import ContourGradientPlot
from ..widgets import Demo, slider

__all__ = [
    "NB01_X",
    "NB01_Y",
    "NB01_G",
    "check_nb01_partial_x",
    "check_nb01_partial_y",
    "check_nb01_gradient_at_point",
    "check_nb01_directional_derivative",
    "check_nb01_steepest_slope",
    "nb01_f",
    "nb01_grad",
    "directional_derivative_demo",
]


# ---- exercises: the check_* functions ----------------------------------------------------

NB01_X, NB01_Y = sympy.symbols("x y")
NB01_G = NB01_X**3 * NB01_Y + sympy.cos(2 * NB01_Y)  # g(x, y) = x³y + cos(2y)
_LOCALS = {"x": NB01_X, "y": NB01_Y}
_POINT = (2.0, 0.5)  # where exercise 2 evaluates ∇g
_GRADIENT_E = np.array([3.0, -4.0])  # ∇E in exercises 3 and 4
_DIRECTION = np.array([1.0, 1.0])  # v in exercise 3 (not a unit vector)


def check_nb01_partial_x(answer):
    """Exercise 1a: ∂g/∂x for g(x, y) = x³y + cos(2y); answer a sympy expression or a string."""
    x, y = NB01_X, NB01_Y
    return check_expression(
        answer, 3 * x**2 * y, locals=_LOCALS,
        mistakes=[
            (3 * x**2 * y - 2 * sympy.sin(2 * y),
             "y is held fixed for ∂/∂x, so cos(2y) is a constant and its derivative is 0."),
            (3 * x**2, "keep the factor y: with y held fixed, x³y is the constant y times x³."),
            (x**3, "that is ∂/∂y of x³y. For ∂/∂x, differentiate x³ and keep y as a constant factor."),
        ],
        hint="differentiate with respect to x only, treating y as a number: d(x³)/dx = 3x².",
        success="∂g/∂x = 3x²y: the cos(2y) term does not change when only x moves.",
    )


def check_nb01_partial_y(answer):
    """Exercise 1b: ∂g/∂y for g(x, y) = x³y + cos(2y); answer a sympy expression or a string."""
    x, y = NB01_X, NB01_Y
    return check_expression(
        answer, x**3 - 2 * sympy.sin(2 * y), locals=_LOCALS,
        mistakes=[
            (x**3 - sympy.sin(2 * y),
             "you forgot the chain factor: d/dy cos(2y) = −sin(2y)·d(2y)/dy = −2 sin(2y)."),
            (x**3 + 2 * sympy.sin(2 * y), "check the sign: d/dy cos(u) = −sin(u)·du/dy."),
            (x**3 + sympy.sin(2 * y), "two slips: the derivative of cos is −sin, and the chain factor 2 from 2y."),
            (3 * x**2 * y + x**3 - 2 * sympy.sin(2 * y),
             "x is held fixed for ∂/∂y, so do not differentiate x³ — it is a constant factor of y."),
            (-2 * sympy.sin(2 * y), "the term x³y also depends on y: its ∂/∂y is x³."),
        ],
        hint="treat x as a number: ∂(x³y)/∂y = x³, and use the chain rule for cos(2y).",
        success="∂g/∂y = x³ − 2 sin(2y).",
    )


def check_nb01_gradient_at_point(answer):
    """Exercise 2: ∇g at (x, y) = (2, 0.5), as a pair [∂g/∂x, ∂g/∂y] of numbers."""
    x, y = _POINT
    expected = [3 * x**2 * y, x**3 - 2 * np.sin(2 * y)]
    return check_array(
        answer, expected,
        mistakes=[
            ([expected[1], expected[0]], "right numbers, wrong order: the gradient lists ∂g/∂x first, then ∂g/∂y."),
            ([expected[0], x**3 - np.sin(2 * y)], "∂g/∂y is missing the chain factor 2 from cos(2y)."),
            ([expected[0], x**3 + 2 * np.sin(2 * y)], "∂g/∂y has a sign error: d/dy cos(2y) = −2 sin(2y)."),
            ([expected[0], x**3 - 2 * np.sin(np.radians(2 * y))],
             "NumPy's sin works in radians; do not convert 2y to degrees."),
        ],
        hint="put x = 2 and y = 0.5 into your two partial derivatives from exercise 1.",
        success=f"∇g(2, 0.5) = ({expected[0]:.3f}, {expected[1]:.3f}).",
    )


def check_nb01_directional_derivative(answer):
    """Exercise 3: the slope of E along v = (1, 1) where ∇E = (3, −4); v must be made a unit vector."""
    unit = _DIRECTION / np.linalg.norm(_DIRECTION)
    expected = float(_GRADIENT_E @ unit)
    return check_number(
        answer, expected,
        mistakes=[
            (float(_GRADIENT_E @ _DIRECTION), "divide v by its length first: u = v/|v| = (1, 1)/√2."),
            (-expected, "check the sign: ∇E·u = 3·u₁ + (−4)·u₂."),
            (float(np.linalg.norm(_GRADIENT_E)), "|∇E| = 5 is the slope along the gradient itself, not along v."),
        ],
        hint="the slope along a unit vector u is the dot product ∇E·u = ∂E/∂w₁·u₁ + ∂E/∂w₂·u₂.",
        success=f"∇E·u = −1/√2 ≈ {expected:.4f}: along v the loss goes down, slowly.",
    )


def check_nb01_steepest_slope(answer):
    """Exercise 4: the largest slope of E over all unit directions, where ∇E = (3, −4)."""
    if isinstance(answer, (list, tuple, np.ndarray)) and np.size(answer) > 1:
        return Feedback(False, "the question asks for one number (a slope), not a direction.")
    return check_number(
        answer, float(np.linalg.norm(_GRADIENT_E)),
        mistakes=[
            (25.0, "that is |∇E|², the squared length. Take the square root."),
            (7.0, "the length of (3, −4) is √(3² + 4²), not |3| + |−4|."),
            (-5.0, "−5 is the steepest *descent* slope (along −∇E); the largest slope is along +∇E."),
            (-1.0, "3 + (−4) is not a length: |∇E| = √(3² + (−4)²)."),
        ],
        hint="the slope along u is |∇E| cos φ; it is largest when u points along ∇E (φ = 0).",
        success="the steepest slope is |∇E| = 5, along u = ∇E/|∇E| = (0.6, −0.8).",
    )


# ---- demos -------------------------------------------------------------------------------

def nb01_f(x, y):
    """Notebook 01's worked example f(x, y) = x²y + sin y (works on arrays)."""
    return x**2 * y + np.sin(y)


def nb01_grad(x, y):
    """∇f = (∂f/∂x, ∂f/∂y) = (2xy, x² + cos y) for f(x, y) = x²y + sin y (notebook 01)."""
    return 2 * x * y, x**2 + np.cos(y)


def directional_derivative_demo(x=1.0, y=1.0, theta=90.0):
    """Sliders move the point (x, y) and the direction angle θ (degrees) on the contours of f.

    Left: contours, gradient arrow (scaled by ¼) and the unit direction u.  Right: the slope
    ∇f·u = |∇f| cos(angle between them) for every θ; its peak, |∇f|, is at the gradient's angle.
    """
    fig, (ax, ax_slope) = new_figure("wide", ncols=2, gridspec_kw={"width_ratios": [1, 1.15]})
    plot = ContourGradientPlot(ax, nb01_f, nb01_grad, (-2, 2), (-2, 2), point=(x, y), theta=np.radians(theta),
                               levels=21)
    ax.set_title("contours of f(x, y) = x²y + sin y\norange: ∇f (drawn ¼ size), green: u", fontsize=10)

    thetas = np.arange(0, 361)
    (slope_curve,) = ax_slope.plot([], [], color=COLORS["curve"], lw=2, label="∇f·u")
    (peak,) = ax_slope.plot([], [], "v", color=COLORS["tangent"], ms=9, label="peak = |∇f| (u along ∇f)")
    (current,) = ax_slope.plot([], [], "o", color=COLORS["good"], mec="black", ms=8, label="chosen θ")
    ax_slope.axhline(0, color=COLORS["muted"], lw=1)
    ax_slope.set_xlim(0, 360)
    ax_slope.set_xticks(range(0, 361, 90))
    ax_slope.set_ylim(-9.5, 9.5)
    ax_slope.set_xlabel("direction θ (degrees)")
    ax_slope.set_ylabel("slope ∇f·u")
    ax_slope.set_title("slope along u = (cos θ, sin θ)")
    ax_slope.legend(loc="lower left", fontsize=8)

    def update(x=x, y=y, theta=theta):
        gradient, u, slope = plot.move_to(x, y, np.radians(theta))
        norm = float(np.hypot(*gradient))
        radians = np.radians(thetas)
        slope_curve.set_data(thetas, gradient[0] * np.cos(radians) + gradient[1] * np.sin(radians))
        current.set_data([theta], [slope])
        head = f"at (x, y) = ({x:.2f}, {y:.2f}): ∇f = ({gradient[0]:.2f}, {gradient[1]:.2f})"
        if norm < 1e-3:
            peak.set_data([], [])
            return f"{head}: ∇f ≈ 0, a flat spot — the slope is 0 in every direction."
        gradient_angle = float(np.degrees(np.arctan2(gradient[1], gradient[0]))) % 360
        peak.set_data([gradient_angle], [norm])
        if slope > 0.999 * norm:
            note = " — the steepest ascent, equal to |∇f|"
        elif slope < -0.999 * norm:
            note = " — the steepest descent, −|∇f|"
        elif abs(slope) < 0.05 * norm:
            note = " — flat: u runs along the contour"
        else:
            note = ""
        return (f"{head}, |∇f| = {norm:.2f} at θ = {gradient_angle:.0f}°; "
                f"along θ = {theta:.0f}° the slope ∇f·u = {slope:.2f}{note}")

    controls = {
        "x": slider("x", -2, 2, x, step=0.05),
        "y": slider("y", -2, 2, y, step=0.05),
        "theta": slider("θ (degrees)", 0, 360, theta, step=5, readout_format=".0f"),
    }
    return Demo(fig, update, controls)

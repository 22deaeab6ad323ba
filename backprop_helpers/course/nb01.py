"""Notebook 01 · Partial derivatives and gradients: the companion module.

In the notebook's order:

1. the worked example f(x, y) = x²y + sin y, its gradient and Hessian, and the slice figure
   (f cut at y = y₀ with its tangent of slope ∂f/∂x, and at x = x₀ with slope ∂f/∂y); the
   optional "your turn" ``check_partial_x``: a central-difference partial derivative;
2. the try-it demo of the gradient and the directional derivative ∇f·u, which computes, then
   describes: ``directional_slope`` returns a ``SlopeRecord`` (tests assert on it) and
   ``describe_slope`` writes the status line from it;
3. the exercises: exercises 1 and 2 use g(x, y) = x³y + cos(2y), exercises 3 and 4 a loss
   E(w₁, w₂) whose gradient at the current weights is ∇E = (3, −4).
"""

from collections import namedtuple

import numpy as np
import sympy
from matplotlib.patches import FancyArrowPatch

from ..calculus import numerical_derivative
from ..feedback import Feedback, check_array, check_expression, check_function, check_number
from ..plotting.curves import TangentPlot
from ..plotting.style import COLORS, new_figure
from ..plotting.surfaces import plot_contours
from ..validation import real
from ..widgets import Demo, slider

__all__ = [
    "ContourGradientPlot",
    "nb01_f",
    "nb01_grad",
    "nb01_hessian",
    "slice_figure",
    "check_partial_x",
    "SlopeRecord",
    "directional_slope",
    "describe_slope",
    "directional_derivative_demo",
    "NB01_X",
    "NB01_Y",
    "NB01_G",
    "check_nb01_partial_x",
    "check_nb01_partial_y",
    "check_nb01_gradient_at_point",
    "check_nb01_directional_derivative",
    "check_nb01_steepest_slope",
]


# ---- contours with a movable point, its gradient and a direction (the directional-derivative demo) ----
def _arrow(ax, color, label):
    # above the contour labels (zorder 4): a live frame redraws the arrows and leaves the labels in its background
    arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=14, color=color, lw=2,
                            zorder=4.5, label=label)
    ax.add_patch(arrow)
    return arrow


class ContourGradientPlot:
    """Contours of f(x, y) with a movable point, its gradient ∇f and a unit direction u (notebook 01).

    ``grad(x, y)`` returns (∂f/∂x, ∂f/∂y).  The gradient arrow is drawn ``arrow_scale`` × ∇f
    long (so longer means steeper); the direction arrow is drawn with the fixed length
    ``direction_length``.  ``move_to(x, y, theta)`` moves all three and returns
    ``(gradient, u, slope)`` where slope = ∇f·u is the directional derivative.
    """

    def __init__(self, ax, f, grad, xlim, ylim, point=(1.0, 1.0), theta=0.0, levels=15,
                 arrow_scale=0.25, direction_length=0.6, field=9):
        if not callable(grad):
            raise TypeError(f"grad must be a function of (x, y), got {type(grad).__name__}")
        self.ax, self.f, self.grad = ax, f, grad
        self.arrow_scale, self.direction_length = float(arrow_scale), float(direction_length)
        self.contours = plot_contours(ax, f, xlim, ylim, levels=levels, field=field, grad=grad)
        (self.point,) = ax.plot([], [], "o", color=COLORS["point"], ms=8, zorder=5, mec="black")
        self.gradient_arrow = _arrow(ax, COLORS["tangent"], "gradient ∇f (scaled)")
        self.direction_arrow = _arrow(ax, COLORS["good"], "direction u")
        self.move_to(*point, theta)

    def move_to(self, x, y, theta=0.0):
        """Put the point at (x, y) and the direction at angle θ (radians from the x-axis)."""
        gradient = np.array([float(c) for c in self.grad(x, y)])
        u = np.array([np.cos(theta), np.sin(theta)])
        self.point.set_data([x], [y])
        tip = np.array([x, y]) + self.arrow_scale * gradient
        self.gradient_arrow.set_positions((x, y), tuple(tip))
        tip = np.array([x, y]) + self.direction_length * u
        self.direction_arrow.set_positions((x, y), tuple(tip))
        return gradient, u, float(gradient @ u)


# ---- 1. the worked example f(x, y) = x²y + sin y ----------------------------------------------

def nb01_f(x, y):
    """Notebook 01's worked example f(x, y) = x²y + sin y (works on arrays)."""
    return x**2 * y + np.sin(y)


def nb01_grad(x, y):
    """∇f = (∂f/∂x, ∂f/∂y) = (2xy, x² + cos y) for f(x, y) = x²y + sin y (notebook 01, section 2)."""
    return 2 * x * y, x**2 + np.cos(y)


def nb01_hessian(x, y):
    """The Hessian H = [[2y, 2x], [2x, −sin y]] of f(x, y) = x²y + sin y (notebook 01, section 5)."""
    return np.array([[2 * y, 2 * x], [2 * x, -np.sin(y)]], dtype=float)


def slice_figure(x0=1.5, y0=0.5, half_width=1.5):
    """Two slices of f through (x₀, y₀): left f(x, y₀) with its tangent of slope ∂f/∂x, right
    f(x₀, y) with its tangent of slope ∂f/∂y (notebook 01, section 1).

    Returns ``(fig, (left, right))``, the ``TangentPlot`` of each slice; the tangents carry the
    gids ``"tangent ∂f/∂x"`` and ``"tangent ∂f/∂y"``.
    """
    x0, y0 = real(x0, "x0"), real(y0, "y0")
    half_width = real(half_width, "half_width", low=0.0, low_open=True)
    fig, (ax_x, ax_y) = new_figure("wide", ncols=2)
    slices = []
    for ax, (variable, centre, fixed, cut, slope) in zip((ax_x, ax_y), (
            ("x", x0, f"y = {y0:g}", lambda s: nb01_f(s, y0), lambda s: nb01_grad(s, y0)[0]),
            ("y", y0, f"x = {x0:g}", lambda s: nb01_f(x0, s), lambda s: nb01_grad(x0, s)[1]))):
        xs = np.linspace(centre - half_width, centre + half_width, 121)
        plot = TangentPlot(ax, cut, slope, xs, centre, half_width=0.6, label=f"f with {fixed} held fixed")
        plot.tangent.set_gid(f"tangent ∂f/∂{variable}")
        plot.tangent.set_label(f"tangent, slope ∂f/∂{variable} = {plot.slope:.3g}")
        ax.set_xlabel(variable)
        ax.set_ylabel("f(x, y)")
        ax.set_title(f"slice {fixed}: f as a function of {variable} alone", fontsize=10)
        ax.legend(loc="upper left", fontsize=8)
        slices.append(plot)
    return fig, tuple(slices)


def _partial_x_reference(f, x, y):
    return numerical_derivative(lambda s: f(s, y), x, h=1e-6)


_PARTIAL_CASES = [
    ("f(x, y) = x²y + sin y at (1.5, 0.5)", (nb01_f, 1.5, 0.5)),
    ("f(x, y) = eˣ·cos y at (0.3, −1)", (lambda x, y: np.exp(x) * np.cos(y), 0.3, -1.0)),
    ("f(x, y) = x³ − 4xy at (−2, 0.25)", (lambda x, y: x**3 - 4 * x * y, -2.0, 0.25)),
    ("f(x, y) = sin(3x)·y² at (0.2, 2)", (lambda x, y: np.sin(3 * x) * y**2, 0.2, 2.0)),
]
_PARTIAL_MISTAKES = [
    (lambda f, x, y, h=1e-5: (f(x + h, y) - f(x - h, y)) / h,
     "divide by 2h: the two points x − h and x + h are 2h apart."),
    (lambda f, x, y, h=1e-5: (f(x, y + h) - f(x, y - h)) / (2 * h),
     "that nudges y: for ∂f/∂x move x and hold y fixed."),
    (lambda f, x, y, h=1e-5: (f(x + h, y + h) - f(x - h, y - h)) / (2 * h),
     "only x moves: nudging x and y together measures a slope along the diagonal, not ∂f/∂x."),
    (lambda f, x, y, h=1e-5: (f(x - h, y) - f(x + h, y)) / (2 * h),
     "check the sign: f(x + h, y) comes first in the numerator."),
    (lambda f, x, y, h=1e-5: (f(x + h, y) - f(x, y)) / h,
     "that is the forward difference (f(x + h, y) − f(x, y))/h: its error shrinks only like h. "
     "Nudge x both ways, x + h and x − h, and divide by 2h."),
]


def check_partial_x(partial_x):
    """Your turn (optional): ``partial_x(f, x, y, h=1e-5)`` returns the central difference
    (f(x + h, y) − f(x − h, y)) / (2h), checked on hidden functions against a reference."""
    return check_function(
        partial_x, _PARTIAL_CASES, _partial_x_reference, mistakes=_PARTIAL_MISTAKES, rtol=1e-6, atol=1e-8,
        name="partial_x",
        success="partial_x passes every hidden case: only x moves, by h each way, and the difference is "
                "divided by the 2h between the two points.",
    )


# ---- 2. the try-it demo: gradient and directional derivative ---------------------------------

SlopeRecord = namedtuple("SlopeRecord", "x y theta gradient norm gradient_angle slope kind")
SlopeRecord.__doc__ = """The directional derivative of f at (x, y) along u = (cos θ, sin θ), θ in degrees.

``gradient`` is ∇f, ``norm`` its length |∇f|, ``gradient_angle`` its direction in degrees
(None at a flat spot), ``slope`` = ∇f·u, and ``kind`` one of ``"flat"`` (|∇f| < 10⁻³),
``"ascent"`` (u along ∇f, to 0.1 %), ``"descent"`` (u along −∇f), ``"contour"`` (|∇f·u| below
5 % of |∇f|: u runs along the contour) or ``""``."""

FLAT = 1e-3  # |∇f| below this is a flat spot


def directional_slope(x, y, theta):
    """The ``SlopeRecord`` of f(x, y) = x²y + sin y at (x, y) along the angle θ (degrees)."""
    x, y, theta = real(x, "x"), real(y, "y"), real(theta, "theta")
    gradient = np.array(nb01_grad(x, y), dtype=float)
    radians = np.radians(theta)
    slope = float(gradient @ np.array([np.cos(radians), np.sin(radians)]))
    norm = float(np.hypot(*gradient))
    if norm < FLAT:
        return SlopeRecord(x, y, theta, gradient, norm, None, slope, "flat")
    angle = float(np.degrees(np.arctan2(gradient[1], gradient[0]))) % 360
    if slope > 0.999 * norm:
        kind = "ascent"
    elif slope < -0.999 * norm:
        kind = "descent"
    elif abs(slope) < 0.05 * norm:
        kind = "contour"
    else:
        kind = ""
    return SlopeRecord(x, y, theta, gradient, norm, angle, slope, kind)


_NOTES = {
    "ascent": " — the steepest ascent, equal to |∇f|",
    "descent": " — the steepest descent, −|∇f|",
    "contour": " — flat: u runs along the contour",
    "": "",
}


def describe_slope(record):
    """The demo's status line, written from a ``SlopeRecord``."""
    gx, gy = record.gradient
    head = f"at (x, y) = ({record.x:.2f}, {record.y:.2f}): ∇f = ({gx:.2f}, {gy:.2f})"
    if record.kind == "flat":
        return f"{head}: ∇f ≈ 0, a flat spot — the slope is 0 in every direction."
    return (f"{head}, |∇f| = {record.norm:.2f} at θ = {record.gradient_angle:.0f}°; "
            f"along θ = {record.theta:.0f}° the slope ∇f·u = {record.slope:.2f}{_NOTES[record.kind]}")


def directional_derivative_demo(x=1.0, y=1.0, theta=90.0):
    """Sliders move the point (x, y) and the direction angle θ (degrees) on the contours of f.

    Left: labelled contours with a colour bar (so "uphill" can be read off), the gradient arrow
    (scaled by ¼) and the unit direction u.  Right: the slope ∇f·u = |∇f| cos(angle between
    them) for every θ; its peak, |∇f|, is at the gradient's angle.  Artists found by gid:
    ``"point"``, ``"slope curve"``, ``"peak"``, ``"chosen θ"``.
    """
    fig, (ax, ax_slope) = new_figure("wide", figsize=(9.6, 3.9), ncols=2,
                                     gridspec_kw={"width_ratios": [1.25, 1]})
    plot = ContourGradientPlot(ax, nb01_f, nb01_grad, (-2, 2), (-2, 2), point=(x, y), theta=np.radians(theta),
                               levels=21)
    plot.point.set_gid("point")
    ax.clabel(plot.contours, plot.contours.levels[::2], inline=True, fontsize=7, fmt="%.1f")
    fig.colorbar(plot.contours, ax=ax, label="f(x, y)", shrink=0.9)
    ax.set_title("contours of f(x, y) = x²y + sin y\norange: ∇f (drawn ¼ size), green: u", fontsize=10)

    thetas = np.arange(0, 361)
    (slope_curve,) = ax_slope.plot([], [], color=COLORS["curve"], lw=2, label="∇f·u", gid="slope curve")
    (peak,) = ax_slope.plot([], [], "v", color=COLORS["tangent"], ms=9, label="peak = |∇f| (u along ∇f)",
                            gid="peak")
    (current,) = ax_slope.plot([], [], "o", color=COLORS["good"], mec="black", ms=8, label="chosen θ",
                               gid="chosen θ")
    ax_slope.axhline(0, color=COLORS["muted"], lw=1)
    ax_slope.set_xlim(0, 360)
    ax_slope.set_xticks(range(0, 361, 90))
    ax_slope.set_ylim(-9.5, 9.5)
    ax_slope.set_xlabel("direction θ (degrees)")
    ax_slope.set_ylabel("slope ∇f·u")
    ax_slope.set_title("slope along u = (cos θ, sin θ)")
    ax_slope.legend(loc="lower left", fontsize=8)
    # the moving lines above the spines (zorder 2.5), the title below them: a live frame then redraws only
    # the three lines and the legend above them
    for line in (slope_curve, peak, current):
        line.set_zorder(2.6)
    ax_slope.title.set_zorder(1.5)

    def update(x=x, y=y, theta=theta):
        record = directional_slope(x, y, theta)
        plot.move_to(record.x, record.y, np.radians(record.theta))
        radians = np.radians(thetas)
        gx, gy = record.gradient
        slope_curve.set_data(thetas, gx * np.cos(radians) + gy * np.sin(radians))
        current.set_data([record.theta], [record.slope])
        if record.kind == "flat":
            peak.set_data([], [])
        else:
            peak.set_data([record.gradient_angle], [record.norm])
        return describe_slope(record)

    controls = {
        "x": slider("x", -2, 2, x, step=0.05),
        "y": slider("y", -2, 2, y, step=0.05),
        "theta": slider("θ (degrees)", 0, 360, theta, step=5, readout_format=".0f"),
    }
    return Demo(fig, update, controls)


# ---- 3. the exercises ----------------------------------------------------------------------

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

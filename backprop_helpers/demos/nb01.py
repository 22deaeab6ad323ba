"""Notebook 01's demo: the gradient and the directional derivative of f(x, y) = x²y + sin y."""

import numpy as np

from ..plotting.style import COLORS, new_figure
from ..plotting.surfaces import ContourGradientPlot
from ..widgets import Demo, slider

__all__ = ["nb01_f", "nb01_grad", "directional_derivative_demo"]


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

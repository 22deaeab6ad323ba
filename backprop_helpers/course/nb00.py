"""Notebook 00 · Start here: the companion module.

Notebook 00's warm-up exercise: reading a slope off the tangent demo.

Notebook 00's live demo: a curve and its tangent, moved by one slider.
"""

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..feedback import check_number
from ..plotting.curves import TangentPlot
from ..plotting.style import new_figure
from ..widgets import Demo, choice, slider

__all__ = [
    "check_nb00_slope",
    "tangent_demo",
]


# ---- exercises: the check_* functions ----------------------------------------------------

def check_nb00_slope(answer):
    """The slope of f(x) = x² at x₀ = 1.5, which the tangent demo shows as f′(x₀) = 2x₀ = 3."""
    return check_number(
        answer, 3.0,
        mistakes=[
            (2.25, "2.25 is f(1.5) = 1.5², the height of the curve. The slope is f′(x₀) = 2x₀."),
            (1.5, "1.5 is x₀ itself. The slope of x² at x₀ is 2x₀."),
            (-3.0, "check the sign: x² rises to the right of 0, so its slope at 1.5 is positive."),
        ],
        hint="move the slider to x₀ = 1.50 with f = x² and read the slope from the status line, or use f′(x) = 2x.",
        success="f′(1.5) = 2 · 1.5 = 3: the tangent rises 3 units per unit of x.",
    )


# ---- demos -------------------------------------------------------------------------------

CURVES = {
    "x²": (lambda x: x * x, lambda x: 2 * x),
    "sin x": (np.sin, np.cos),
    "sigmoid": (sigmoid, sigmoid_prime),
}


def tangent_demo(x0=1.0, curve="x²"):
    """Drag x₀ along a curve: the tangent there has slope f'(x₀) (the idea of notebook 01)."""
    fig, axes = new_figure("wide", ncols=len(CURVES))
    xs = np.linspace(-3, 3, 241)
    plots = {}
    for ax, (name, (f, f_prime)) in zip(axes, CURVES.items()):
        plots[name] = TangentPlot(ax, f, f_prime, xs, x0, label=f"f(x) = {name}")
        ax.set_title(f"f(x) = {name}")
        ax.set_xlabel("x")

    def update(x0=x0, curve=curve):
        for name, plot in plots.items():
            plot.move_to(x0)
            active = name == curve
            plot.tangent.set_alpha(1.0 if active else 0.25)
            plot.ax.title.set_fontweight("bold" if active else "normal")
        y0, slope = plots[curve].move_to(x0)
        return f"f(x) = {curve} at x₀ = {x0:.2f}: f(x₀) = {y0:.3f}, slope f′(x₀) = {slope:.3f}"

    controls = {"x0": slider("x₀", -3.0, 3.0, x0, 0.05), "curve": choice("f", list(CURVES), curve)}
    return Demo(fig, update, controls)

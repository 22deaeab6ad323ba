"""Notebook 00's live demo: a curve and its tangent, moved by one slider."""

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..plotting.curves import TangentPlot
from ..plotting.style import new_figure
from ..widgets import Demo, choice, slider

__all__ = ["tangent_demo"]

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

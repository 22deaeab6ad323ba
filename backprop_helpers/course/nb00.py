"""Notebook 00 · Start here: the companion module.

In the notebook's order: the try-it demo (a curve and its tangent, moved by one slider) and
the warm-up exercise, whose answer is read off that demo (the steepest slope of the sigmoid,
which is printed nowhere in the notebook).

The demo computes, then describes: ``tangent_at`` returns a ``TangentPoint`` record (tests
assert on it), ``describe_tangent`` writes the status line from it.
"""

from collections import namedtuple

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..feedback import check_number
from ..plotting.curves import TangentPlot
from ..plotting.style import new_figure
from ..validation import choice as _choice
from ..validation import real
from ..widgets import Demo, choice, slider

__all__ = ["CURVES", "TangentPoint", "tangent_at", "describe_tangent", "tangent_demo", "check_nb00_steepest_sigmoid"]


# ---- the try-it demo: a curve and its tangent ----------------------------------------------

CURVES = {
    "x²": (lambda x: x * x, lambda x: 2 * x),
    "sin x": (np.sin, np.cos),
    "sigmoid": (sigmoid, sigmoid_prime),
}

TangentPoint = namedtuple("TangentPoint", "curve x0 value slope")
TangentPoint.__doc__ = "The point (x₀, f(x₀)) of one curve of ``CURVES`` and the tangent's slope f′(x₀)."


def tangent_at(curve, x0):
    """The ``TangentPoint`` of ``curve`` (a name in ``CURVES``) at ``x0``."""
    _choice(curve, "curve", list(CURVES))
    x0 = real(x0, "x0")
    f, f_prime = CURVES[curve]
    return TangentPoint(curve, x0, float(f(x0)), float(f_prime(x0)))


def describe_tangent(point):
    """The status line of the tangent demo, written from a ``TangentPoint``."""
    return (f"f(x) = {point.curve} at x₀ = {point.x0:.2f}: f(x₀) = {point.value:.3f}, "
            f"slope f′(x₀) = {point.slope:.3f}")


def tangent_demo(x0=1.0, curve="x²"):
    """Drag x₀ along a curve: the tangent there has slope f′(x₀) (the idea of notebook 01).

    One panel per curve of ``CURVES``; the chosen one is drawn bold.  The tangent lines carry
    the gid ``"tangent <name>"``.
    """
    fig, axes = new_figure("wide", ncols=len(CURVES))
    xs = np.linspace(-3, 3, 241)
    plots = {}
    for ax, (name, (f, f_prime)) in zip(axes, CURVES.items()):
        plots[name] = TangentPlot(ax, f, f_prime, xs, x0, label=f"f(x) = {name}")
        plots[name].tangent.set_gid(f"tangent {name}")
        ax.set_title(f"f(x) = {name}")
        ax.set_xlabel("x")

    def update(x0=x0, curve=curve):
        point = tangent_at(curve, x0)
        for name, plot in plots.items():
            plot.move_to(point.x0)
            active = name == curve
            plot.tangent.set_alpha(1.0 if active else 0.25)
            plot.ax.title.set_fontweight("bold" if active else "normal")
        return describe_tangent(point)

    controls = {"x0": slider("x₀", -3.0, 3.0, x0, 0.05), "curve": choice("f", list(CURVES), curve)}
    return Demo(fig, update, controls)


# ---- the warm-up exercise -------------------------------------------------------------------

def check_nb00_steepest_sigmoid(answer):
    """The largest slope of the sigmoid's tangent, read off the demo: f′(0) = f(0)(1 − f(0)) = ¼."""
    return check_number(
        answer, 0.25, rtol=0.02,
        mistakes=[
            (0.5, "0.5 is the height of the sigmoid at x₀ = 0, f(0), not the slope of its tangent there."),
            (0.197, "0.197 is the slope at x₀ = 1. Move x₀ further: where is the sigmoid steepest?"),
            (1.0, "the sigmoid never gets as steep as 1: read the slope f′(x₀) from the status line."),
            (0.0, "0 is the slope far out in the tails, where the sigmoid is flattest. Look for the steepest spot."),
        ],
        hint="choose f = sigmoid, move x₀ and watch 'slope f′(x₀)' in the status line: note its largest value.",
        success="the sigmoid is steepest at x₀ = 0, where f′(0) = 0.25. Notebook 07 shows why this ¼ matters.",
    )

"""Plots of one-variable curves: a function with its tangent, and loss curves."""

import numpy as np

from ..validation import as_float_array, flag
from .style import COLORS

__all__ = ["TangentPlot", "plot_loss_curve"]


class TangentPlot:
    """A curve y = f(x), the point (x₀, f(x₀)) and the tangent line there (notebooks 00, 01, 04).

    ``move_to(x0)`` moves the point and the tangent without redrawing the curve, which is
    what a slider's update function calls.  ``slope`` is f'(x₀), from ``f_prime``.
    """

    def __init__(self, ax, f, f_prime, xs, x0, half_width=None, label="f(x)"):
        self.ax, self.f, self.f_prime = ax, f, f_prime
        self.xs = np.asarray(xs, dtype=float)
        self.half_width = half_width if half_width is not None else (self.xs[-1] - self.xs[0]) / 6
        ys = np.array([f(x) for x in self.xs])
        (self.curve,) = ax.plot(self.xs, ys, color=COLORS["curve"], lw=2, label=label)
        (self.tangent,) = ax.plot([], [], color=COLORS["tangent"], lw=2, label="tangent")
        (self.point,) = ax.plot([], [], "o", color=COLORS["point"], ms=8, zorder=3)
        margin = 0.1 * (ys.max() - ys.min() + 1e-12)
        ax.set_ylim(ys.min() - margin, ys.max() + margin)
        ax.set_xlim(self.xs[0], self.xs[-1])
        self.move_to(x0)

    def move_to(self, x0):
        """Put the point and its tangent at x₀; return (f(x₀), f'(x₀))."""
        y0, slope = float(self.f(x0)), float(self.f_prime(x0))
        xt = np.array([x0 - self.half_width, x0 + self.half_width])
        self.point.set_data([x0], [y0])
        self.tangent.set_data(xt, y0 + slope * (xt - x0))
        self.slope = slope
        return y0, slope


def plot_loss_curve(ax, losses, label=None, log=False, color=None):
    """Plot a loss per iteration (iteration 0 is the starting point); return the line.

    Non-finite losses (a diverged run) are left out rather than drawn as a spike to NaN.
    """
    losses = as_float_array(losses, "losses")
    if losses.ndim != 1:
        raise ValueError(f"losses must be a 1-D list of numbers, got shape {losses.shape}")
    log = flag(log, "log")
    steps = np.arange(losses.size)
    finite = np.isfinite(losses)
    (line,) = ax.plot(steps[finite], losses[finite], marker=".", label=label, color=color)
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss E")
    if log:
        ax.set_yscale("log")
    return line

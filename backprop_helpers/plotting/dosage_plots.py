"""Plots of notebook 05's dosage example: the squiggle with the data and residuals, and SSR(b3)."""

import numpy as np

from ..dosage import DOSAGE, EFFICACY, dosage_gradients, dosage_predict, dosage_ssr
from .curves import TangentPlot
from .style import COLORS

__all__ = ["SquigglePlot", "plot_squiggle", "plot_ssr_vs_b3"]

_XS = np.linspace(0.0, 1.0, 201)


def plot_squiggle(ax, params, xs=_XS, **style):
    """Draw the squiggle ŷ(x) (eq. 05.1) for ``params`` on ``ax``; return the line."""
    style = {"color": COLORS["curve"], "lw": 2, **style}
    (line,) = ax.plot(xs, dosage_predict(xs, params), **style)
    return line


class SquigglePlot:
    """The three observations, the squiggle ŷ(x) and the residuals tᵢ − ŷᵢ as vertical segments.

    ``update(params)`` moves the squiggle and the residual segments (for sliders) and returns
    the predictions ŷᵢ at the three dosages.  Drawn values are clipped to ``ylim`` so a wild
    parameter never produces a plot full of inf.
    """

    def __init__(self, ax, params, ylim=(-0.5, 1.5), label="squiggle ŷ(x)", residuals=True):
        self.ax, self.ylim = ax, ylim
        margin = 10 * (ylim[1] - ylim[0])
        self._clip = (ylim[0] - margin, ylim[1] + margin)
        self.residuals = []
        if residuals:
            for i, (x, t) in enumerate(zip(DOSAGE, EFFICACY)):
                (seg,) = ax.plot([x, x], [t, t], color=COLORS["residual"], lw=2.5,
                                 label="residual t − ŷ" if i == 0 else None, zorder=2)
                self.residuals.append(seg)
        (self.line,) = ax.plot(_XS, np.zeros_like(_XS), color=COLORS["curve"], lw=2, label=label)
        ax.plot(DOSAGE, EFFICACY, "o", color=COLORS["data"], ms=7, label="observed t", zorder=3)
        ax.set_xlim(-0.05, 1.05)
        ax.set_ylim(*ylim)
        ax.set_xlabel("dosage x")
        ax.set_ylabel("efficacy")
        self.update(params)

    def update(self, params):
        """Redraw the squiggle and the residuals for ``params``; return ŷ at the observations."""
        with np.errstate(all="ignore"):
            self.line.set_ydata(np.clip(np.nan_to_num(dosage_predict(_XS, params)), *self._clip))
            predicted = dosage_predict(DOSAGE, params)
        for seg, x, t, y in zip(self.residuals, DOSAGE, EFFICACY, predicted):
            seg.set_data([x, x], [t, float(np.clip(np.nan_to_num(y), *self._clip))])
        return predicted


def plot_ssr_vs_b3(ax, params, b3_values=np.linspace(-1.0, 5.0, 121), b3=None):
    """SSR as a function of b3 (the other six parameters fixed) with the tangent at ``b3``.

    Returns a ``TangentPlot``: ``.move_to(b3)`` moves the point and the tangent of slope
    dSSR/db3 (eq. 05.3).  ``b3`` defaults to ``params["b3"]``.
    """
    b3 = params["b3"] if b3 is None else b3
    plot = TangentPlot(
        ax,
        lambda b: dosage_ssr({**params, "b3": b}),
        lambda b: dosage_gradients({**params, "b3": b})["b3"],
        b3_values, b3, half_width=0.8, label="SSR(b3)",
    )
    ax.set_xlabel("b3")
    ax.set_ylabel("SSR")
    return plot

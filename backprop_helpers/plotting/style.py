"""The series' house style: one palette, one font size, a few figure sizes."""

import matplotlib as mpl
import matplotlib.pyplot as plt

from ..validation import choice, count

__all__ = ["COLORS", "FIGSIZE", "use_house_style", "new_figure"]

# Colour-blind-safe (Okabe-Ito) palette, named by role so every notebook uses them alike.
COLORS = {
    "curve": "#0072B2",      # the function or model
    "tangent": "#D55E00",    # tangents, gradients, arrows
    "data": "#000000",       # observations
    "point": "#E69F00",      # the current point or parameter
    "residual": "#CC79A7",   # residuals and errors
    "good": "#009E73",       # converged, correct
    "bad": "#D55E00",        # diverged, exploding
    "muted": "#999999",      # grids, references
    "cycle": ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"],
}

FIGSIZE = {"single": (5.5, 3.6), "wide": (9.0, 3.6), "square": (4.6, 4.2)}


def use_house_style():
    """Set matplotlib's defaults to the series' style; each notebook's setup cell calls it once."""
    mpl.rcParams.update({
        "figure.figsize": FIGSIZE["single"],
        "figure.dpi": 80,
        "savefig.dpi": 80,
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#e6e6e6",
        "axes.prop_cycle": mpl.cycler(color=COLORS["cycle"]),
        "legend.frameon": False,
        "figure.constrained_layout.use": True,
        "svg.hashsalt": "backprop",  # deterministic ids if a figure is saved as SVG
    })


def new_figure(kind="single", ncols=1, nrows=1, **kwargs):
    """A house-style figure and its axes: ``fig, ax = new_figure()``; ``kind`` is a FIGSIZE key."""
    kind = choice(kind, "kind", tuple(FIGSIZE))
    ncols, nrows = count(ncols, "ncols", low=1, high=12), count(nrows, "nrows", low=1, high=12)
    return plt.subplots(nrows, ncols, figsize=kwargs.pop("figsize", FIGSIZE[kind]), **kwargs)

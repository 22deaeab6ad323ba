"""Plots of notebook 07: per-layer gradient norms and activation variances, on a log scale.

The artists are made to be moved by a slider: ``plot_layer_values`` draws a line with
markers once, ``set_layer_values`` gives it new values (any number of layers) with the
values clipped into a plottable range, so zeros and overflows never reach the log axis.
"""

import math

import numpy as np

from ..validation import real
from .style import COLORS

__all__ = [
    "LOG_FLOOR",
    "LOG_CEILING",
    "plot_layer_values",
    "set_layer_values",
    "log_limits",
    "plot_gradient_norms",
    "plot_activation_variances",
]

LOG_FLOOR = 1e-300    # zeros and underflows are drawn here
LOG_CEILING = 1e300   # overflows are drawn here


def _clipped(values, name="values"):
    """Per-layer values as a 1-D float array; NaN (a value that could not be measured) is allowed."""
    try:
        if np.iscomplexobj(values) or isinstance(values, (str, bytes, bool)):
            raise TypeError
        values = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"{name} must be a list of real numbers, one per layer, got {values!r:.60}") from None
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D list of numbers, one per layer, got shape {values.shape}")
    values = np.where(np.isnan(values), LOG_FLOOR, values)
    return np.clip(values, LOG_FLOOR, LOG_CEILING)


def log_limits(values, min_decades=4):
    """Y-limits for a log axis: whole decades around the clipped values, at least ``min_decades`` wide."""
    values = _clipped(values)
    min_decades = real(min_decades, "min_decades", low=1, high=600)
    if values.size == 0:
        return 10.0 ** -(min_decades / 2), 10.0 ** (min_decades / 2)
    low = math.floor(math.log10(values.min()) - 0.5)
    high = math.ceil(math.log10(values.max()) + 0.5)
    if high - low < min_decades:
        middle = (high + low) / 2
        low, high = math.floor(middle - min_decades / 2), math.ceil(middle + min_decades / 2)
    return 10.0 ** low, 10.0 ** high


def set_layer_values(line, values, autoscale=True, min_decades=4):
    """Move ``line`` to layers 1..L with the given values (clipped to [1e-300, 1e300]).

    With ``autoscale`` the y-limits become whole decades around the values and the x-limits
    span the layers; otherwise the axes keep their limits.  Returns the clipped values.
    """
    clipped = _clipped(values)
    layers = np.arange(1, clipped.size + 1)
    line.set_data(layers, clipped)
    if autoscale:
        ax = line.axes
        ax.set_ylim(*log_limits(clipped, min_decades))
        ax.set_xlim(0.5, max(clipped.size, 2) + 0.5)
    return clipped


def plot_layer_values(ax, values=(), label=None, color=None, ylabel="", title=None, marker="o"):
    """Draw per-layer values (layer 1 = first layer, on the left) as a line with markers on a
    log y-axis; return the line so that ``set_layer_values`` can move it."""
    ax.set_yscale("log")
    ax.set_xlabel("layer l (1 = first, next to the input)")
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    line, = ax.plot([], [], marker=marker, markersize=4, color=color or COLORS["curve"], label=label)
    ax.xaxis.get_major_locator().set_params(integer=True)
    set_layer_values(line, values if len(values) else [1.0])
    if not len(values):
        line.set_data([], [])
    return line


def plot_gradient_norms(ax, norms, label=None, color=None, title=None):
    """Per-layer gradient norms ‖∂E/∂W_l‖ on a log scale (notebook 07); returns the line."""
    _clipped(norms, "norms")
    return plot_layer_values(ax, norms, label=label, color=color, title=title,
                             ylabel=r"gradient norm $\Vert\partial E/\partial W_l\Vert$ (log)")


def plot_activation_variances(ax, variances, label=None, color=None, title=None):
    """Variance of each layer's pre-activation z_l on a log scale (notebook 07); returns the line."""
    _clipped(variances, "variances")
    return plot_layer_values(ax, variances, label=label, color=color, title=title,
                             ylabel=r"variance of $z_l$ (log scale)", marker=".")

"""Functions of two variables: ``plot_contours`` draws the level curves of f(x, y) once (notebooks 01, 03)."""

import numpy as np

from ..validation import as_float_array, count, real
from .style import COLORS

__all__ = ["plot_contours"]


def _check_limits(name, limits):
    try:
        low, high = (real(v, name) for v in limits)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be a pair of numbers (low, high), got {limits!r}") from err
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"{name} must be finite with low < high, got {limits!r}")
    return low, high


def plot_contours(ax, f, xlim, ylim, levels=15, n=121, field=0, grad=None, labels=("x", "y")):
    """Draw the contours of a vectorised f(x, y) on ``ax``; return the contour set.

    ``field`` > 0 adds a faint ``field`` × ``field`` grid of unit-length gradient arrows
    (needs ``grad(x, y) -> (∂f/∂x, ∂f/∂y)``), which shows that ∇f crosses every contour
    at a right angle, pointing uphill.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of (x, y), got {type(f).__name__}")
    x0, x1 = _check_limits("xlim", xlim)
    y0, y1 = _check_limits("ylim", ylim)
    n, field = count(n, "n", low=10, high=2000), count(field, "field", low=0, high=100)
    if np.isscalar(levels):
        levels = count(levels, "levels", low=1, high=500)
    elif (np.diff(levels := as_float_array(levels, "levels", finite=True)) <= 0).any() or levels.ndim != 1:
        raise ValueError(f"levels must be a number of levels or increasing values, got {levels}")
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    Z = np.asarray(f(X, Y), dtype=float)
    if Z.shape != X.shape or not np.isfinite(Z).all():
        raise ValueError("f must return finite values shaped like its (grid) inputs")
    contours = ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=1)
    if field:
        if not callable(grad):
            raise TypeError("grad must be a function of (x, y) when field > 0")
        gx, gy = np.meshgrid(np.linspace(x0, x1, field + 2)[1:-1], np.linspace(y0, y1, field + 2)[1:-1])
        u, v = (np.asarray(c, dtype=float) * np.ones_like(gx) for c in grad(gx, gy))
        length = np.hypot(u, v)
        safe = np.where(length > 1e-12, length, 1.0)
        ax.quiver(gx, gy, u / safe, v / safe, color=COLORS["muted"], angles="xy", pivot="tail",
                  scale=1.6 * field / (x1 - x0), scale_units="xy", width=0.004, alpha=0.8)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_aspect("equal")
    ax.grid(False)
    return contours

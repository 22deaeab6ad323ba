"""Functions of two variables: contours and descent paths (notebooks 01, 03, 08).

``plot_contours`` draws the level curves of f(x, y) once.  ``DescentPathPlot`` draws a path
w₀, w₁, ... of gradient descent on such contours and can be given a new path on every slider
change (``set_path``).
"""

import numpy as np

from ..validation import as_float_array, count, real
from .style import COLORS

__all__ = ["plot_contours", "DescentPathPlot", "plot_descent_path"]


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


class DescentPathPlot:
    """A gradient-descent path drawn on contours; ``set_path`` replaces it (notebooks 03, 08).

    Points far outside the axes (a diverging run) are left out, so the plot never receives
    huge or non-finite coordinates; ``set_path`` returns how many points are shown.
    """

    def __init__(self, ax, color=None, label="path"):
        self.ax = ax
        color = color or COLORS["tangent"]
        (self.line,) = ax.plot([], [], "-o", color=color, ms=3.5, lw=1.3, label=label, zorder=3)
        (self.start,) = ax.plot([], [], "o", color=COLORS["point"], mec="black", ms=8, zorder=4)
        (self.end,) = ax.plot([], [], "*", color=color, mec="black", ms=12, zorder=4)

    def set_path(self, path):
        """Show ``path`` (shape (steps + 1, 2)); return the number of points drawn."""
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
            raise ValueError(f"path must have shape (n, 2) with n >= 1, got {path.shape}")
        x0, x1 = self.ax.get_xlim()
        y0, y1 = self.ax.get_ylim()
        margin = 2 * max(x1 - x0, y1 - y0)
        finite = np.isfinite(path).all(axis=1)
        inside = finite & (np.abs(path[:, 0] - (x0 + x1) / 2) < margin) & (np.abs(path[:, 1] - (y0 + y1) / 2) < margin)
        # keep the run up to the first point that leaves the neighbourhood of the axes
        shown = path[: int(np.argmin(inside)) if not inside.all() else len(path)]
        self.line.set_data(shown[:, 0], shown[:, 1])
        self.start.set_data(shown[:1, 0], shown[:1, 1])
        self.end.set_data(shown[-1:, 0], shown[-1:, 1])
        return len(shown)


def plot_descent_path(ax, path, color=None, label="path"):
    """Draw a descent path (shape (n, 2)) on ``ax`` (usually over ``plot_contours``); return the
    ``DescentPathPlot`` so a demo can call ``set_path`` later."""
    path = as_float_array(path, "path", finite=True)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"path must have shape (n, 2), one point (w₁, w₂) per row, got shape {path.shape}")
    plot = DescentPathPlot(ax, color=color, label=label)
    plot.set_path(path)
    return plot

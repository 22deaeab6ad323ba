"""Plots of networks: decision boundaries of a classifier and a diagram of layer shapes (notebook 06)."""

import numpy as np
from matplotlib.colors import ListedColormap

from ..validation import count
from .style import COLORS

__all__ = ["DecisionBoundaryPlot", "plot_decision_boundary", "plot_layer_shapes"]

_CLASS_COLORS = [COLORS["cycle"][0], COLORS["cycle"][1], COLORS["cycle"][2], COLORS["cycle"][3]]
_PROBABILITY_CMAP = "RdBu_r"  # class 0 blue, class 1 red, 0.5 white


class DecisionBoundaryPlot:
    """The data of a 2-D classification set over a filled map of a model's prediction.

    ``predict`` maps a batch of points shaped (m, 2) to the probability of class 1 shaped
    (m,) or (m, 1) (binary), or to class probabilities shaped (m, k) (k ≥ 3 classes, drawn
    as the winning class).  ``update(predict)`` redraws only the filled contour and the
    boundary line, which is what a slider's update function calls.  (The map is an image
    rather than ``contourf``: it looks the same and renders several times faster.)
    """

    def __init__(self, ax, X, t, predict=None, resolution=100, margin=0.4):
        X = np.asarray(X, dtype=float)
        t = np.asarray(t).reshape(-1)
        if X.ndim != 2 or X.shape[1] != 2:
            raise ValueError(f"X must have shape (n_samples, 2), got shape {X.shape}")
        if t.shape[0] != X.shape[0]:
            raise ValueError(f"t must have one label per row of X ({X.shape[0]}), got {t.shape[0]}")
        self.ax = ax
        low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
        self.xs = np.linspace(low[0], high[0], resolution)
        self.ys = np.linspace(low[1], high[1], resolution)
        gx, gy = np.meshgrid(self.xs, self.ys)
        self.grid = np.column_stack([gx.ravel(), gy.ravel()])
        self.n_classes = int(t.max()) + 1 if t.size else 2
        self._image = None
        self._boundary = None
        self._class_cmap = ListedColormap(_CLASS_COLORS)
        for k in range(self.n_classes):
            ax.scatter(*X[t == k].T, s=14, color=_CLASS_COLORS[k % len(_CLASS_COLORS)],
                       edgecolors="white", linewidths=0.4, label=f"class {k}", zorder=3)
        ax.set_xlim(low[0], high[0])
        ax.set_ylim(low[1], high[1])
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.grid(False)
        ax.legend(loc="upper left", fontsize=8)
        if predict is not None:
            self.update(predict)

    def update(self, predict):
        """Redraw the prediction of ``predict`` over the grid (and its decision boundary)."""
        values = np.asarray(predict(self.grid), dtype=float)
        shape = (self.ys.size, self.xs.size)
        if values.ndim == 2 and values.shape[1] > 1:  # several classes: colour by the winner
            image, cmap, vmax = values.argmax(axis=1).reshape(shape), self._class_cmap, len(_CLASS_COLORS) - 1
        else:
            image, cmap, vmax = np.clip(np.nan_to_num(values.reshape(shape), nan=0.5), 0.0, 1.0), _PROBABILITY_CMAP, 1
        if self._image is None:
            extent = (self.xs[0], self.xs[-1], self.ys[0], self.ys[-1])
            self._image = self.ax.imshow(image, extent=extent, origin="lower", cmap=cmap, vmin=0, vmax=vmax,
                                         alpha=0.35, aspect="auto", interpolation="bilinear", zorder=1)
        else:
            self._image.set_data(image)
        if self._boundary is not None:
            self._boundary.remove()
            self._boundary = None
        if cmap == _PROBABILITY_CMAP and image.min() < 0.5 < image.max():
            self._boundary = self.ax.contour(self.xs, self.ys, image, levels=[0.5], colors="black",
                                             linewidths=1.5, zorder=2)


def plot_decision_boundary(ax, predict, X, t, resolution=100):
    """Draw data and a classifier's prediction once; return the ``DecisionBoundaryPlot``."""
    return DecisionBoundaryPlot(ax, X, t, predict=predict, resolution=resolution)


def plot_layer_shapes(ax, layer_sizes, n_samples="n", max_units=6):
    """A diagram of a network: one column of units per layer, each labelled with its array shapes.

    Under layer l it writes the shape of Z_l and A_l = f(Z_l) (A_0 = X); between layers, the
    shapes of W_l and b_l.  Columns wider than ``max_units`` show the first units and a "⋮".
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a list of widths, got {layer_sizes!r:.60}")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes must list at least two positive widths, got {layer_sizes}")
    sizes = [count(n, f"layer_sizes[{i}]", low=1, high=100_000) for i, n in enumerate(layer_sizes)]
    max_units = count(max_units, "max_units", low=2, high=50)
    ax.set_axis_off()
    xs = np.arange(len(sizes), dtype=float) * 2.0
    top = max(min(n, max_units) for n in sizes)
    positions = []
    for layer, (x, n) in enumerate(zip(xs, sizes, strict=True)):
        shown = min(n, max_units)
        ys = (np.arange(shown) - (shown - 1) / 2)[::-1]
        positions.append(ys)
        color = COLORS["data"] if layer == 0 else (COLORS["curve"] if layer < len(sizes) - 1 else COLORS["tangent"])
        ax.scatter(np.full(shown, x), ys, s=180, color="white", edgecolors=color, linewidths=2, zorder=3)
        if shown < n:
            ax.text(x, ys[-1] - 0.7, "⋮", ha="center", va="center", fontsize=12)
        if layer == 0:
            name = "X = A₀"
        else:
            name = f"Z{_sub(layer)} → " + (f"A{_sub(layer)}" if layer < len(sizes) - 1 else f"Y = A{_sub(layer)}")
        ax.text(x, -top / 2 - 1.1, f"{name}\n({n_samples}, {n})", ha="center", va="top", fontsize=9)
    for layer in range(1, len(sizes)):
        for y0 in positions[layer - 1]:
            for y1 in positions[layer]:
                ax.plot([xs[layer - 1], xs[layer]], [y0, y1], color=COLORS["muted"], lw=0.6, zorder=1)
        ax.text((xs[layer - 1] + xs[layer]) / 2, top / 2 + 0.6,
                f"W{_sub(layer)} ({sizes[layer - 1]}, {sizes[layer]})\nb{_sub(layer)} ({sizes[layer]},)",
                ha="center", va="bottom", fontsize=9)
    ax.set_xlim(xs[0] - 1, xs[-1] + 1)
    ax.set_ylim(-top / 2 - 2.4, top / 2 + 1.8)
    return ax


def _sub(number):
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))

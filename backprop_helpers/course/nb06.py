"""Notebook 06 · Backpropagation through many layers: the companion module.

In the notebook's order:

- what only this notebook draws and trains on: ``plot_layer_shapes`` (the arrays of a network and
  their shapes), ``DecisionBoundaryPlot``/``plot_decision_boundary`` (a classifier's prediction
  over the plane) and ``make_spiral`` (three spiral arms, the softmax network's data set);
- section 4, training (through the core's ``mlp_objective`` and ``descend``, full-batch or on
  random mini-batches): ``train_moons`` trains MLP([2, hidden, 1]) on the two moons with it, ``train_spiral`` a softmax
  network on three spiral arms.  ``moons_state`` computes what the demo shows for one slider
  setting (a record the tests assert on), ``describe_moons`` says it in one line, and
  ``moons_training_demo`` draws it.
- section 5, your turn: ``check_backward_layers`` runs the learner's layer loop of the backward
  pass on hidden networks (every activation, batch size 1, width 1) and names the typical
  mistakes (a missing transpose, a missing f′, sums over the wrong axis, f′ of the wrong layer);
  ``broken_backward`` has one wrong line for the find-the-bug exercise, shown with
  ``numbered_source`` and checked by ``check_broken_backward_line``.
- the exercises, ``check_nb06_*``: their arrays are in ``NB06_EXERCISE`` (a batch of 4
  samples, a tanh hidden layer of width 2 with pre-activations ``Z1``, the next layer's weights
  ``W2`` (2, 2) and its error signal ``delta2`` (4, 2); ``logits`` (3, 3) with class labels
  ``labels``).  Each check recognises the usual slips (W instead of Wᵀ, a forgotten f′, a mean
  instead of a sum, the wrong axis, a lost 1/n) and says so.
"""

import asyncio
import inspect
import itertools
import numbers
import threading
import time
from dataclasses import dataclass

import contourpy
import numpy as np
from matplotlib.colors import ListedColormap

from ..activations import _sigmoid, relu_prime, sigmoid_prime, softplus_prime, tanh_prime
from ..datasets import make_moons
from ..descent import Run, descend
from ..feedback import NO_ANSWER, Feedback, check_array, check_function, check_number
from ..mlp import LOGISTIC, MLP, SOFTMAX, mlp_objective, set_parameters
from ..plotting.curves import plot_loss_curve
from ..plotting.style import COLORS, new_figure
from ..validation import count, real, rng_from
from ..widgets import Demo, choice, int_slider, log_slider, stops_slider

__all__ = [
    "make_spiral",
    "DecisionBoundaryPlot",
    "plot_decision_boundary",
    "plot_layer_shapes",
    "train_moons",
    "train_spiral",
    "MoonsState",
    "moons_state",
    "describe_moons",
    "moons_training_demo",
    "check_backward_layers",
    "broken_backward",
    "numbered_source",
    "parameter_names",
    "check_broken_backward_line",
    "NB06_EXERCISE",
    "check_nb06_dW_shape",
    "check_nb06_hidden_delta",
    "check_nb06_bias_gradient",
    "check_nb06_softmax_gradient",
]


# ---- the spiral data set: a softmax classifier's test ----------------------------------------
def make_spiral(n_per_class=100, n_classes=3, noise=0.1, seed=0):
    """``n_classes`` interleaved spiral arms of ``n_per_class`` points each, labels 0..n_classes−1.

    Each arm winds from the centre outwards (radius 0 to 1); ``noise`` is the standard
    deviation of Gaussian jitter added to every point.  A softmax classifier's test set.
    """
    n_per_class = count(n_per_class, "n_per_class", low=1, high=10**6)
    n_classes = count(n_classes, "n_classes", low=2, high=100)
    noise = real(noise, "noise", low=0.0, high=100.0)
    rng = rng_from(seed)
    radius = np.linspace(0.05, 1.0, n_per_class)
    X, t = [], []
    for k in range(n_classes):
        angle = 2 * np.pi * k / n_classes + 4.0 * radius
        X.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
        t.append(np.full(n_per_class, k, dtype=int))
    X = np.vstack(X)
    X = X + noise * rng.normal(size=X.shape)
    return X, np.concatenate(t)


# ---- plots of networks: decision boundaries of a classifier and a diagram of layer shapes ----
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


# ---- section 4 · training: full-batch and mini-batch descent, the moons demo, the spiral ---

MAX_STEPS = 1000
N_MOONS = 200          # the training set; a batch of all 200 is full-batch gradient descent
BATCH_SIZES = (200, 50, 10)
# The demo's sliders.  Each new width or η is a new training run (500 steps at the default: 30-45 ms here),
# so the sliders stop at values that look different: widths about ×1.5 apart (1 to 4 get a third of the
# track), η four stops a decade (×1.78: 0.01, 3.16, 31.6 and 100 among them).
WIDTHS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
ETA_RANGE, ETA_STOPS_PER_DECADE = (1e-3, 100.0), 4
STILL = 1e-12   # descend's tol: a step shorter than this ends a run ("converged")
WEIGHT_LIMIT = 1e4  # a weight beyond this counts as diverged (descend's ``limit``)
LOSS_RANGE = (1e-6, 1e3)  # the moons demo's loss axis: losses are clipped to it
CHUNK = 50          # runs are computed this many steps at a time (about 7 ms at width 8)
PREFETCH_DELAY = 0.2  # seconds after a change before the demo computes its neighbours' runs
PREFETCH_PAUSE = 0.2  # ... and it pauses while changes keep coming (a drag sends one every 60 ms or so)
PREFETCH_SLICE = 0.01  # seconds of prefetching per turn of the event loop (a change waits about this long)
STEP_STRIDE = 20    # the steps slider's step (and Play's: 51 frames, which the live-frame cache holds)


def _moons():
    X, t = make_moons(200, noise=0.15, seed=0)
    return X, t, t[:, None].astype(float)


def _learning_rate(value):
    """η as a cache key: rounded to 10 significant digits, so that the browser's 10**x and Python's
    agree on the same slider stop (they may differ in the last bit)."""
    return float(f"{float(value):.10g}")


class _Training:
    """One run of ``train_moons`` (a width, η and batch size), computed on demand in chunks of
    ``CHUNK`` steps: ``descend`` is called again from the last iterate with the same E and ∇E, so
    the chunks join into exactly the run one call of ``descend`` makes (a mini-batch run draws the
    same batches: when a chunk ends, ``descend`` asks for ∇E at its last iterate, and the next chunk
    gets that same gradient for its first step instead of a new draw)."""

    def __init__(self, hidden, learning_rate, batch_size):
        X, _, T = _moons()
        net = MLP([2, hidden, 1], activation="tanh", seed=0)
        batch = None if batch_size == N_MOONS else batch_size
        self.loss, self._grad, w0 = mlp_objective(net, X, T, LOGISTIC, batch_size=batch, seed=1)
        self.learning_rate = learning_rate
        self._memo = None
        self._w0 = w0
        self._paths, self._losses, self._grads = [], [], []
        self.steps = 0  # updates computed so far
        self.status = "step limit"
        self._run = None

    @property
    def finished(self):
        return self.status != "step limit" or self.steps >= MAX_STEPS

    def _gradient(self, w):
        if self._memo is not None and np.array_equal(w, self._memo[0]):
            return self._memo[1]
        g = self._grad(w)
        self._memo = (w.copy(), g)
        return g

    def advance(self, upto):
        """Compute the run up to ``upto`` updates (at most CHUNK more; fewer if it stops first)."""
        with _LOCK:
            self._advance(upto)

    def _advance(self, upto):
        todo = min(upto, MAX_STEPS) - self.steps
        if self.finished or todo <= 0:
            return
        with np.errstate(under="ignore"):  # exp underflowing to 0 is harmless
            start = self._paths[-1][-1] if self._paths else self._w0
            chunk = descend(self._gradient, start, self.learning_rate, loss=self.loss, tol=STILL,
                            steps=min(todo, CHUNK), limit=WEIGHT_LIMIT)
        if self._losses:
            self._losses.append(chunk.losses[1:])
            self._paths.append(chunk.path[1:])
        else:
            self._losses.append(chunk.losses)
            self._paths.append(chunk.path)
        self._grads.append(chunk.gradients)
        self.steps += chunk.steps
        self.status = chunk.status
        self._run = None

    def record(self, steps=MAX_STEPS):
        """The run computed up to at least ``steps`` updates (or to where it stopped): a ``Run``,
        exactly what ``descend(..., steps=steps)`` returns when ``steps`` is reached."""
        with _LOCK:
            return self._record(steps)

    def _record(self, steps):
        while not self._losses or (not self.finished and self.steps < steps):
            self.advance(max(steps, 1))
        if self._run is None:
            # each chunk that hit its step limit ended with ∇E at its last iterate: the next chunk's first
            grads = [g[:-1] for g in self._grads[:-1]] + self._grads[-1:]
            self._run = Run(np.concatenate(self._paths), np.concatenate(self._losses), np.concatenate(grads),
                            self.status, self.learning_rate, STILL)
        return self._run.first(steps)  # computed further than asked: the shorter run is its first steps


_TRAININGS = {}  # (width, η, batch size) -> _Training, the most recently used last
_KEEP = 120      # runs kept (a run of width 32 takes about 1 MB)
# JupyterLab may deliver widget messages on a kernel subshell (another thread) while the prefetch runs
# on the main thread: the cache and each run are changed under this lock only
_LOCK = threading.RLock()


def _training(hidden, learning_rate, batch_size):
    key = (int(hidden), _learning_rate(learning_rate), int(batch_size))
    with _LOCK:
        training = _TRAININGS.pop(key, None) or _Training(*key)
        _TRAININGS[key] = training
        while len(_TRAININGS) > _KEEP:
            del _TRAININGS[next(iter(_TRAININGS))]
    return training


def train_moons(hidden, learning_rate, steps=MAX_STEPS, batch_size=N_MOONS):
    """Gradient descent of MLP([2, hidden, 1]) (tanh hidden units, seed 0) on 200 two-moons
    points, through the series' one loop ``descend``: full-batch by default, stochastic with
    mini-batches of ``batch_size`` samples.  A ``Run`` whose ``path`` holds the flat parameter
    vector after every step and ``losses`` the cross-entropy on all 200 points there.
    Cached per (width, η, batch size) and computed in chunks as far as asked, so the demo's
    steps slider only looks runs up (η is rounded to 10 significant digits).
    """
    return _training(hidden, learning_rate, batch_size).record(int(steps))


class _Prefetch:
    """While the kernel is idle, compute the moons demo's runs for the slider values next to the
    current ones (every width at the current η, every η stop at the current width), first up to
    the current steps, then to the end, in slices of about ``PREFETCH_SLICE`` seconds per turn of the
    event loop, so that a change from the browser waits for one slice at most.  It pauses while any
    slider keeps moving (a drag: its updates, drawn on another thread, need the processor and the
    interpreter) and while the kernel runs cells.  Without a running event loop (tests, scripts) it
    does nothing."""

    def __init__(self, widths, etas):
        self.widths, self.etas = list(widths), list(etas)
        self.queue = []
        self.running = False
        self.centre, self.target = None, 0
        self.quiet_after = 0.0  # time.monotonic() before which the learner is busy with the sliders
        self._cells = None  # IPython's execution count when last looked at

    def plan(self, hidden, learning_rate, steps, batch_size):
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        centre = (int(hidden), _learning_rate(learning_rate), int(batch_size))
        self.quiet_after = time.monotonic() + PREFETCH_PAUSE  # any slider moving: its updates come first
        if centre == self.centre and int(steps) <= self.target:
            return
        previous, self.centre, self.target = self.centre, centre, max(int(steps), CHUNK)
        hidden, eta, batch_size = centre
        widths = [(h, eta) for h in sorted(self.widths, key=lambda h: (abs(h - hidden), -h))]
        etas = [(hidden, e) for e in sorted(self.etas, key=lambda e: (abs(np.log(e / eta)), -e))]
        if previous is not None and previous[1:] == centre[1:] and previous[0] != hidden:
            keys = etas + widths  # the width just moved: the learning rates at that width first
        elif previous is not None and previous[::2] == centre[::2] and previous[1] != eta:
            keys = widths + etas  # η just moved: the widths at that η first
        else:  # nearest first, the two lines in turn
            keys = [key for pair in itertools.zip_longest(widths, etas) for key in pair if key is not None]
        keys = list(dict.fromkeys(keys))
        self.queue = [(h, e, batch_size, self.target) for h, e in keys] \
            + [(h, e, batch_size, MAX_STEPS) for h, e in keys]
        if not self.running:
            self.running = True
            loop.call_later(PREFETCH_DELAY, self._next)

    def _cells_running(self):
        """Whether the kernel ran a cell since the last look (Run All, nbval): then the prefetch waits, so
        that it does not slow the notebook's own cells down."""
        from IPython import get_ipython

        count = getattr(get_ipython(), "execution_count", None)
        ran, self._cells = count != self._cells, count
        return ran

    def _next(self):
        wait = self.quiet_after - time.monotonic()
        if wait > 0:  # a slider is moving: leave the processor to its updates (they may run on another thread)
            asyncio.get_running_loop().call_later(wait, self._next)
            return
        if self._cells_running():
            asyncio.get_running_loop().call_later(PREFETCH_DELAY, self._next)
            return
        started = time.perf_counter()
        queue = self.queue  # plan() may replace it (from another thread): then the next turn takes the new one
        while queue and time.perf_counter() - started < PREFETCH_SLICE:
            hidden, eta, batch, upto = queue[0]
            training = _training(hidden, eta, batch)
            if training.finished or training.steps >= upto:
                queue.pop(0)
                continue
            try:
                training.advance(upto)
            except Exception:  # noqa: BLE001 -- a failing run reports itself when it is chosen
                queue.pop(0)
        if queue:
            asyncio.get_running_loop().call_soon(self._next)
        else:
            self.running = False


def train_spiral(hidden=32, learning_rate=1.0, steps=1000):
    """Full-batch gradient descent (``descend``) of MLP([2, hidden, 3]) with tanh hidden units and a
    softmax cross-entropy on the 3-arm spiral (50 points per arm): ``(net, run, X, labels)``,
    the network holding the trained parameters."""
    X, labels = make_spiral(n_per_class=50, n_classes=3, noise=0.1, seed=0)
    net = MLP([2, hidden, 3], activation="tanh", seed=0)
    loss, grad, w0 = mlp_objective(net, X, np.eye(3)[labels], SOFTMAX)
    run = descend(grad, w0, learning_rate, loss=loss, tol=STILL, steps=steps)
    set_parameters(net, run.path[-1])
    return net, run, X, labels


@dataclass(frozen=True)
class MoonsState:
    """What the moons demo shows for one slider setting: the run (computed at least up to ``steps``),
    the step shown, and the loss and training accuracy there."""

    hidden: int
    learning_rate: float
    batch_size: int     # 200: full-batch gradient descent; fewer: stochastic, a new mini-batch each step
    steps: int          # the steps slider
    shown: int          # the iterate shown: min(steps, run.steps)
    run: Run
    loss: float
    accuracy: float

    @property
    def diverged(self):
        return self.run.status == "diverged" and self.steps > self.run.steps

    @property
    def above_start(self):
        return self.loss > self.run.losses[0]


def parameter_names(net):
    """Names for ``net.parameters()`` in the same order: ["W1", "b1", "W2", "b2", ...] (to label checks)."""
    return [f"{kind}{layer}" for layer in range(1, len(net.weights) + 1) for kind in ("W", "b")]


def _net_at(hidden, w):
    net = MLP([2, hidden, 1], activation="tanh", seed=0)
    set_parameters(net, w)
    return net


def moons_state(hidden, learning_rate, steps, batch_size=N_MOONS):
    """Compute the demo's record for one setting (tests assert on it)."""
    hidden, steps, batch_size = int(hidden), int(steps), int(batch_size)
    # the run as far as it is computed, at least up to ``steps``: it says the same at ``steps`` as the whole run
    run = _training(hidden, learning_rate, batch_size).record(steps)
    shown = min(steps, run.steps)
    X, t, _ = _moons()
    z = _net_at(hidden, run.path[shown]).forward(X)
    accuracy = float(np.mean((z[:, 0] > 0) == (t == 1)))
    return MoonsState(hidden, _learning_rate(learning_rate), batch_size, steps, shown, run, float(run.losses[shown]),
                      accuracy)


def describe_moons(state):
    """The demo's status line, from the record alone."""
    eta, n = f"η = {state.learning_rate:.3g}", state.shown
    if state.batch_size < N_MOONS:
        eta += f", mini-batches of {state.batch_size}"
    if state.diverged:
        return (f"diverged after {n} step{'' if n == 1 else 's'}: a weight passed {WEIGHT_LIMIT:g} — {eta} is far "
                f"too large (hidden width {state.hidden})")
    if state.above_start:
        # a rise above the start is not yet divergence: with a large η the loss often jumps
        # around for a while and then settles (width 8, η = 10: 1.51 after 10 steps, 0.0078 after 100)
        above = f"the loss {state.loss:.3g} is above its start {state.run.losses[0]:.3g}"
        if n < MAX_STEPS:
            return (f"unstable: after {n} steps {above} — with {eta} the loss jumps around; move the "
                    f"steps slider on to see whether it settles (hidden width {state.hidden})")
        return (f"unstable: after {n} steps {above} — with {eta} the loss jumps around and has not "
                f"settled: η is too large (hidden width {state.hidden})")
    return (f"after {n} steps: loss E = {state.loss:.4f}, training accuracy "
            f"{state.accuracy:.1%} (hidden width {state.hidden}, {eta})")


def moons_training_demo(hidden=8, learning_rate=3.0, steps=500, batch_size=N_MOONS):
    """Train MLP([2, hidden, 1]) (tanh hidden units, sigmoid output, binary cross-entropy) on
    200 two-moons points by full-batch gradient descent; sliders for hidden width, η and steps.

    ``batch_size`` below 200 makes it stochastic gradient descent: each step uses a new random
    mini-batch of that many points (the loss shown is always on all 200).  ``hidden`` is one of the width
    slider's stops ``WIDTHS``.
    Left: the predicted probability of class 1 and the decision boundary (where it is 0.5).
    Right: the loss per step.  Runs are cached per (width, η, batch size), so the steps slider (and
    its Play button) only looks them up; while the kernel idles, the runs of the neighbouring widths
    and learning rates are computed ahead.
    """
    X, t, _ = _moons()
    fig, (ax_boundary, ax_loss) = new_figure("wide", ncols=2)
    boundary = DecisionBoundaryPlot(ax_boundary, X, t, resolution=80)
    boundary.update(lambda grid: np.full(len(grid), 0.5))  # makes the probability image (flat 0.5: no contour)
    (image,) = ax_boundary.images
    image.set_zorder(1.6)  # above the axis (ticks point outwards, no grid): a live frame leaves the axis alone
    # the decision boundary: one line whose data each update replaces (a new contour per update would
    # force a full redraw); its pieces are separated by NaN
    (edge,) = ax_boundary.plot([], [], color="black", lw=1.5, zorder=2, gid="decision boundary")
    ax_boundary.set_title("prediction P(class 1) and decision boundary")
    line = plot_loss_curve(ax_loss, [1.0], color=COLORS["curve"])
    line.set_marker("")
    line.set_gid("loss")
    ax_loss.set_yscale("log")
    # fixed axes, so an update only moves the lines: x up to the steps slider's maximum, y over the range
    # the losses are clipped to (it holds every run: from 2.5e-6 at width 32, η = 30 to 6e2 at η = 100)
    ax_loss.set_xlim(0, MAX_STEPS)
    ax_loss.set_ylim(*LOSS_RANGE)
    ax_loss.set_title("training loss (binary cross-entropy)")
    ax_loss.set_xlabel("steps")      # as the slider calls them
    (current,) = ax_loss.plot([], [], "o", color=COLORS["point"], ms=7, zorder=3, gid="current step")
    current.set_clip_on(False)       # the marker sits on the right edge: draw all of it

    low, high = np.round(np.log10(ETA_RANGE) * ETA_STOPS_PER_DECADE)
    prefetch = _Prefetch(WIDTHS, 10 ** (np.arange(low, high + 1) / ETA_STOPS_PER_DECADE))  # the sliders' values

    def update(hidden=hidden, learning_rate=learning_rate, steps=steps, batch_size=batch_size):
        state = moons_state(hidden, learning_rate, steps, batch_size)
        prefetch.plan(hidden, learning_rate, steps, batch_size)
        net = _net_at(state.hidden, state.run.path[state.shown])
        with np.errstate(under="ignore"):
            probability = _sigmoid(net.forward(boundary.grid)).reshape(boundary.ys.size, boundary.xs.size)
        probability = np.clip(np.nan_to_num(probability, nan=0.5), 0.0, 1.0)
        image.set_data(probability)
        edge.set_data(*_level_line(boundary.xs, boundary.ys, probability, 0.5))
        losses = np.clip(state.run.losses[: state.shown + 1], *LOSS_RANGE)
        line.set_data(np.arange(losses.size), losses)
        current.set_data([state.shown], [losses[-1]])
        return describe_moons(state)

    update()
    fig.colorbar(ax_boundary.images[0], ax=ax_boundary, label="P(class 1)")
    for ax in (ax_boundary, ax_loss):  # the titles sit above the axes, clear of what moves: stacked below it,
        ax.title.set_zorder(1.5)       # they stay in the cached background instead of being redrawn every frame
    fig.canvas.draw()                # lay the figure out once at the initial values ...
    fig.set_layout_engine("none")    # ... and keep that layout: each redraw is then ~30% faster
    controls = {
        "hidden": stops_slider("hidden width", WIDTHS, hidden),
        "learning_rate": log_slider("η (learning rate)", *ETA_RANGE, learning_rate, ETA_STOPS_PER_DECADE),
        "steps": int_slider("steps", 0, MAX_STEPS, steps, step=STEP_STRIDE),
        "batch_size": choice("batch size", list(BATCH_SIZES), batch_size),
    }
    demo = Demo(fig, update, controls, play="steps")
    demo.prefetch = prefetch  # the runs it computes ahead: every run a slider can ask for (tests)
    return demo


def _level_line(xs, ys, values, level):
    """The ``level`` contour of ``values`` (rows along ``ys``) as one polyline's x and y, its pieces
    separated by NaN; empty when ``values`` does not cross the level."""
    if not values.min() < level < values.max():
        return [], []
    pieces = contourpy.contour_generator(xs, ys, values, line_type="Separate").lines(level)
    joined = np.concatenate([np.vstack([piece, [np.nan, np.nan]]) for piece in pieces])
    return joined[:, 0], joined[:, 1]


# ---- section 5 · your turn: the layer loop of the backward pass ---------------------------

def _backward_layers_reference(weights, activations, preactivations, delta, f_prime):
    """The solution: (06.3), (06.4), then (06.2), from the last layer to the first."""
    grads = [None] * len(weights)
    for layer in reversed(range(len(weights))):
        grads[layer] = (activations[layer].T @ delta, delta.sum(axis=0))
        if layer > 0:
            delta = (delta @ weights[layer].T) * f_prime(preactivations[layer - 1])
    return grads


def _layer_loop(dW, db, step):
    """A backward layer loop with one formula swapped out (the catalogue of typical mistakes)."""
    def backward_layers(weights, activations, preactivations, delta, f_prime):
        grads = [None] * len(weights)
        for layer in reversed(range(len(weights))):
            grads[layer] = (dW(activations[layer], delta), db(delta))
            if layer > 0:
                delta = step(delta, weights[layer], activations[layer], preactivations[layer - 1],
                             preactivations[layer], f_prime)
        return grads
    return backward_layers


def _right_dW(a, delta):
    return a.T @ delta


def _right_db(delta):
    return delta.sum(axis=0)


def _right_step(delta, W, a, z_prev, z_here, f_prime):
    return (delta @ W.T) * f_prime(z_prev)


_BACKWARD_LAYERS_MISTAKES = [
    (_layer_loop(_right_dW, _right_db, lambda d, W, a, zp, zh, fp: (d @ W) * fp(zp)),
     "use Wᵀ, not W: unit j of layer l feeds unit k of layer l+1 through W[j, k], so δ flows back along "
     "row j of W: delta @ W.T (06.2)."),
    (_layer_loop(_right_dW, _right_db, lambda d, W, a, zp, zh, fp: d @ W.T),
     "you left out f′: after delta @ W.T, multiply entry by entry by f_prime(Z) of the layer below (06.2)."),
    (_layer_loop(_right_dW, lambda d: d.sum(axis=1), _right_step),
     "db sums over the wrong axis: each bias is used by every sample, so add δ down its column, "
     "delta.sum(axis=0) (06.4)."),
    (_layer_loop(_right_dW, lambda d: d.mean(axis=0), _right_step),
     "sum, don't average: the 1/n of a mean loss is already inside δ (06.4)."),
    (_layer_loop(lambda a, d: d.T @ a, _right_db, _right_step),
     "dW must have the shape of W, (n_in, n_out): A_{l-1}ᵀ δ_l, with the transpose on A (06.3)."),
    (_layer_loop(_right_dW, _right_db, lambda d, W, a, zp, zh, fp: (d @ W.T) * fp(zh)),
     "f′ belongs to the layer the signal arrives at, the one below: f_prime(preactivations[layer - 1]), "
     "not f_prime(preactivations[layer])."),
    (_layer_loop(_right_dW, _right_db, lambda d, W, a, zp, zh, fp: (d @ W.T) * fp(a)),
     "f′ takes the pre-activation Z, not the activation A = f(Z): use preactivations[layer - 1]."),
]


def _backward_case(sizes, activation, batch, seed):
    """A hidden network: MLP(sizes, activation) on a random batch, and a random δ_L at its output."""
    rng = np.random.default_rng(seed)
    net = MLP(sizes, activation=activation, seed=seed, gain=1.5)
    for b in net.biases:
        b[:] = rng.normal(scale=0.5, size=b.shape)
    net.forward(rng.normal(size=(batch, sizes[0])))
    delta = rng.normal(size=(batch, sizes[-1]))
    args = ([W.copy() for W in net.weights], [A.copy() for A in net.activations],
            [Z.copy() for Z in net.preactivations], delta, _F_PRIME[activation])
    return f"{activation}, layer sizes {sizes}, batch {batch}", args


_F_PRIME = {"sigmoid": sigmoid_prime, "tanh": tanh_prime, "relu": relu_prime, "softplus": softplus_prime}

# Hidden layers all as wide as the output, so that even a missing transpose runs and gets its own hint.
_BACKWARD_CASES = [
    _backward_case([3, 4, 4, 4], "tanh", 5, 0),
    _backward_case([2, 3, 3], "sigmoid", 1, 1),              # batch size 1
    _backward_case([1, 1, 1, 1], "tanh", 4, 2),              # width 1
    _backward_case([5, 2, 2, 2, 2], "relu", 6, 3),
    _backward_case([2, 3, 3], "softplus", 3, 4),
    _backward_case([4, 1, 1], "sigmoid", 7, 5),
    _backward_case([3, 6, 6], "relu", 2, 6),
]


def _array_mismatch(value, wanted):
    """None when ``value`` is the array ``wanted`` (to 1e-9 relative), else why not, in words."""
    if value is None or value is Ellipsis:
        return "it is None"
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return f"expected an array of numbers, got {type(value).__name__} {value!r:.60}"
    if array.shape != wanted.shape:
        return f"expected shape {wanted.shape}, got shape {array.shape}"
    if not np.isfinite(array).all():
        return "it contains NaN or inf"
    if not np.allclose(array, wanted, rtol=1e-9, atol=1e-12):
        return f"expected {np.array2string(wanted, precision=4)}, got {np.array2string(array, precision=4)}"
    return None


def _compare_layer_grads(got, expected):
    """A compare for check_function: None when ``got`` is the list [(dW_1, db_1), …, (dW_L, db_L)] of
    ``expected``, else the first difference, named by layer and array ("layer 1, db: expected shape (4,), …")."""
    if got is None or got is Ellipsis:
        return "it returned None: the body is still missing, or a return statement is"
    n = len(expected)
    if not isinstance(got, (list, tuple)) or len(got) != n:
        return (f"expected a list of {n} pairs (dW, db), one per layer in the order 1, …, {n}, "
                f"got {type(got).__name__} {got!r:.60}")
    pairs = all(isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in got)
    if pairs and n > 1 and all(_array_mismatch(value, wanted) is None
                               for pair, right in zip(got[::-1], expected) for value, wanted in zip(pair, right)):
        return (f"the pairs are in reverse order: the list starts with layer 1's (dW_1, db_1) and ends with "
                f"layer {n}'s, so store each pair at its layer's index, grads[layer] = (dW, db)")
    for number, (pair, (dW, db)) in enumerate(zip(got, expected), start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            return f"layer {number}: expected a pair (dW, db), got {type(pair).__name__} {pair!r:.60}"
        for name, value, wanted in (("dW", pair[0], dW), ("db", pair[1], db)):
            why = _array_mismatch(value, wanted)
            if why:
                return f"layer {number}, {name}: {why}"
    return None


def check_backward_layers(backward_layers):
    """Your turn: ``backward_layers(weights, activations, preactivations, delta, f_prime)`` returns
    [(dW_1, db_1), …, (dW_L, db_L)] in layer order by (06.2)–(06.4); checked on hidden networks (every
    activation, batch size 1, width 1) against the reference, which the tests check against finite differences.
    A difference is reported by layer and array: "layer 1, db: expected shape (4,), got shape (5,)"."""
    return check_function(
        backward_layers, _BACKWARD_CASES, _backward_layers_reference, mistakes=_BACKWARD_LAYERS_MISTAKES,
        compare=_compare_layer_grads, name="backward_layers",
        success=f"backward_layers gives every dW and db of all {len(_BACKWARD_CASES)} hidden networks "
                "(sigmoid, tanh, ReLU, softplus; batch size 1; width 1): (06.2)–(06.4) in one loop.",
    )


def broken_backward(weights, activations, preactivations, delta, f_prime):
    """A backward pass with one wrong line: find it."""
    grads = [None] * len(weights)
    for layer in reversed(range(len(weights))):
        dW = activations[layer].T @ delta
        db = delta.sum(axis=0)
        grads[layer] = (dW, db)
        if layer > 0:
            delta = (delta @ weights[layer].T) * f_prime(preactivations[layer])
    return grads


def numbered_source(fn):
    """The source of ``fn`` with line numbers, as the find-the-bug exercise shows it."""
    lines = inspect.getsource(fn).rstrip().splitlines()
    return "\n".join(f"{number:2d}  {line}" for number, line in enumerate(lines, start=1))


def _line_of(fn, text):
    return next(n for n, line in enumerate(inspect.getsource(fn).splitlines(), start=1) if text in line)


def check_broken_backward_line(answer):
    """Find the bug: the number of the wrong line of ``broken_backward`` (as ``numbered_source`` shows it)."""
    bug = _line_of(broken_backward, "delta = (delta @")
    hints = {
        _line_of(broken_backward, "dW = "): "dW = A_{l-1}ᵀ δ_l is (06.3) as written, and the last layer's dW passes "
                                            "the gradient check. Look at what changes δ between layers.",
        _line_of(broken_backward, "db = "): "the column sums are (06.4), and the last layer's db passes the check. "
                                            "Which line changes δ on its way down?",
        _line_of(broken_backward, "for layer in"): "the loop visits the layers last first, as it must: the last "
                                               "layer's gradients are right.",
    }
    return check_number(
        answer, bug, rtol=0.0, atol=1e-9,
        mistakes=list(hints.items()),
        hint=f"the last layer's gradients pass and every earlier layer's fail: the bug is in the line that "
             f"carries δ from one layer to the one below. Give that line's number (1 to "
             f"{len(inspect.getsource(broken_backward).splitlines())}).",
        success=f"line {bug}: f′ must be taken at the layer the signal arrives at, Z_l = preactivations[layer - 1], "
                "not at preactivations[layer]. The last layer was right because its δ never went through that line.",
    )


# ---- exercises: the check_* functions ----------------------------------------------------

NB06_EXERCISE = {
    "Z1": np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [0.0, -2.0]]),
    "W2": np.array([[0.8, -0.6], [0.3, 1.1]]),
    "delta2": np.array([[0.1, -0.2], [0.05, 0.3], [-0.15, 0.1], [0.2, 0.1]]),  # column sums 0.2, 0.3
    "logits": np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [0.0, 0.0, 3.0]]),
    "labels": np.array([0, 2, 2]),
}


def check_nb06_dW_shape(answer):
    """Exercise 1: the shape of dE/dW for a layer with 3 inputs and 5 units, batch of 32 samples."""
    if answer is None:
        return Feedback(False, NO_ANSWER)
    if not isinstance(answer, (tuple, list)) or not all(
        isinstance(n, (numbers.Integral, np.integer)) and not isinstance(n, bool) for n in answer
    ):
        return Feedback(False, f"expected a shape: a tuple of integers such as (2, 7), got {type(answer).__name__} "
                               f"{answer!r}.")
    shape = tuple(int(n) for n in answer)
    mistakes = {
        (5, 3): "that is the shape of Wᵀ. dE/dW must have exactly the shape of W, (n_in, n_out), "
                "so that W − η·dW makes sense.",
        (32, 5): "that is the shape of δ (one row per sample). dW = Xᵀδ sums over the 32 samples.",
        (32, 3): "that is the shape of the layer's input X. dW = Xᵀδ: (3, 32) times (32, 5).",
        (32, 3, 5): "one gradient per sample would be that big, but dW = Xᵀδ already adds the samples up.",
        (5,): "that is the shape of db, the bias gradient. W has a row per input and a column per unit.",
    }
    if shape == (3, 5):
        return Feedback(True, "dW has the shape of W, (n_in, n_out) = (3, 5): Xᵀ (3, 32) times δ (32, 5).")
    return Feedback(False, mistakes.get(shape, f"{shape} is not it. Write down the shapes of Xᵀ and δ and "
                                               "multiply: (a, b) @ (b, c) gives (a, c)."))


def _shape_mismatch(answer, shape, what):
    """Feedback for an array answer of the wrong shape where no sum is involved, else None.

    ``check_array``'s own shape message suggests checking the summed axis, which misleads here.
    """
    try:
        array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None
    if answer is None or array.shape == shape:
        return None
    return Feedback(False, f"expected shape {shape} ({what}), got shape {array.shape}.")


def _tanh_prime(z):
    return 1.0 - np.tanh(z) ** 2


def check_nb06_hidden_delta(answer):
    """Exercise 2: δ1 = (δ2 W2ᵀ) ⊙ f′(Z1) for the tanh hidden layer, from ``NB06_EXERCISE``."""
    Z1, W2, delta2 = NB06_EXERCISE["Z1"], NB06_EXERCISE["W2"], NB06_EXERCISE["delta2"]
    back = delta2 @ W2.T
    wrong_shape = _shape_mismatch(answer, back.shape, "like Z1: one row per sample, one column per unit")
    if wrong_shape is not None:
        return wrong_shape
    return check_array(
        answer, back * _tanh_prime(Z1),
        mistakes=[
            (delta2 @ W2 * _tanh_prime(Z1), "use W2 transposed: unit j of layer 1 feeds unit k of layer 2 through "
                                            "W2[j, k], so δ flows back along row j of W2 — that is δ2 @ W2.T."),
            (back, "you still need the local derivative: multiply element-wise by f′(Z1) = 1 − tanh(Z1)²."),
            (back * np.tanh(Z1), "multiply by the derivative f′(Z1) = 1 − tanh(Z1)², not by the activation tanh(Z1)."),
            (back * (1 - np.tanh(Z1)), "the derivative of tanh is 1 − tanh², with the square."),
        ],
        hint="start from δ2 @ W2.T (shape (4, 2)), then multiply element-wise by f′(Z1) for tanh.",
        success="δ1 = (δ2 W2ᵀ) ⊙ f′(Z1): the chain rule for every sample and unit at once.",
    )


def check_nb06_bias_gradient(answer):
    """Exercise 3: db2 = the column sums of δ2 (one number per unit of layer 2)."""
    delta2 = NB06_EXERCISE["delta2"]
    try:
        array = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is not None and array.shape == (delta2.shape[0],) and np.allclose(array, delta2.sum(axis=1)):
        return Feedback(False, "you summed each row (one number per sample). Sum down each column instead, "
                               "delta2.sum(axis=0): one number per unit, like b2.")
    if array is not None and array.ndim == 0 and np.isclose(array, delta2.sum()):
        return Feedback(False, "that is the sum of every entry; db2 needs one number per unit: delta2.sum(axis=0).")
    if (array is not None and array.ndim == 2 and array.size == delta2.shape[1]
            and np.allclose(array.ravel(), delta2.sum(axis=0))):
        return Feedback(False, f"the right numbers in shape {array.shape}: drop keepdims (or use .ravel()) — "
                               f"b2 has shape ({delta2.shape[1]},), and its gradient must too.")
    return check_array(
        answer, delta2.sum(axis=0),
        mistakes=[
            (delta2.mean(axis=0), "sum, don't average: the 1/n of the mean loss is already inside δ2."),
        ],
        hint="each bias b_j is added to every sample's z_j, so dE/db_j adds δ2[:, j] over all samples.",
        success="db = the column sums of δ: the bias is used by every sample, so its gradients add up.",
    )


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def check_nb06_softmax_gradient(answer):
    """Exercise 4: dE/dZ = (softmax(Z) − T) / n for the mean softmax cross-entropy, from ``NB06_EXERCISE``."""
    Z, labels = NB06_EXERCISE["logits"], NB06_EXERCISE["labels"]
    n = Z.shape[0]
    T = np.eye(Z.shape[1])[labels]
    P = _softmax(Z)
    wrong_shape = _shape_mismatch(answer, Z.shape, "like Z: one row per sample, one column per class")
    if wrong_shape is not None:
        return wrong_shape
    return check_array(
        answer, (P - T) / n,
        mistakes=[
            (P - T, "almost: E is the mean over the 3 samples, so divide by n = 3."),
            ((T - P) / n, "the sign is flipped: it is prediction minus target, softmax(Z) − T."),
            (T - P, "two slips: it is softmax(Z) − T (prediction minus target), divided by n = 3."),
            (P / n, "subtract the one-hot targets T: np.eye(3)[labels]."),
        ],
        hint="turn the labels into one-hot rows T = np.eye(3)[labels], then compute (softmax(Z) − T) / n.",
        success="the output error signal is simply prediction minus target (divided by n).",
    )

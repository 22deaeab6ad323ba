"""Notebook 06 demo: train a small network on the two moons and watch its decision boundary."""

import numpy as np

from ..activations import _sigmoid
from ..datasets import make_moons
from ..mlp import MLP
from ..optimizers import SGD
from ..plotting.curves import plot_loss_curve
from ..plotting.networks import DecisionBoundaryPlot
from ..plotting.style import COLORS, new_figure
from ..widgets import Demo, int_slider, log_slider

__all__ = ["moons_training_demo"]

MAX_STEPS = 1000
BLOW_UP = 1e3  # a loss above this (random guessing gives about 0.69) counts as diverged


class _Run:
    """One training run (hidden width, η), extended lazily; the parameters after every step are kept."""

    def __init__(self, X, T, hidden, learning_rate):
        self.X, self.T = X, T
        self.net = MLP([2, hidden, 1], activation="tanh", output_activation="identity", seed=0)
        self.params = self.net.parameters()
        self.optimizer = SGD(learning_rate)
        self.losses, self.snapshots = [], []
        self.diverged_at = None

    def advance(self, steps):
        """Train until the loss after ``steps`` updates is known (or the run has diverged)."""
        X, T, n = self.X, self.T, self.X.shape[0]
        while len(self.losses) <= steps and self.diverged_at is None:
            z = self.net.forward(X)
            loss = float(np.mean(np.logaddexp(0.0, z) - T * z))  # binary cross-entropy from logits
            if not np.isfinite(loss) or loss > BLOW_UP:
                self.diverged_at = len(self.losses)
                break
            self.losses.append(loss)
            self.snapshots.append([p.copy() for p in self.params])
            if len(self.losses) > MAX_STEPS:
                break
            self.net.backward((_sigmoid(z) - T) / n)  # dE/dz = (prediction − target) / n
            self.optimizer.step(self.params, self.net.gradients())


def moons_training_demo(hidden=8, learning_rate=3.0, steps=500):
    """Train MLP([2, hidden, 1]) (tanh hidden units, sigmoid output, binary cross-entropy) on
    200 two-moons points by full-batch gradient descent; sliders for hidden width, η and steps.

    Left: the predicted probability of class 1 and the decision boundary (where it is 0.5).
    Right: the loss per step.  Runs are cached per (width, η), so the steps slider is instant.
    """
    X, t = make_moons(200, noise=0.15, seed=0)
    T = t[:, None].astype(float)
    fig, (ax_boundary, ax_loss) = new_figure("wide", ncols=2)
    boundary = DecisionBoundaryPlot(ax_boundary, X, t, resolution=80)
    ax_boundary.set_title("prediction P(class 1) and decision boundary")
    line = plot_loss_curve(ax_loss, [1.0], color=COLORS["curve"])
    line.set_marker("")
    ax_loss.set_yscale("log")
    ax_loss.set_title("training loss (binary cross-entropy)")
    ax_loss.set_xlabel("steps")      # as the slider calls them
    (current,) = ax_loss.plot([], [], "o", color=COLORS["point"], ms=7, zorder=3)
    current.set_clip_on(False)       # the marker sits on the right edge: draw all of it
    runs = {}
    display_net = {}

    def get_run(width, eta):
        key = (int(width), float(eta))
        if key not in runs:
            if len(runs) >= 40:
                runs.pop(next(iter(runs)))
            runs[key] = _Run(X, T, int(width), float(eta))
        return runs[key]

    def update(hidden=hidden, learning_rate=learning_rate, steps=steps):
        hidden, steps = int(hidden), int(steps)
        with np.errstate(under="ignore"):  # exp underflowing to 0 is harmless
            run = get_run(hidden, learning_rate)
            run.advance(steps)
            shown = min(steps, len(run.losses) - 1)
            if hidden not in display_net:
                display_net[hidden] = MLP([2, hidden, 1], activation="tanh")
            net = display_net[hidden]
            for target, value in zip(net.parameters(), run.snapshots[shown], strict=True):
                target[...] = value
            boundary.update(lambda grid: _sigmoid(net.forward(grid)))
            accuracy = float(np.mean((net.forward(X)[:, 0] > 0) == (t == 1)))
        losses = np.clip(run.losses[: shown + 1], 1e-6, BLOW_UP)
        line.set_data(np.arange(losses.size), losses)
        current.set_data([shown], [losses[-1]])
        ax_loss.set_xlim(0, max(steps, 1))
        low, high = min(losses.min(), 0.1), max(losses.max(), 1.0)
        ax_loss.set_ylim(10 ** np.floor(np.log10(low)), 10 ** np.ceil(np.log10(high)))
        eta = f"η = {learning_rate:.3g}"
        if run.diverged_at is not None and steps >= run.diverged_at:
            after = f"{run.diverged_at} step{'' if run.diverged_at == 1 else 's'}"
            return (f"diverged after {after}: the loss passed {BLOW_UP:g} — {eta} is far too large "
                    f"(hidden width {hidden})")
        if losses[-1] > run.losses[0]:
            # a rise above the start is not yet divergence: with a large η the loss often jumps
            # around for a while and then settles (width 8, η = 10: 1.51 after 10 steps, 0.0078 after 100)
            above = f"the loss {run.losses[shown]:.3g} is above its start {run.losses[0]:.3g}"
            if shown < MAX_STEPS:
                return (f"unstable: after {shown} steps {above} — with {eta} the loss jumps around; move the "
                        f"steps slider on to see whether it settles (hidden width {hidden})")
            return (f"unstable: after {shown} steps {above} — with {eta} the loss jumps around and has not "
                    f"settled: η is too large (hidden width {hidden})")
        return (f"after {shown} steps: loss E = {run.losses[shown]:.4f}, training accuracy "
                f"{accuracy:.1%} (hidden width {hidden}, {eta})")

    update()
    fig.canvas.draw()                # lay the figure out once at the initial values ...
    fig.set_layout_engine("none")    # ... and keep that layout: each redraw is then ~30% faster
    controls = {
        "hidden": int_slider("hidden width", 1, 32, hidden),
        "learning_rate": log_slider("η (learning rate)", 1e-3, 100.0, learning_rate),
        "steps": int_slider("steps", 0, MAX_STEPS, steps, step=10),
    }
    return Demo(fig, update, controls)

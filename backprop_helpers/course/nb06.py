"""Notebook 06 · Backpropagation through many layers: the companion module.

Checks for notebook 06's exercises (backpropagation through many layers, in matrix form).

The arrays the exercises use are in ``NB06_EXERCISE``: a batch of 4 samples, a tanh hidden
layer of width 2 with pre-activations ``Z1``, the next layer's weights ``W2`` (2, 2) and its
error signal ``delta2`` (4, 2); and for the softmax exercise, ``logits`` (3, 3) with class
labels ``labels``.  Each check recognises the usual slips (W instead of Wᵀ, a forgotten f′,
a mean instead of a sum, the wrong axis, a lost 1/n) and says so.

Notebook 06 demo: train a small network on the two moons and watch its decision boundary.
"""

import numbers

import numpy as np

from ..activations import _sigmoid
from ..datasets import make_moons
from ..feedback import NO_ANSWER, Feedback, check_array
from ..mlp import MLP
from ..optimizers import SGD
from ..plotting.curves import plot_loss_curve
from ..plotting.networks import DecisionBoundaryPlot
from ..plotting.style import COLORS, new_figure
from ..widgets import Demo, int_slider, log_slider

__all__ = [
    "NB06_EXERCISE",
    "check_nb06_dW_shape",
    "check_nb06_hidden_delta",
    "check_nb06_bias_gradient",
    "check_nb06_softmax_gradient",
    "moons_training_demo",
]


# ---- exercises: the check_* functions ----------------------------------------------------

NB06_EXERCISE = {
    "Z1": np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [0.0, -2.0]]),
    "W2": np.array([[0.8, -0.6], [0.3, 1.1]]),
    "delta2": np.array([[0.1, -0.2], [0.05, 0.3], [-0.15, 0.1], [0.2, 0.0]]),
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


# ---- demos -------------------------------------------------------------------------------

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

"""Measuring vanishing and exploding gradients, and the remedies (notebook 07).

- ``DeepNet``: a deep stack of equal-width layers ``a_l = f(a_{l-1} W_l + b_l)`` with two
  optional remedies: a residual connection ``a_l = a_{l-1} + f(...)`` and normalisation of
  each layer's pre-activations over the batch (batch-norm style, without learned scale).
- ``layer_gradient_norms(model, X, grad_output)``: the norm ‖∂E/∂W_l‖ of every layer,
  first layer first, for ``DeepNet`` or any model with ``forward``/``backward`` (``MLP``).
- ``activation_variances(model, X)``: the variance of every layer's pre-activation z_l.
- ``gradient_health(norms)``: a one-line verdict ("vanishing", "exploding", "healthy").

Batch-first, as in notebook 06: X has shape (n_samples, n_in) and W_l has shape (n_in, n_out).
"""

import math
import numbers

import numpy as np

from .activations import RAW
from .mlp import init_weights

__all__ = [
    "DeepNet",
    "layer_gradient_norms",
    "activation_variances",
    "gradient_health",
    "fixed_error_signal",
]

SCHEMES = ("normal", "xavier", "he")
NET_ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
NORM_EPS = 1e-5


def _check_int(value, name, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    return int(value)


def _check_positive(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return float(value)


def _check_choice(value, name, options):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a name (str), got {type(value).__name__}")
    if value not in options:
        raise ValueError(f"{name} {value!r} is unknown; expected one of: {', '.join(options)}")
    return value


def _safe_norm(array):
    """‖array‖ without overflowing in the squares (scale by the largest entry first)."""
    largest = float(np.max(np.abs(array))) if array.size else 0.0
    if largest == 0.0 or not math.isfinite(largest):
        return largest
    return largest * float(np.linalg.norm(array / largest))


class DeepNet:
    """A deep network of ``depth`` layers of ``width`` units (notebook 07).

    Layer l computes z_l = a_{l-1} W_l + b_l, optionally normalises it over the batch,
    ẑ_l = (z_l − mean) / sqrt(var + 1e-5), then a_l = f(ẑ_l), or with a residual connection
    a_l = a_{l-1} + f(ẑ_l).  The last layer's a_L is the output.  Weights are drawn from
    N(0, σ_w²) by ``init_weights(n_in, width, init, gain)``; biases start at 0.

    ``forward(X)`` stores every z_l (``preactivations``) and a_l (``activations``, a_0 = X);
    ``backward(grad_output)`` takes ∂E/∂a_L, stores the error signals δ_l = ∂E/∂z_l
    (``deltas``) and returns ``[(dW, db), ...]``, first layer first.
    """

    def __init__(self, depth=10, width=32, activation="relu", init="he", gain=1.0,
                 residual=False, normalize=False, seed=0, n_in=None):
        self.depth = _check_int(depth, "depth", 1)
        self.width = _check_int(width, "width", 1)
        self.n_in = self.width if n_in is None else _check_int(n_in, "n_in", 1)
        self.activation = _check_choice(activation, "activation", NET_ACTIVATIONS)
        self.init = _check_choice(init, "init", SCHEMES)
        self.gain = _check_positive(gain, "gain")
        if not isinstance(residual, (bool, np.bool_)):
            raise TypeError(f"residual must be True or False, got {residual!r}")
        if not isinstance(normalize, (bool, np.bool_)):
            raise TypeError(f"normalize must be True or False, got {normalize!r}")
        self.residual, self.normalize = bool(residual), bool(normalize)
        self.f, self.f_prime = RAW[self.activation]
        rng = np.random.default_rng(seed)
        self.weights, self.biases = [], []
        for layer in range(self.depth):
            n_in_layer = self.n_in if layer == 0 else self.width
            self.weights.append(init_weights(n_in_layer, self.width, self.init, self.gain, rng))
            self.biases.append(np.zeros(self.width))
        self._cache = None

    def _skips(self, layer):
        return self.residual and self.weights[layer].shape[0] == self.width

    def forward(self, X):
        """Run the batch X (n_samples, n_in) through every layer; return a_L."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_in:
            raise ValueError(f"X must have shape (n_samples, {self.n_in}), got {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or inf; expected finite numbers")
        a = X
        self.activations, self.preactivations, cache = [X], [], []
        for layer, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = a @ W + b
            if self.normalize:
                inv_std = 1.0 / np.sqrt(z.var(axis=0) + NORM_EPS)
                z_hat = (z - z.mean(axis=0)) * inv_std
            else:
                inv_std, z_hat = None, z
            a = a + self.f(z_hat) if self._skips(layer) else self.f(z_hat)
            self.preactivations.append(z)
            self.activations.append(a)
            cache.append((z_hat, inv_std))
        self._cache = cache
        return a

    def backward(self, grad_output):
        """Backpropagate ∂E/∂a_L (shaped like the output); return ``[(dW, db), ...]``."""
        if self._cache is None:
            raise RuntimeError("call forward(X) before backward(grad_output)")
        grad = np.asarray(grad_output, dtype=np.float64)
        if grad.shape != self.activations[-1].shape:
            raise ValueError(f"grad_output must have shape {self.activations[-1].shape}, got {grad.shape}")
        grads, deltas = [], []
        for layer in reversed(range(self.depth)):
            z_hat, inv_std = self._cache[layer]
            g = grad * self.f_prime(z_hat)                      # ∂E/∂ẑ_l
            if self.normalize:                                  # back through the standardisation
                g = inv_std * (g - g.mean(axis=0) - z_hat * (g * z_hat).mean(axis=0))
            deltas.append(g)                                    # δ_l = ∂E/∂z_l
            grads.append((self.activations[layer].T @ g, g.sum(axis=0)))
            back = g @ self.weights[layer].T
            grad = back + grad if self._skips(layer) else back  # the skip passes ∂E/∂a_l unchanged
        self.deltas = deltas[::-1]
        self._grads = grads[::-1]
        return self._grads

    def parameters(self):
        """[W_1, b_1, W_2, b_2, ...] (the arrays themselves, so an optimiser can update them)."""
        return [p for pair in zip(self.weights, self.biases) for p in pair]

    def gradients(self):
        """[dW_1, db_1, dW_2, db_2, ...] from the last ``backward`` call."""
        return [g for pair in self._grads for g in pair]


def fixed_error_signal(n_samples, n_out, seed=1):
    """A fixed random error signal ∂E/∂a_L of shape (n_samples, n_out), entries ±1/n_samples.

    It is the gradient of E = (1/n)·Σ g·a_L for a fixed random sign pattern g: feeding the same
    signal into every network isolates what the layers do to it on the way back (notebook 07).
    """
    n_samples = _check_int(n_samples, "n_samples", 1)
    n_out = _check_int(n_out, "n_out", 1)
    signs = np.random.default_rng(seed).choice([-1.0, 1.0], size=(n_samples, n_out))
    return signs / n_samples


def layer_gradient_norms(model, X, grad_output):
    """‖∂E/∂W_l‖ (Frobenius norm) of every layer, first layer first (notebook 07).

    Runs ``model.forward(X)`` and ``model.backward(grad_output)``; ``grad_output`` is ∂E/∂y,
    an array shaped like the output.  Works for ``DeepNet`` and ``MLP``.  If a number leaves
    float64's range (about 1e308) an ``OverflowError`` is raised instead of returning inf.
    """
    if not (hasattr(model, "forward") and hasattr(model, "backward")):
        raise TypeError(f"model must have forward and backward methods, got {type(model).__name__}")
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        try:
            model.forward(X)
            grads = model.backward(grad_output)
            norms = np.array([_safe_norm(np.asarray(dW)) for dW, _ in grads])
        except FloatingPointError as err:
            raise OverflowError(f"the numbers overflowed float64 (above about 1e308): {err}") from err
    if not np.isfinite(norms).all():
        raise OverflowError("the numbers overflowed float64 (above about 1e308)")
    return norms


def activation_variances(model, X, of="z"):
    """Variance of every layer's pre-activation z_l (``of="z"``) or output a_l (``of="a"``).

    First layer first, each over all samples and units (notebook 07, "the variance argument").
    Needs a model that stores ``preactivations``/``activations`` in ``forward`` (``DeepNet``).
    """
    of = _check_choice(of, "of", ("z", "a"))
    if not hasattr(model, "forward"):
        raise TypeError(f"model must have a forward method, got {type(model).__name__}")
    with np.errstate(over="raise", invalid="raise", under="ignore"):
        try:
            model.forward(X)
            arrays = model.preactivations if of == "z" else model.activations[1:]
            return np.array([float(np.var(a)) for a in arrays])
        except FloatingPointError as err:
            raise OverflowError(f"the activations overflowed float64 (above about 1e308): {err}") from err
        except AttributeError as err:
            raise TypeError("model must store preactivations and activations in forward (as DeepNet does)") from err


def _power_of_ten(x):
    """1.2e-09 → '1e-09' style rounding: the nearest power of ten as text."""
    if x == 0:
        return "0"
    return f"1e{int(round(math.log10(x))):+03d}"


def gradient_health(norms, vanish=1e-2, explode=1e2):
    """Classify per-layer gradient norms: ``(verdict, sentence)``.

    Vanishing when the first layer's norm is below ``vanish`` × the last's (or every norm is
    below 1e-4); exploding when it is above ``explode`` × the last's (or any norm exceeds 1e4);
    otherwise healthy.  Numbers are rounded, so the sentence is the same on every machine.
    """
    norms = np.asarray(norms, dtype=np.float64)
    if norms.ndim != 1 or norms.size == 0:
        raise ValueError(f"norms must be a non-empty 1-D array, got shape {norms.shape}")
    if not np.isfinite(norms).all() or (norms < 0).any():
        raise ValueError("norms must be finite and non-negative")
    first, last, largest = norms[0], norms[-1], norms.max()
    if last == 0:
        return "vanishing", "vanishing: the last layer's gradient is exactly 0"
    ratio = first / last
    if ratio < vanish:
        return "vanishing", f"vanishing: first-layer gradient is {_power_of_ten(ratio)} of the last"
    if ratio > explode:
        return "exploding", f"exploding: first-layer gradient is {_power_of_ten(ratio)} × the last"
    if largest > 1e4:
        return "exploding", f"exploding: every layer's gradient is about {_power_of_ten(largest)}"
    if largest < 1e-4:
        return "vanishing", f"vanishing: every layer's gradient is about {_power_of_ten(largest)}"
    return "healthy", f"healthy: first/last = {ratio:.2g}, norms between {norms.min():.2g} and {largest:.2g}"

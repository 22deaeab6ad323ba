"""A vectorised multi-layer perceptron with a hand-written backward pass (notebook 06).

Batch first: a batch X has one sample per row, shape (n_samples, n_in).  Layer l computes

    Z_l = A_{l-1} @ W_l + b_l        (W_l shaped (n_in, n_out), b_l shaped (n_out,))
    A_l = f(Z_l)                     (A_0 = X; the last layer uses ``output_activation``)

and the backward pass, given dE/dA_L, runs the matrix form of the chain rule:

    δ_L = dE/dA_L * f'(Z_L)
    δ_l = (δ_{l+1} @ W_{l+1}ᵀ) * f'(Z_l)
    dE/dW_l = A_{l-1}ᵀ @ δ_l,   dE/db_l = δ_l summed over the rows (samples).
"""

import numbers

import numpy as np

from .activations import RAW, get_activation

__all__ = ["init_weights", "MLP"]

INIT_SCHEMES = ("normal", "xavier", "he")


# Fast activations for the training loop.  Each layer keeps A = f(Z), and the backward pass
# gets f'(Z) from A where it can (sigmoid: a(1 − a), tanh: 1 − a²), so f is never evaluated
# twice.  ``_BACK[name](delta, a, z)`` returns delta ⊙ f'(z) as a new array.
def _sigmoid(z):
    # Clipping z to ±500 keeps exp finite and never subnormal (no overflow or underflow flags);
    # it changes only values below 1e-217.  Several times faster than the split form for big arrays.
    e = np.clip(z, -500.0, 500.0)
    np.negative(e, out=e)
    np.exp(e, out=e)
    e += 1.0
    return np.reciprocal(e, out=e)


def _sigmoid_back(delta, a, z):
    g = 1.0 - a
    g *= a
    g *= delta
    return g


def _tanh_back(delta, a, z):
    g = a * a
    np.subtract(1.0, g, out=g)
    g *= delta
    return g


def _relu_back(delta, a, z):
    return delta * (z > 0)


def _softplus_back(delta, a, z):
    g = _sigmoid(z)
    g *= delta
    return g


def _generic_back(f_prime):
    """For an activation without a fast path above: delta ⊙ f'(z) from the unchecked RAW f'."""
    return lambda delta, a, z: delta * f_prime(z)


_FORWARD = {"sigmoid": _sigmoid, "tanh": np.tanh, "relu": RAW["relu"][0], "softplus": RAW["softplus"][0]}
_BACK = {"sigmoid": _sigmoid_back, "tanh": _tanh_back, "relu": _relu_back, "softplus": _softplus_back}


def _check_size(value, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be a positive integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def _as_rng(rng):
    if rng is None:
        return np.random.default_rng(0)
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator, an integer seed or None, got {type(rng).__name__}")


def init_weights(n_in, n_out, scheme="xavier", gain=1.0, rng=None):
    """A weight matrix shaped (n_in, n_out) drawn from a normal distribution (notebooks 06 and 07).

    ``scheme`` sets the standard deviation:

    - ``"normal"``: std = gain
    - ``"xavier"`` (Glorot normal, suits tanh): std = gain·√(2 / (n_in + n_out))
    - ``"he"`` (suits ReLU): std = gain·√(2 / n_in)

    ``rng`` is a ``numpy.random.Generator``, an integer seed, or None (seed 0, so results repeat).
    """
    n_in = _check_size(n_in, "n_in")
    n_out = _check_size(n_out, "n_out")
    if not isinstance(scheme, str):
        raise TypeError(f"scheme must be a name (str), got {type(scheme).__name__}")
    if scheme not in INIT_SCHEMES:
        raise ValueError(f"scheme {scheme!r} is unknown; expected one of: {', '.join(INIT_SCHEMES)}")
    if isinstance(gain, (bool, np.bool_)) or not isinstance(gain, (numbers.Real, np.floating)):
        raise TypeError(f"gain must be a non-negative number, got {type(gain).__name__}")
    if not (np.isfinite(gain) and gain >= 0):
        raise ValueError(f"gain must be a non-negative finite number, got {gain!r}")
    rng = _as_rng(rng)
    if scheme == "normal":
        std = gain
    elif scheme == "xavier":
        std = gain * np.sqrt(2.0 / (n_in + n_out))
    else:
        std = gain * np.sqrt(2.0 / n_in)
    return rng.normal(0.0, 1.0, size=(n_in, n_out)) * std


class MLP:
    """A fully connected network: ``MLP([2, 8, 1], activation="tanh")`` (notebook 06).

    ``layer_sizes`` lists the width of the input, each hidden layer and the output.
    ``activation`` is used in every hidden layer, ``output_activation`` in the last one
    ("identity" gives logits or regression outputs).  Attributes after construction:
    ``weights`` (list of (n_in, n_out) arrays), ``biases`` (list of (n_out,) arrays, zeros).
    After ``forward``: ``output``.  After ``backward``: ``grads`` (list of (dW, db)) and
    ``deltas`` (list of the error signals δ_l, one (n_samples, n_out) array per layer).
    """

    def __init__(self, layer_sizes, activation="sigmoid", output_activation="identity",
                 init="xavier", seed=0, gain=1.0):
        if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
            raise TypeError(f"layer_sizes must be a list of positive integers, got {type(layer_sizes).__name__}")
        if len(layer_sizes) < 2:
            raise ValueError(f"layer_sizes needs at least an input and an output size, got {list(layer_sizes)}")
        sizes = [_check_size(n, f"layer_sizes[{i}]") for i, n in enumerate(layer_sizes)]
        for name, value in (("activation", activation), ("output_activation", output_activation)):
            try:
                get_activation(value)
            except (TypeError, ValueError) as err:
                raise type(err)(f"{name}: {err}") from None
        rng = _as_rng(seed)
        self.layer_sizes = sizes
        self.activation = activation
        self.output_activation = output_activation
        self.weights = [init_weights(n_in, n_out, init, gain, rng)
                        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
        self.biases = [np.zeros(n_out) for n_out in sizes[1:]]
        names = [activation] * (len(sizes) - 2) + [output_activation]
        # None marks the identity: skip the copy forward and the multiply-by-one backward.
        self._f = [None if name == "identity" else _FORWARD.get(name, RAW[name][0]) for name in names]
        self._back = [None if name == "identity" else _BACK.get(name, _generic_back(RAW[name][1])) for name in names]
        self._inputs = None  # A_{l-1} of every layer, cached by forward
        self._z = None       # Z_l of every layer, cached by forward
        self._a = None       # A_l of every layer, cached by forward
        self.output = None
        self.grads = None
        self.deltas = None

    def __repr__(self):
        return (f"MLP({self.layer_sizes}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r})")

    def forward(self, X):
        """Return the network's output A_L for a batch X shaped (n_samples, n_in); cache Z and A."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"X must have shape (n_samples, {self.layer_sizes[0]}), got shape {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("X contains NaN or inf; expected finite numbers")
        inputs, zs, outputs = [], [], []
        A = X
        for W, b, f in zip(self.weights, self.biases, self._f, strict=True):
            inputs.append(A)
            Z = A @ W
            Z += b
            zs.append(Z)
            A = Z if f is None else f(Z)
            outputs.append(A)
        self._inputs, self._z, self._a, self.output = inputs, zs, outputs, A
        return A

    __call__ = forward

    def backward(self, grad_output):
        """Backpropagate dE/dA_L (shaped like the output); return and store [(dW, db), ...] per layer."""
        if self._z is None:
            raise RuntimeError("call forward(X) before backward(grad_output)")
        # a copy, so that ``deltas`` never aliases the caller's array (with an identity output,
        # δ_L would otherwise be grad_output itself)
        delta = np.array(grad_output, dtype=np.float64)
        if delta.shape != self.output.shape:
            raise ValueError(f"grad_output must have the shape of the output {self.output.shape}, "
                             f"got shape {delta.shape}")
        n_layers = len(self.weights)
        grads = [None] * n_layers
        deltas = [None] * n_layers
        for layer in range(n_layers - 1, -1, -1):
            back = self._back[layer]
            if back is not None:
                delta = back(delta, self._a[layer], self._z[layer])   # δ_l = (dE/dA_l) ⊙ f'(Z_l)
            deltas[layer] = delta
            grads[layer] = (self._inputs[layer].T @ delta, delta.sum(axis=0))
            if layer:
                delta = delta @ self.weights[layer].T      # dE/dA_{l-1} = δ_l W_lᵀ
        self.grads, self.deltas = grads, deltas
        return grads

    def parameters(self):
        """The parameter arrays themselves, [W1, b1, W2, b2, ...]; an optimizer updates them in place."""
        return [p for W, b in zip(self.weights, self.biases, strict=True) for p in (W, b)]

    def parameter_names(self):
        """Names for ``parameters()`` in the same order: ["W1", "b1", "W2", "b2", ...]."""
        return [f"{kind}{layer}" for layer in range(1, len(self.weights) + 1) for kind in ("W", "b")]

    def gradients(self):
        """The gradients of the last ``backward`` in the order of ``parameters()``: [dW1, db1, ...]."""
        if self.grads is None:
            raise RuntimeError("call backward(grad_output) before gradients()")
        return [g for pair in self.grads for g in pair]

    def train_step(self, X, T, optimizer):
        """One step of training on the mean squared error E = (1/N) Σ (A_L − T)², N = T.size:
        forward, dE/dA_L = 2(A_L − T)/N (notebook 06, eq. for MSE), backward, then
        ``optimizer`` updates every parameter in place.  Returns E before the update.

        X and T are checked once here; the steps inside then skip their own argument checks,
        so a step of a small network costs little more than the same loop written by hand.
        A non-finite return value means the run diverged.
        """
        A = self.forward(X)
        T = np.asarray(T, dtype=np.float64)
        if T.shape != A.shape:
            raise ValueError(f"T must have the shape of the output {A.shape}, got shape {T.shape}")
        if not np.isfinite(T).all():
            raise ValueError("T contains NaN or inf; expected finite numbers")
        residual = A - T
        flat = residual.reshape(-1)
        loss = float(flat @ flat) / T.size  # the mean of the squares, as one dot product
        self.backward((2.0 / T.size) * residual)
        optimizer.apply(self.parameters(), self.gradients())
        return loss

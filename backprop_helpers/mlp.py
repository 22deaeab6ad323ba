"""A vectorised multi-layer perceptron with a hand-written backward pass (notebook 06).

Batch first: a batch X has one sample per row, shape (n_samples, n_in).  Layer l computes
Z_l = A_{l-1} W_l + b_l and A_l = f(Z_l), with A_0 = X, W_l shaped (n_in, n_out) and b_l (n_out,);
``MLP.backward`` runs the matrix form of the chain rule (notebook 06, eq. 06.2).
"""

import numpy as np

from . import activations, losses
from .activations import RAW
from .optimizers import clip_by_norm
from .validation import as_float_array, choice, count, flag, real, rng_from

__all__ = ["init_weights", "MLP", "mlp_objective", "set_parameters", "LOGISTIC", "SOFTMAX", "MSE"]

INIT_SCHEMES = ("normal", "xavier", "he")


# Fast activations for the training loop: each layer keeps A = f(Z), so f is never evaluated twice.
def _sigmoid(z):
    # Clipping z to ±500 keeps exp finite and never subnormal (no overflow or underflow flags);
    # it changes only values below 1e-217.  Several times faster than the split form for big arrays.
    e = np.clip(z, -500.0, 500.0)
    np.negative(e, out=e)
    np.exp(e, out=e)
    e += 1.0
    return np.reciprocal(e, out=e)


# delta ⊙ f'(z) for the backward pass, from a = f(z) where it can (sigmoid: a(1 − a), tanh: 1 − a²)
_FORWARD = {"sigmoid": _sigmoid, "tanh": np.tanh, "relu": RAW["relu"][0], "softplus": RAW["softplus"][0]}
_BACK = {
    "sigmoid": lambda delta, a, z: delta * a * (1.0 - a),
    "tanh": lambda delta, a, z: delta * (1.0 - a * a),
    "relu": lambda delta, a, z: delta * (z > 0),
    "softplus": lambda delta, a, z: delta * _sigmoid(z),
}


def init_weights(n_in, n_out, scheme="xavier", gain=1.0, rng=None):
    """A weight matrix shaped (n_in, n_out) drawn from a normal distribution (notebooks 06 and 07).

    ``scheme`` sets the standard deviation:

    - ``"normal"``: std = gain
    - ``"xavier"`` (Glorot normal, suits tanh): std = gain·√(2 / (n_in + n_out))
    - ``"he"`` (suits ReLU): std = gain·√(2 / n_in)

    ``rng`` is a ``numpy.random.Generator``, an integer seed, or None (seed 0, so results repeat).
    """
    n_in, n_out = count(n_in, "n_in", low=1), count(n_out, "n_out", low=1)
    scheme = choice(scheme, "scheme", INIT_SCHEMES)
    gain = real(gain, "gain", low=0.0, low_open=True, high=1e100)
    rng = rng_from(rng, "rng")
    if scheme == "normal":
        std = gain
    elif scheme == "xavier":
        std = gain * np.sqrt(2.0 / (n_in + n_out))
    else:
        std = gain * np.sqrt(2.0 / n_in)
    return rng.normal(0.0, 1.0, size=(n_in, n_out)) * std


NORM_EPS = 1e-5  # ε in the normalisation ẑ = (z − mean) / √(var + ε)


class MLP:
    """A fully connected network, batch first (notebooks 06 and 07): ``MLP([2, 8, 1], "tanh")``.

    ``layer_sizes`` lists the widths of the input, each hidden layer and the output.
    ``activation`` is used in every hidden layer, ``output_activation`` in the last one
    ("identity" gives logits or regression outputs).  Two remedies of notebook 07 are options:

    - ``normalize=True``: each layer standardises its pre-activations over the batch,
      ẑ = (z − mean)/√(var + ε), before f (batch normalisation without a learned scale);
    - ``residual=True``: a layer whose input and output widths match adds its input,
      a_l = a_{l−1} + f(ẑ_l), so the backward pass also carries ∂E/∂a_l past the layer.

    Attributes: ``weights`` [(n_in, n_out) arrays], ``biases`` [(n_out,) arrays, zeros].
    After ``forward(X)``: ``activations`` [A_0 = X, A_1, …, A_L] and ``preactivations``
    [Z_1, …, Z_L].  After ``backward``: ``deltas`` [δ_l = ∂E/∂Z_l] and ``grads`` [(dW_l, db_l)].
    """

    def __init__(self, layer_sizes, activation="sigmoid", output_activation="identity",
                 init="xavier", seed=0, gain=1.0, residual=False, normalize=False):
        if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
            raise TypeError(f"layer_sizes must be a list of positive integers, got {type(layer_sizes).__name__}")
        if len(layer_sizes) < 2:
            raise ValueError(f"layer_sizes needs at least an input and an output size, got {list(layer_sizes)}")
        sizes = [count(n, f"layer_sizes[{i}]", low=1, high=100_000) for i, n in enumerate(layer_sizes)]
        choice(activation, "activation", tuple(RAW)), choice(output_activation, "output_activation", tuple(RAW))
        self.residual, self.normalize = flag(residual, "residual"), flag(normalize, "normalize")
        init = choice(init, "init", INIT_SCHEMES)
        rng = rng_from(seed)
        self.layer_sizes, self.activation, self.output_activation = sizes, activation, output_activation
        self.weights = [init_weights(n_in, n_out, init, gain, rng) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.zeros(n_out) for n_out in sizes[1:]]
        names = [activation] * (len(sizes) - 2) + [output_activation]
        # None marks the identity: skip the copy forward and the multiply-by-one backward.
        self._f = [None if name == "identity" else _FORWARD[name] for name in names]
        self._back = [None if name == "identity" else _BACK[name] for name in names]
        self.activations = self.preactivations = self.deltas = self.grads = None

    def __repr__(self):
        extras = "".join(f", {k}=True" for k in ("residual", "normalize") if getattr(self, k))
        return (f"MLP({self.layer_sizes}, activation={self.activation!r}, "
                f"output_activation={self.output_activation!r}{extras})")

    @property
    def output(self):
        """A_L from the last ``forward``."""
        return None if self.activations is None else self.activations[-1]

    def _skips(self, layer):
        return self.residual and self.weights[layer].shape[0] == self.weights[layer].shape[1]

    def forward(self, X):
        """Return the network's output A_L for a batch X shaped (n_samples, n_in); keep every Z and A."""
        X = as_float_array(X, "X", finite=True)
        if X.ndim != 2 or X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"X must have shape (n_samples, {self.layer_sizes[0]}), got shape {X.shape}")
        if self.normalize and len(X) < 2:
            raise ValueError("X needs at least 2 samples to normalise over the batch, got 1")
        A, activations, preactivations, outputs, normalized = X, [X], [], [], []
        for layer, (W, b, f) in enumerate(zip(self.weights, self.biases, self._f)):
            Z = A @ W
            Z += b                                                   # Z_l = A_{l-1} W_l + b_l
            preactivations.append(Z)
            if self.normalize:
                inv_std = 1.0 / np.sqrt(Z.var(axis=0) + NORM_EPS)
                Z = (Z - Z.mean(axis=0)) * inv_std                   # ẑ_l
                normalized.append((Z, inv_std))
            out = Z if f is None else f(Z)                           # A_l = f(Z_l)
            outputs.append(out)
            A = A + out if self._skips(layer) else out
            activations.append(A)
        self.activations, self.preactivations = activations, preactivations
        self._outputs, self._normalized = outputs, normalized  # f(Z_l) before any skip; (ẑ_l, 1/σ_l)
        return A

    __call__ = forward

    def backward(self, grad_output):
        """Backpropagate dE/dA_L (shaped like the output) through every layer, last first:

            δ_l = dE/dA_l ⊙ f′(Z_l),   dW_l = A_{l-1}ᵀ δ_l,   db_l = Σ_rows δ_l,   dE/dA_{l-1} = δ_l W_lᵀ

        Returns and stores ``grads`` [(dW_l, db_l)]; stores ``deltas`` [δ_l].
        """
        if self.activations is None:
            raise RuntimeError("call forward(X) before backward(grad_output)")
        # a copy, so that ``deltas`` never aliases the caller's array
        dA = as_float_array(grad_output, "grad_output", finite=True).copy()
        if dA.shape != self.output.shape:
            raise ValueError(f"grad_output must have the output's shape {self.output.shape}, got {dA.shape}")
        n_layers = len(self.weights)
        grads, deltas = [None] * n_layers, [None] * n_layers
        for layer in reversed(range(n_layers)):
            back = self._back[layer]
            z = self._normalized[layer][0] if self.normalize else self.preactivations[layer]
            delta = dA if back is None else back(dA, self._outputs[layer], z)   # dE/dA_l ⊙ f′(Z_l)
            if self.normalize:                                       # back through the standardisation
                inv_std = self._normalized[layer][1]
                delta = inv_std * (delta - delta.mean(axis=0) - z * (delta * z).mean(axis=0))
            deltas[layer] = delta                                    # δ_l = ∂E/∂Z_l
            grads[layer] = (self.activations[layer].T @ delta, delta.sum(axis=0))
            if layer:
                dA_prev = delta @ self.weights[layer].T              # dE/dA_{l-1} = δ_l W_lᵀ
                dA = dA_prev + dA if self._skips(layer) else dA_prev  # the skip passes dE/dA_l on
        self.grads, self.deltas = grads, deltas
        return grads

    def parameters(self):
        """The parameter arrays themselves, [W1, b1, W2, b2, ...]; an optimizer updates them in place."""
        return [p for W, b in zip(self.weights, self.biases) for p in (W, b)]

    def gradients(self):
        """The gradients of the last ``backward`` in the order of ``parameters()``: [dW1, db1, ...]."""
        if self.grads is None:
            raise RuntimeError("call backward(grad_output) before gradients()")
        return [g for pair in self.grads for g in pair]


# ---- training an MLP with descend (notebook 06): loss pairs (E(Z, T), ∂E/∂Z), E(w) of one flat vector w ----
LOGISTIC = (lambda Z, T: float(np.mean(np.logaddexp(0.0, Z) - T * Z)),  # binary_cross_entropy(T, Z, True) and its
            lambda Z, T: (activations._sigmoid(Z) - T) / T.size)  # _grad, unchecked: mlp_objective checks X, T once
SOFTMAX = (lambda Z, T: losses.softmax_cross_entropy(T, Z), lambda Z, T: losses.softmax_cross_entropy_grad(T, Z))
MSE = (lambda Y, T: float(np.mean((T - Y) ** 2)), lambda Y, T: -2.0 * (T - Y) / T.size)  # = mse, mse_grad, unchecked


def set_parameters(net, w):
    """Copy the flat vector w into the network's parameters, in the order of ``parameters()``."""
    start = 0
    for p in net.parameters():
        p[...] = w[start:start + p.size].reshape(p.shape)
        start += p.size


def mlp_objective(net, X, T, loss=LOGISTIC, batch_size=None, seed=0, clip=None):
    """E(w) and ∇E(w) of ``net`` on (X, T) as functions of one flat parameter vector w, for ``descend``.

    ``loss`` is a pair of functions of the network's output Z and the targets: E and ∂E/∂Z
    (``LOGISTIC``, ``SOFTMAX``, ``MSE``).  E is always measured on all of (X, T).  The gradient
    too, unless ``batch_size`` is given: then each call of ∇E uses a new random mini-batch of that
    many samples (stochastic gradient descent; ``seed`` fixes the order).  With ``clip``, each
    gradient is clipped to that global norm (``clip_by_norm``, notebook 07).  Returns
    ``(loss, grad, w0)``; both functions copy w into the network's parameters.  With full
    batches the forward pass of the last w is remembered, so one descent step costs one forward
    and one backward pass.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an MLP, got {type(net).__name__}")
    X, T = as_float_array(X, "X", finite=True), as_float_array(T, "T", finite=True)
    if X.ndim != 2 or T.ndim != 2 or len(X) != len(T):
        raise ValueError(f"X and T must be 2-D with one row per sample, got shapes {X.shape} and {T.shape}")
    if not (isinstance(loss, tuple) and len(loss) == 2 and all(map(callable, loss))):
        raise TypeError(f"loss must be a pair (E, dE/dZ) such as LOGISTIC, SOFTMAX or MSE, got {loss!r:.60}")
    clip = None if clip is None else real(clip, "clip", low=0.0, low_open=True)
    n = X.shape[0]
    batch_size = n if batch_size is None else count(batch_size, "batch_size", low=1, high=n)
    rng = rng_from(seed)
    last = {"w": None}

    def forward(w, rows=None):
        if rows is not None or last["w"] is None or not np.array_equal(w, last["w"]):
            set_parameters(net, w)
            if rows is not None:
                last["w"] = None                    # the network now holds a mini-batch's pass
                return net.forward(X[rows])
            last["w"], last["Z"] = w.copy(), net.forward(X)
        return last["Z"]

    def objective(w):
        return loss[0](forward(w), T)

    def gradient(Z, targets):
        net.backward(loss[1](Z, targets))
        grads = net.gradients() if clip is None else clip_by_norm(net.gradients(), clip)[0]
        return np.concatenate([g.ravel() for g in grads])

    def grad(w):
        if batch_size == n:
            return gradient(forward(w), T)
        for _ in range(100):
            rows = rng.choice(n, size=batch_size, replace=False)
            g = gradient(forward(w, rows), T[rows])
            # a mini-batch whose samples are all confidently right has a gradient so small (below 1e-12)
            # that the step vanishes in rounding and descend would call it converged: draw the next one
            if np.abs(g).max() > 1e-12:
                break
        return g

    return objective, grad, np.concatenate([p.ravel() for p in net.parameters()])

"""Update rules for gradient descent and penalty terms (notebook 08, "Better steps").

Every optimizer takes ``learning_rate`` (η) first; ``step(params, grads)`` updates each parameter
array *in place* from its gradient, keeping any running state (a velocity, a running mean) per
parameter index, so pass the parameters in the same order every time.  Notation: w a parameter,
g = ∂E/∂w, η the learning rate, t the number of steps taken so far (here t is not a target).

The penalties use the convention of notebook 08: the L2 term is ½λΣw² (gradient λw), the
L1 term is λΣ|w| (subgradient λ·sign(w), which is 0 at w = 0).
"""

import inspect
import math
import numbers

import numpy as np

from .validation import as_float_array, positive, real

__all__ = ["SGD", "Momentum", "RMSProp", "Adam", "clip_by_norm",
           "l2_penalty", "l2_penalty_grad", "l1_penalty", "l1_penalty_grad"]


# ---------------------------------------------------------------- argument checks
def _decay(value, name):
    """A decay coefficient (momentum μ, ρ, β₁, β₂) in [0, 1)."""
    value = real(value, name, low=0.0)
    if value >= 1.0:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return value


def _array_list(arrays, name, in_place=False):
    """``arrays`` (a list or tuple; one array counts as a list of one) as a list of finite float arrays.
    ``in_place=True`` (``params``): writable float arrays, returned themselves so the update reaches the caller."""
    if isinstance(arrays, np.ndarray):
        arrays = [arrays]
    if not isinstance(arrays, (list, tuple)):
        raise TypeError(f"{name} must be a list of NumPy arrays, got {type(arrays).__name__}")
    checked = []
    for i, array in enumerate(arrays):
        if in_place:
            if not (isinstance(array, np.ndarray) and array.dtype.kind == "f"):
                kind = array.dtype if isinstance(array, np.ndarray) else type(array).__name__
                raise TypeError(f"{name}[{i}] must be a float NumPy array (it is updated in place), got {kind}")
            if not array.flags.writeable:
                raise ValueError(f"{name}[{i}] is read-only; the optimizer must update it in place")
        elif not (type(array) is np.ndarray and array.dtype == np.float64):
            array = as_float_array(array, f"{name}[{i}]", finite=True)  # a list, an int array, ...
        if not np.isfinite(array).all():
            raise ValueError(f"{name}[{i}] contains NaN or inf; expected finite numbers")
        checked.append(array)
    return checked


# ---------------------------------------------------------------- optimizers
class _Optimizer:
    def __init__(self, learning_rate):
        self.learning_rate = positive(learning_rate, "learning_rate")
        self.reset()

    def reset(self):
        """Forget all state (velocities, running averages, the step count)."""
        self.t = 0          # steps taken so far
        self.state = {}     # per parameter index: the arrays the rule keeps between steps, by name

    def _slots(self, i, w, *names):
        """The arrays kept for parameter ``i``, by name (zeros before its first step)."""
        slots = self.state.get(i)
        if slots is None:
            slots = self.state[i] = {name: np.zeros_like(w, dtype=np.float64) for name in names}
        elif slots[names[0]].shape != w.shape:
            raise ValueError(f"params[{i}] changed shape from {slots[names[0]].shape} to {w.shape}; "
                             "call reset() before using the optimizer on different parameters")
        return slots

    def step(self, params, grads):
        """Update every array in ``params`` in place from the matching array in ``grads`` (∂E/∂w)."""
        params, grads = _array_list(params, "params", in_place=True), _array_list(grads, "grads")
        if len(params) != len(grads):
            raise ValueError(f"params and grads must have the same length, got {len(params)} and {len(grads)} arrays")
        for i, (w, g) in enumerate(zip(params, grads)):
            if w.shape != g.shape:
                raise ValueError(f"grads[{i}] has shape {g.shape} but params[{i}] has shape {w.shape}")
        self.t += 1
        for i, (w, g) in enumerate(zip(params, grads)):
            self._update(i, w, g)

    def __repr__(self):
        """The class and its settings, e.g. ``Momentum(learning_rate=0.01, momentum=0.9)``."""
        settings = ", ".join(f"{name}={getattr(self, name)!r}" for name in inspect.signature(type(self)).parameters)
        return f"{type(self).__name__}({settings})"


class SGD(_Optimizer):
    """Plain gradient descent (notebook 03):  w ← w − η·g."""

    def __init__(self, learning_rate=0.1):
        super().__init__(learning_rate)

    def _update(self, i, w, g):
        w -= self.learning_rate * g


class Momentum(_Optimizer):
    """Gradient descent with momentum (Polyak's heavy ball), velocity v starting at 0:

        v ← μ·v − η·g
        w ← w + v

    ``momentum`` is μ in [0, 1); μ = 0 is plain gradient descent.  On a steady slope the
    steps grow towards η·g/(1 − μ), ten times the plain step for μ = 0.9.
    """

    def __init__(self, learning_rate=0.01, momentum=0.9):
        super().__init__(learning_rate)
        self.momentum = _decay(momentum, "momentum")

    def _update(self, i, w, g):
        v = self._slots(i, w, "v")["v"]
        v *= self.momentum
        v -= self.learning_rate * g
        w += v


class RMSProp(_Optimizer):
    """RMSprop (Hinton's lecture notes), running mean s of squared gradients starting at 0:

        s ← ρ·s + (1 − ρ)·g²
        w ← w − η·g / (√s + ε)

    Each weight's step is divided by the size of its recent gradients, so steep and shallow
    directions move at similar speeds.  ``rho`` is ρ in [0, 1), ``eps`` is ε > 0.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, eps=1e-8):
        super().__init__(learning_rate)
        self.rho = _decay(rho, "rho")
        self.eps = positive(eps, "eps")

    def _update(self, i, w, g):
        s = self._slots(i, w, "s")["s"]
        s *= self.rho
        s += (1.0 - self.rho) * g * g
        w -= self.learning_rate * g / (np.sqrt(s) + self.eps)


class Adam(_Optimizer):
    """Adam (Kingma & Ba, 2015), with the paper's defaults and bias correction; m, v start at 0:

        m ← β₁·m + (1 − β₁)·g          (running mean of the gradient)
        v ← β₂·v + (1 − β₂)·g²         (running mean of its square)
        m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   (bias correction, t = 1, 2, ...)
        w ← w − η·m̂ / (√v̂ + ε)

    Without the correction the first steps would be far too small, because m and v start
    at zero; with it, the very first step is η·g/(|g| + ε) ≈ η·sign(g).
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__(learning_rate)
        self.beta1 = _decay(beta1, "beta1")
        self.beta2 = _decay(beta2, "beta2")
        self.eps = positive(eps, "eps")

    def _update(self, i, w, g):
        m, v = self._slots(i, w, "m", "v").values()
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        m_hat = m / (1.0 - self.beta1 ** self.t)
        v_hat = v / (1.0 - self.beta2 ** self.t)
        w -= self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)


# ---------------------------------------------------------------- clipping
def clip_by_norm(grads, max_norm):
    """Scale all gradients together so their global L2 norm ‖g‖ = √(Σ g²) is at most ``max_norm``.

    Returns ``(clipped, norm)``: new arrays g·min(1, max_norm/‖g‖) (the direction is kept,
    the inputs are not changed) and the original norm ‖g‖.
    """
    grads = _array_list(grads, "grads")
    max_norm = positive(max_norm, "max_norm")
    # Scale by the largest entry first so that squaring cannot overflow.
    biggest = max((float(np.max(np.abs(g))) for g in grads if g.size), default=0.0)
    if biggest == 0.0:
        return [g.copy() for g in grads], 0.0
    ratio = math.sqrt(sum(float(np.sum((g / biggest) ** 2)) for g in grads))  # ‖g‖ / biggest, at most √n
    scale = min(1.0, max_norm / biggest / ratio)  # never ‖g‖ itself, which may exceed 1e308
    return [g * scale for g in grads], biggest * ratio


# ---------------------------------------------------------------- penalties
def _weights_and_lam(weights, lam):
    single = not isinstance(weights, (list, tuple)) or (
        len(weights) > 0 and all(isinstance(w, numbers.Real) for w in weights)
    )
    arrays = _array_list([weights] if single else list(weights), "weights")
    return arrays, single, real(lam, "lam", low=0.0)


def l2_penalty(weights, lam):
    """The L2 penalty (weight decay) added to the loss:  ½·λ·Σ w².

    ``weights`` is one array or a list of arrays (all are penalised; usually not the biases).
    """
    arrays, _, lam = _weights_and_lam(weights, lam)
    return 0.5 * lam * sum(float(np.sum(w * w)) for w in arrays)


def l2_penalty_grad(weights, lam):
    """Gradient of ½·λ·Σ w² with respect to each weight:  λ·w (same structure as ``weights``)."""
    arrays, single, lam = _weights_and_lam(weights, lam)
    grads = [lam * w for w in arrays]
    return grads[0] if single else grads


def l1_penalty(weights, lam):
    """The L1 penalty added to the loss:  λ·Σ |w|."""
    arrays, _, lam = _weights_and_lam(weights, lam)
    return lam * sum(float(np.sum(np.abs(w))) for w in arrays)


def l1_penalty_grad(weights, lam):
    """(Sub)gradient of λ·Σ |w|:  λ·sign(w), taking 0 at w = 0 (same structure as ``weights``)."""
    arrays, single, lam = _weights_and_lam(weights, lam)
    grads = [lam * np.sign(w) for w in arrays]
    return grads[0] if single else grads

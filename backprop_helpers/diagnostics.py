"""Measuring vanishing and exploding gradients, and the remedies (notebook 07).

The deep networks themselves are ``MLP``s (with ``residual=True`` or ``normalize=True`` for
the remedies); this module measures them.

- ``layer_gradient_norms(model, X, grad_output)``: the norm ‖∂E/∂W_l‖ of every layer,
  first layer first, for an ``MLP`` or any model with ``forward``/``backward``.
- ``activation_variances(model, X)``: the variance of every layer's pre-activation z_l.
- ``gradient_health(norms)``: a one-line verdict ("vanishing", "exploding", "healthy").

Batch-first, as in notebook 06: X has shape (n_samples, n_in) and W_l has shape (n_in, n_out).
"""

import math

import numpy as np

from .validation import as_float_array, choice, count, positive, rng_from

__all__ = [
    "layer_gradient_norms",
    "activation_variances",
    "gradient_health",
    "fixed_error_signal",
]

def _safe_norm(array):
    """‖array‖ without overflowing in the squares (scale by the largest entry first)."""
    largest = float(np.max(np.abs(array))) if array.size else 0.0
    if largest == 0.0 or not math.isfinite(largest):
        return largest
    return largest * float(np.linalg.norm(array / largest))


def fixed_error_signal(n_samples, n_out, seed=1):
    """A fixed random error signal ∂E/∂a_L of shape (n_samples, n_out), entries ±1/n_samples.

    It is the gradient of E = (1/n)·Σ g·a_L for a fixed random sign pattern g: feeding the same
    signal into every network isolates what the layers do to it on the way back (notebook 07).
    """
    n_samples = count(n_samples, "n_samples", low=1, high=10**7)
    n_out = count(n_out, "n_out", low=1, high=10**5)
    signs = rng_from(seed).choice([-1.0, 1.0], size=(n_samples, n_out))
    return signs / n_samples


def layer_gradient_norms(model, X, grad_output):
    """‖∂E/∂W_l‖ (Frobenius norm) of every layer, first layer first (notebook 07).

    Runs ``model.forward(X)`` and ``model.backward(grad_output)``; ``grad_output`` is ∂E/∂y,
    an array shaped like the output.  Works for ``MLP`` and any model with ``forward``/``backward``.  If a number leaves
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
    Needs a model that stores ``preactivations``/``activations`` in ``forward`` (``MLP``).
    """
    of = choice(of, "of", ("z", "a"))
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
            raise TypeError("model must store preactivations and activations in forward (as MLP does)") from err


def _power_of_ten(x):
    """1.2e-09 → '1e-09' style rounding: the nearest power of ten as text."""
    if x == 0:
        return "0"
    return f"1e{int(round(math.log10(x))):+03d}"


def gradient_health(norms, vanish=1e-2, explode=1e2):
    """Classify per-layer gradient norms: ``(verdict, sentence)``.

    Judged first on the ratio first/last: vanishing below ``vanish``, exploding above ``explode``.
    With a ratio near 1, a network whose every norm is above 1e4 (or below 1e-4) for the series'
    fixed error signal (``fixed_error_signal``, unit-variance inputs) is exploding (vanishing) all
    the same: its forward activations grow (shrink) with depth, and so does every ∂E/∂W_l.
    Numbers are rounded, so the sentence is the same on every machine.
    """
    norms = as_float_array(norms, "norms", finite=True)
    vanish, explode = positive(vanish, "vanish"), positive(explode, "explode")
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
    # first/last near 1, but every layer far from the size the same error signal gives a healthy
    # network: the activations themselves grow or shrink layer by layer (the forward pass)
    if largest > 1e4:
        return "exploding", (f"exploding: first/last = {ratio:.2g}, but every layer's gradient is about "
                             f"{_power_of_ten(largest)}: the activations grow layer by layer")
    if largest < 1e-4:
        return "vanishing", (f"vanishing: first/last = {ratio:.2g}, but every layer's gradient is about "
                             f"{_power_of_ten(largest)}: the activations shrink layer by layer")
    return "healthy", f"healthy: first/last = {ratio:.2g}, norms between {norms.min():.2g} and {largest:.2g}"

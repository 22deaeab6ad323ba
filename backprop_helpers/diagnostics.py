"""Measuring vanishing and exploding gradients in a deep ``MLP`` (notebook 07): the norm ‖∂E/∂W_l‖
and the variance of z_l, layer by layer.  Batch first, as in notebook 06.
"""

import math

import numpy as np

from .validation import choice

__all__ = ["layer_gradient_norms", "activation_variances"]


def _safe_norm(array):
    """‖array‖ without overflowing in the squares (scale by the largest entry first)."""
    largest = float(np.max(np.abs(array))) if array.size else 0.0
    if largest == 0.0 or not math.isfinite(largest):
        return largest
    return largest * float(np.linalg.norm(array / largest))


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



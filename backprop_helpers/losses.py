"""Loss functions E(t, y) and their gradients dE/dy (notebooks 04, 05 and 06).

Target first, prediction second, as in the notebooks: ``squared_error(t, y)``.  Each ``<name>_grad``
is the derivative with respect to the prediction (or to the logits), shaped like the prediction.
"""

import numpy as np

from .activations import _like_input, _sigmoid
from .validation import as_float_array, flag

__all__ = ["squared_error", "squared_error_grad", "ssr", "ssr_grad", "mse", "mse_grad", "binary_cross_entropy",
           "binary_cross_entropy_grad", "softmax", "softmax_cross_entropy", "softmax_cross_entropy_grad"]


def _pair(t, y, t_name="t", y_name="y"):
    t = as_float_array(t, t_name, finite=True)
    y = as_float_array(y, y_name, finite=True)
    if t.shape != y.shape:
        raise ValueError(f"{t_name} and {y_name} must have the same shape, got {t.shape} and {y.shape}")
    if max(np.abs(t).max(initial=0), np.abs(y).max(initial=0)) > 1e150:
        raise ValueError(f"{t_name} and {y_name} must stay below 1e150 in size: their squares would overflow")
    return t, y


def squared_error(t, y):
    """E = ½ Σ (t − y)² (notebook 04, the error of one neuron)."""
    t, y = _pair(t, y)
    return float(0.5 * np.sum((t - y) ** 2))


def squared_error_grad(t, y):
    """dE/dy = −(t − y) for E = ½ Σ (t − y)² (notebook 04, first factor of the chain rule)."""
    t_arr, y_arr = _pair(t, y)
    return _like_input(-(t_arr - y_arr), y)


def ssr(observed, predicted):
    """SSR = Σ (observed − predicted)², the sum of squared residuals (notebook 05)."""
    o, p = _pair(observed, predicted, "observed", "predicted")
    return float(np.sum((o - p) ** 2))


def ssr_grad(observed, predicted):
    """dSSR/dpredicted = −2 (observed − predicted), one entry per observation (notebook 05)."""
    o, p = _pair(observed, predicted, "observed", "predicted")
    return _like_input(-2.0 * (o - p), predicted)


def mse(t, y):
    """Mean squared error E = (1/n) Σ (t − y)² over all n entries (notebook 06)."""
    t, y = _pair(t, y)
    return float(np.mean((t - y) ** 2))


def mse_grad(t, y):
    """dE/dy = −2 (t − y) / n for the mean squared error (notebook 06)."""
    t_arr, y_arr = _pair(t, y)
    return _like_input(-2.0 * (t_arr - y_arr) / t_arr.size, y)


def _bce_pair(t, y, from_logits):
    """``t`` and ``y`` checked for the binary cross-entropy; probabilities y kept 1e-12 from 0 and 1."""
    t, y = _pair(t, y)
    if ((t < 0) | (t > 1)).any():
        raise ValueError("t must hold targets between 0 and 1 (class labels 0 or 1)")
    if flag(from_logits, "from_logits"):
        return t, y
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must hold probabilities between 0 and 1 (or pass from_logits=True)")
    return t, np.clip(y, 1e-12, 1 - 1e-12)  # keeps log finite when a probability rounds to exactly 0 or 1


def binary_cross_entropy(t, y, from_logits=False):
    """E = −(1/n) Σ [t log y + (1 − t) log(1 − y)] (notebook 06).

    ``y`` is the predicted probability, or the logit z with ``from_logits=True`` (then
    y = sigmoid(z) and the loss is computed stably as log(1 + e^z) − t·z).
    """
    t, y = _bce_pair(t, y, from_logits)
    if from_logits:
        return float(np.mean(np.logaddexp(0.0, y) - t * y))
    return float(-np.mean(t * np.log(y) + (1 - t) * np.log(1 - y)))


def binary_cross_entropy_grad(t, y, from_logits=False):
    """dE/dy = (y − t) / (y(1 − y) n); with ``from_logits=True``, dE/dz = (sigmoid(z) − t) / n.

    The logit form is the "prediction minus target" that notebook 06 derives.
    """
    t, y = _bce_pair(t, y, from_logits)
    if from_logits:
        return (_sigmoid(y) - t) / t.size
    return (y - t) / (y * (1 - y)) / t.size


def softmax(z):
    """softmax(z)_k = e^(z_k) / Σ_j e^(z_j) along the last axis, shifted by max(z) for stability."""
    z = as_float_array(z, "z", finite=True)
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def _one_hot_targets(t, logits):
    logits = as_float_array(logits, "logits")
    if logits.ndim != 2:
        raise ValueError(f"logits must be 2-D (n_samples, n_classes), got shape {logits.shape}")
    t = np.asarray(t)
    if t.ndim == 1:  # class indices
        if not np.issubdtype(t.dtype, np.integer):
            raise TypeError("t must be integer class labels (1-D) or one-hot rows (2-D)")
        if t.shape[0] != logits.shape[0]:
            raise ValueError(f"t has {t.shape[0]} labels but logits has {logits.shape[0]} rows")
        if (t < 0).any() or (t >= logits.shape[1]).any():
            raise ValueError(f"t must hold class labels 0..{logits.shape[1] - 1}")
        t = np.eye(logits.shape[1])[t]
    return _pair(t, logits, "t", "logits")


def softmax_cross_entropy(t, logits):
    """E = −(1/n) Σ_samples Σ_k t_k log softmax(z)_k (notebook 06).

    ``t`` is one-hot rows shaped like ``logits`` or integer class labels.
    """
    t, z = _one_hot_targets(t, logits)
    shifted = z - z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.sum(t * log_probs) / z.shape[0])


def softmax_cross_entropy_grad(t, logits):
    """dE/dz = (softmax(z) − t) / n: prediction minus target (notebook 06)."""
    t, z = _one_hot_targets(t, logits)
    return (softmax(z) - t) / z.shape[0]

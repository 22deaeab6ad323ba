"""Activation functions f(z) and their derivatives f'(z) (notebook 04, "Activation functions").

Every function accepts a Python number or a NumPy array of any shape and returns the same
kind back (a plain ``float`` for a number).  All of them are numerically stable for any
finite input: ``sigmoid(-1e4)`` is 0.0 without an overflow warning, ``softplus(1e4)`` is
1e4.  NaN inputs are rejected with a ``ValueError`` naming the argument.
"""

import numpy as np

from .validation import as_float_array

__all__ = [
    "sigmoid", "sigmoid_prime",
    "tanh", "tanh_prime",
    "relu", "relu_prime",
    "softplus", "softplus_prime",
    "identity", "identity_prime",
    "ACTIVATIONS", "get_activation",
]


def _like_input(result, value):
    """A plain float for a scalar input, an array otherwise."""
    return float(result) if np.ndim(value) == 0 else result


# Raw versions without input checks, for tight loops inside the package (mlp.py).
def _sigmoid(z):
    # Split form: exp is only ever taken of a non-positive number, so it cannot overflow.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_prime(z):
    t = np.tanh(z)
    return 1.0 - t * t


def _relu(z):
    return np.maximum(z, 0.0)


def _relu_prime(z):
    return (z > 0).astype(np.float64)


def _softplus(z):
    return np.logaddexp(0.0, z)


def _identity(z):
    return np.array(z, dtype=np.float64, copy=True)


def _identity_prime(z):
    return np.ones_like(z, dtype=np.float64)


RAW = {
    "sigmoid": (_sigmoid, _sigmoid_prime),
    "tanh": (np.tanh, _tanh_prime),
    "relu": (_relu, _relu_prime),
    "softplus": (_softplus, _sigmoid),
    "identity": (_identity, _identity_prime),
}


def sigmoid(z):
    """Sigmoid f(z) = 1 / (1 + e^(-z)) (notebook 04, eq. y = f(wx))."""
    return _like_input(_sigmoid(as_float_array(z, "z")), z)


def sigmoid_prime(z):
    """Derivative of the sigmoid, f'(z) = f(z)(1 - f(z)) (notebook 04, dy/d(wx)); at most 1/4."""
    return _like_input(_sigmoid_prime(as_float_array(z, "z")), z)


def tanh(z):
    """Hyperbolic tangent f(z) = (e^z - e^(-z)) / (e^z + e^(-z)) (notebook 04)."""
    return _like_input(np.tanh(as_float_array(z, "z")), z)


def tanh_prime(z):
    """Derivative of tanh, f'(z) = 1 - tanh(z)^2 (notebook 04); at most 1."""
    return _like_input(_tanh_prime(as_float_array(z, "z")), z)


def relu(z):
    """Rectified linear unit f(z) = max(0, z) (notebook 04)."""
    return _like_input(_relu(as_float_array(z, "z")), z)


def relu_prime(z):
    """Derivative of ReLU: 1 for z > 0, else 0 (we take 0 at the kink z = 0) (notebook 04)."""
    return _like_input(_relu_prime(as_float_array(z, "z")), z)


def softplus(z):
    """Softplus f(z) = log(1 + e^z), computed as logaddexp(0, z) (notebooks 04 and 05)."""
    return _like_input(_softplus(as_float_array(z, "z")), z)


def softplus_prime(z):
    """Derivative of softplus, f'(z) = e^z / (1 + e^z) = sigmoid(z) (notebook 05)."""
    return _like_input(_sigmoid(as_float_array(z, "z")), z)


def identity(z):
    """Identity f(z) = z, the usual output activation for regression (notebook 06)."""
    return _like_input(_identity(as_float_array(z, "z")), z)


def identity_prime(z):
    """Derivative of the identity: f'(z) = 1 everywhere (notebook 06)."""
    return _like_input(_identity_prime(as_float_array(z, "z")), z)


class _Registry(dict):
    """A dict whose unknown keys raise the same clear ValueError as ``get_activation``."""

    def __missing__(self, name):
        known = ", ".join(sorted(self))
        raise ValueError(f"activation {name!r} is unknown; expected one of: {known}")


ACTIVATIONS = _Registry({
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "softplus": (softplus, softplus_prime),
    "identity": (identity, identity_prime),
})


def get_activation(name):
    """Return ``(f, f_prime)`` for an activation name such as ``"sigmoid"``."""
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), got {type(name).__name__}")
    return ACTIVATIONS[name]

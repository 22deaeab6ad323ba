"""Activation functions f(z) and their derivatives f'(z) (notebook 04, "Activation functions").

Each takes a number (and returns a float) or an array of any shape, and is stable for any finite
input: ``sigmoid(-1e4)`` is 0.0 without an overflow warning, ``softplus(1e4)`` is 1e4.
"""

import numpy as np

from .validation import as_float_array, choice

__all__ = ["sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime", "softplus", "softplus_prime",
           "identity", "identity_prime", "ACTIVATIONS", "get_activation"]


def _like_input(result, value):
    """A plain float for a scalar input, an array otherwise."""
    return float(result) if np.ndim(value) == 0 else result


def _sigmoid(z):
    # Split form: exp is only ever taken of a non-positive number, so it cannot overflow.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


# The raw pairs (f, f') without input checks, for tight loops inside the package (mlp.py).
RAW = {
    "sigmoid": (_sigmoid, _sigmoid_prime),
    "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(np.float64)),
    "softplus": (lambda z: np.logaddexp(0.0, z), _sigmoid),
    "identity": (lambda z: np.array(z, dtype=np.float64, copy=True), lambda z: np.ones_like(z, dtype=np.float64)),
}


def _checked(raw, name, doc):
    """The public function ``name`` (docstring ``doc``): ``raw`` of a checked ``z``, a float for a number."""
    def f(z):
        return _like_input(raw(as_float_array(z, "z")), z)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    return f


sigmoid = _checked(_sigmoid, "sigmoid", "Sigmoid f(z) = 1 / (1 + e^(-z)) (notebook 04, eq. y = f(wx)).")
sigmoid_prime = _checked(_sigmoid_prime, "sigmoid_prime",
                         "Derivative of the sigmoid, f'(z) = f(z)(1 - f(z)) (notebook 04, dy/d(wx)); at most 1/4.")
tanh = _checked(np.tanh, "tanh", "Hyperbolic tangent f(z) = (e^z - e^(-z)) / (e^z + e^(-z)) (notebook 04).")
tanh_prime = _checked(RAW["tanh"][1], "tanh_prime",
                      "Derivative of tanh, f'(z) = 1 - tanh(z)^2 (notebook 04); at most 1.")
relu = _checked(RAW["relu"][0], "relu", "Rectified linear unit f(z) = max(0, z) (notebook 04).")
relu_prime = _checked(RAW["relu"][1], "relu_prime",
                      "Derivative of ReLU: 1 for z > 0, else 0 (we take 0 at the kink z = 0) (notebook 04).")
softplus = _checked(RAW["softplus"][0], "softplus",
                    "Softplus f(z) = log(1 + e^z), computed as logaddexp(0, z) (notebooks 04 and 05).")
softplus_prime = _checked(_sigmoid, "softplus_prime",
                          "Derivative of softplus, f'(z) = e^z / (1 + e^z) = sigmoid(z) (notebook 05).")
identity = _checked(RAW["identity"][0], "identity",
                    "Identity f(z) = z, the usual output activation for regression (notebook 06).")
identity_prime = _checked(RAW["identity"][1], "identity_prime",
                          "Derivative of the identity: f'(z) = 1 everywhere (notebook 06).")


class _Registry(dict):
    """A dict whose unknown keys raise the same clear ValueError as ``get_activation``."""

    def __missing__(self, name):
        known = ", ".join(sorted(self))
        raise ValueError(f"activation {name!r} is unknown; expected one of: {known}")


ACTIVATIONS = _Registry(sigmoid=(sigmoid, sigmoid_prime), tanh=(tanh, tanh_prime), relu=(relu, relu_prime),
                        softplus=(softplus, softplus_prime), identity=(identity, identity_prime))


def get_activation(name):
    """Return ``(f, f_prime)`` for an activation name such as ``"sigmoid"``."""
    return ACTIVATIONS[choice(name, "activation", sorted(ACTIVATIONS))]

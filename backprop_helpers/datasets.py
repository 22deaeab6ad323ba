"""Small seeded data sets for training networks (notebooks 06 to 08).

Every generator takes a seed and returns ``(X, t)``: one sample per row of X and integer
class labels ``t`` shaped (n,).
"""

import numpy as np

from .validation import count, real, rng_from

__all__ = ["make_moons", "make_spiral"]


def _noise(noise):
    return real(noise, "noise", low=0.0, high=100.0)


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, classes 0 and 1 (n // 2 and n − n // 2 points).

    A straight line cannot separate them; one hidden layer can (notebook 06).
    ``noise`` is the standard deviation of Gaussian jitter added to every point.
    """
    n = count(n, "n", low=2, high=10**6)
    noise = _noise(noise)
    rng = rng_from(seed)
    n0 = n // 2
    n1 = n - n0
    angle0 = np.linspace(0, np.pi, n0)
    angle1 = np.linspace(0, np.pi, n1)
    upper = np.column_stack([np.cos(angle0), np.sin(angle0)])
    lower = np.column_stack([1 - np.cos(angle1), 0.5 - np.sin(angle1)])
    X = np.vstack([upper, lower]) + noise * rng.normal(size=(n, 2))
    t = np.concatenate([np.zeros(n0, dtype=int), np.ones(n1, dtype=int)])
    order = rng.permutation(n)
    return X[order], t[order]


def make_spiral(n_per_class=100, n_classes=3, noise=0.1, seed=0):
    """``n_classes`` interleaved spiral arms of ``n_per_class`` points each, labels 0..n_classes−1.

    Each arm winds from the centre outwards (radius 0 to 1); ``noise`` is the standard
    deviation of Gaussian jitter added to every point.  A softmax classifier's test set.
    """
    n_per_class = count(n_per_class, "n_per_class", low=1, high=10**6)
    n_classes = count(n_classes, "n_classes", low=2, high=100)
    noise = _noise(noise)
    rng = rng_from(seed)
    radius = np.linspace(0.05, 1.0, n_per_class)
    X, t = [], []
    for k in range(n_classes):
        angle = 2 * np.pi * k / n_classes + 4.0 * radius
        X.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
        t.append(np.full(n_per_class, k, dtype=int))
    X = np.vstack(X)
    X = X + noise * rng.normal(size=X.shape)
    return X, np.concatenate(t)

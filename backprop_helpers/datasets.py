"""The series' seeded data set for training networks (notebooks 06 and 08): ``make_moons`` returns
``(X, t)``, one sample per row of X and integer class labels ``t`` shaped (n,).
"""

import numpy as np

from .validation import count, real, rng_from

__all__ = ["make_moons"]


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, classes 0 and 1 (n // 2 and n − n // 2 points).

    A straight line cannot separate them; one hidden layer can (notebook 06).
    ``noise`` is the standard deviation of Gaussian jitter added to every point.
    """
    n = count(n, "n", low=2, high=10**6)
    noise = real(noise, "noise", low=0.0, high=100.0)
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



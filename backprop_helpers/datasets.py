"""Small seeded data sets for training networks (notebooks 06 to 08).

Every generator takes a seed and returns ``(X, t)`` with one sample per row of X.
Classification sets return integer class labels ``t`` shaped (n,); the regression set
returns ``t`` shaped (n, 1), ready for an MLP with one output.
"""

import numbers

import numpy as np

__all__ = ["make_moons", "make_spiral", "make_xor", "make_regression_1d"]


def _check_count(n, name, minimum=1):
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (numbers.Integral, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(n).__name__} {n!r}")
    if n < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {n}")
    return int(n)


def _check_noise(noise):
    if isinstance(noise, (bool, np.bool_)) or not isinstance(noise, (numbers.Real, np.floating)):
        raise TypeError(f"noise must be a non-negative number, got {type(noise).__name__}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a non-negative finite number, got {noise!r}")
    return float(noise)


def _rng(seed):
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (numbers.Integral, np.integer)):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    return np.random.default_rng(int(seed))


def make_moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles, classes 0 and 1 (n // 2 and n − n // 2 points).

    A straight line cannot separate them; one hidden layer can (notebook 06).
    ``noise`` is the standard deviation of Gaussian jitter added to every point.
    """
    n = _check_count(n, "n", minimum=2)
    noise = _check_noise(noise)
    rng = _rng(seed)
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
    n_per_class = _check_count(n_per_class, "n_per_class")
    n_classes = _check_count(n_classes, "n_classes", minimum=2)
    noise = _check_noise(noise)
    rng = _rng(seed)
    radius = np.linspace(0.05, 1.0, n_per_class)
    X, t = [], []
    for k in range(n_classes):
        angle = 2 * np.pi * k / n_classes + 4.0 * radius
        X.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
        t.append(np.full(n_per_class, k, dtype=int))
    X = np.vstack(X)
    X = X + noise * rng.normal(size=X.shape)
    return X, np.concatenate(t)


def make_xor(n=200, noise=0.1, seed=0):
    """XOR: points uniform in the square [−1, 1]², class 1 where x₁ and x₂ have opposite signs.

    The label is decided before ``noise`` (Gaussian jitter with that standard deviation)
    is added, so with noise some points cross the axes.
    """
    n = _check_count(n, "n")
    noise = _check_noise(noise)
    rng = _rng(seed)
    clean = rng.uniform(-1, 1, size=(n, 2))
    t = (clean[:, 0] * clean[:, 1] < 0).astype(int)
    return clean + noise * rng.normal(size=(n, 2)), t


def make_regression_1d(n=50, noise=0.1, seed=0):
    """Noisy samples of t = sin(x) for x evenly spread over [−3, 3]; X and t shaped (n, 1).

    ``noise`` is the standard deviation of the Gaussian noise added to the targets.
    """
    n = _check_count(n, "n", minimum=2)
    noise = _check_noise(noise)
    rng = _rng(seed)
    x = np.linspace(-3.0, 3.0, n)
    t = np.sin(x) + noise * rng.normal(size=n)
    return x[:, None], t[:, None]

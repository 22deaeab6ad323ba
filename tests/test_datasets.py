"""Tests of backprop_helpers.datasets: the small seeded data sets."""

import numpy as np
import pytest

from backprop_helpers import make_moons
from backprop_helpers.course.nb06 import make_spiral

GENERATORS = [
    (make_moons, {"n": 101, "noise": 0.1}),
    (make_spiral, {"n_per_class": 30, "n_classes": 3, "noise": 0.1}),
]


@pytest.mark.parametrize("make, kwargs", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(make, kwargs):
    X1, t1 = make(**kwargs, seed=3)
    X2, t2 = make(**kwargs, seed=3)
    X3, t3 = make(**kwargs, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(t1, t2)
    assert not (np.array_equal(X1, X3) and np.array_equal(t1, t3))
    assert np.isfinite(X1).all() and X1.dtype == np.float64


def test_moons_shapes_labels_and_geometry():
    X, t = make_moons(n=101, noise=0.0, seed=0)
    assert X.shape == (101, 2) and t.shape == (101,)
    assert np.issubdtype(t.dtype, np.integer)
    assert (t == 0).sum() == 50 and (t == 1).sum() == 51
    # class 0: upper unit half circle; class 1: the same shifted by (1, 0.5) and flipped
    np.testing.assert_allclose(np.hypot(X[t == 0, 0], X[t == 0, 1]), 1.0)
    assert (X[t == 0, 1] >= -1e-12).all()
    np.testing.assert_allclose(np.hypot(X[t == 1, 0] - 1, X[t == 1, 1] - 0.5), 1.0)


def _linear_accuracy(X, t):
    """Accuracy of the best least-squares straight-line classifier."""
    A = np.column_stack([X, np.ones(len(X))])
    w = np.linalg.lstsq(A, 2.0 * t - 1, rcond=None)[0]
    return np.mean((A @ w > 0) == (t == 1))


def test_a_straight_line_cannot_separate_the_moons():
    assert _linear_accuracy(*make_moons(200, 0.1, 0)) < 0.9


def test_noise_jitters_the_points():
    clean, _ = make_moons(200, 0.0, 0)
    noisy, _ = make_moons(200, 0.2, 0)
    assert 0.1 < np.std(noisy - clean) < 0.3


def test_spiral_shapes_and_radius():
    X, t = make_spiral(n_per_class=40, n_classes=4, noise=0.0, seed=1)
    assert X.shape == (160, 2) and t.shape == (160,)
    assert list(np.bincount(t)) == [40, 40, 40, 40]
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.min() >= 0.05 - 1e-12 and radius.max() <= 1.0 + 1e-12


@pytest.mark.parametrize("call, error, match", [
    (lambda: make_moons(n=1), ValueError, "n must be a whole number from 2"),
    (lambda: make_moons(n=10.5), TypeError, "n must be a whole number"),
    (lambda: make_moons(n=10, noise=-0.1), ValueError, "noise"),
    (lambda: make_moons(n=10, noise=float("nan")), ValueError, "noise"),
    (lambda: make_moons(n=10, noise="a lot"), TypeError, "noise"),
    (lambda: make_moons(n=10, seed=1.5), TypeError, "seed"),
    (lambda: make_spiral(n_per_class=0), ValueError, "n_per_class"),
    (lambda: make_spiral(n_classes=1), ValueError, "n_classes"),
    (lambda: make_moons(n=True), TypeError, "n must be a whole number"),
    (lambda: make_spiral(noise=float("inf")), ValueError, "noise"),
])
def test_bad_arguments_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()

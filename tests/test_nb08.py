"""Notebook 08: optimizer-trajectory and regularization demos, and the exercises' checks."""

import math

import numpy as np
import pytest
import sympy

from backprop_helpers.calculus import numerical_gradient, relative_error
from backprop_helpers.course.nb08 import (
    SURFACES_NB08,
    check_adam_first_step,
    check_clipped_gradient,
    check_l2_gradient,
    check_momentum_steps,
    fit_penalized_polynomial,
    optimizer_demo,
    overfitting_data,
    penalty_path,
    polynomial_features,
    regularization_demo,
    run_optimizer,
)
from backprop_helpers.optimizers import clip_by_norm


# ---------------------------------------------------------------- surfaces and runs
@pytest.mark.parametrize("name", sorted(SURFACES_NB08))
def test_surface_gradients_match_finite_differences(name):
    spec = SURFACES_NB08[name]
    for point in ([0.3, -0.7], [1.5, 0.2], [-1.2, 1.1]):
        w = np.array(point)
        numerical = numerical_gradient(lambda a: spec["E"](a[0], a[1]), w)
        assert relative_error(spec["grad"](w), numerical) < 1e-8


def test_two_minima_global_minimum_is_a_stationary_point_below_the_other():
    spec = SURFACES_NB08["two minima"]
    w1 = [r.real for r in np.roots([4.0, 0.0, -4.0, 0.3]) if abs(r.imag) < 1e-12]
    assert spec["E_min"] == pytest.approx(min(spec["E"](r, 0.0) for r in w1))
    assert spec["E_min"] < spec["E"](max(w1), 0.0)


def test_gradient_descent_first_step_by_hand():
    path, losses, diverged = run_optimizer("valley", "gradient descent", 0.02, steps=1)
    # start (−4.5, 1.0); ∇E = (w₁, 25·w₂) = (−4.5, 25); w − 0.02·∇E = (−4.41, 0.5)
    assert path[1] == pytest.approx([-4.41, 0.5])
    assert losses[1] == pytest.approx(0.5 * (4.41**2 + 25 * 0.25))
    assert diverged is None


def test_momentum_escapes_the_shallow_minimum_where_gradient_descent_stays():
    gd, _, _ = run_optimizer("two minima", "gradient descent", 0.02, steps=200)
    mom, _, _ = run_optimizer("two minima", "momentum", 0.02, mu=0.9, steps=200)
    assert gd[-1][0] > 0.9            # stuck in the right-hand (local) minimum
    assert mom[-1][0] < -0.9          # rolled over into the global one


def test_momentum_beats_gradient_descent_in_the_valley():
    _, gd, _ = run_optimizer("valley", "gradient descent", 0.02, steps=100)
    _, mom, _ = run_optimizer("valley", "momentum", 0.02, mu=0.9, steps=100)
    assert mom[-1] < gd[-1] / 100


def test_divergence_is_detected_at_the_stability_limit():
    # Gradient descent on the valley is stable only for η < 2/25 = 0.08.
    assert run_optimizer("valley", "gradient descent", 0.07, steps=300)[2] is None
    assert run_optimizer("valley", "gradient descent", 0.09, steps=300)[2] is not None


def test_run_optimizer_rejects_unknown_names():
    with pytest.raises(ValueError, match="surface"):
        run_optimizer("bowl", "Adam", 0.1)
    with pytest.raises(ValueError, match="optimizer"):
        run_optimizer("valley", "Newton", 0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        run_optimizer("valley", "Adam", -0.1)


def test_optimizer_demo_sweep_extremes():
    results = {(name, value): status for name, value, status in optimizer_demo().sweep_extremes()}
    assert "diverged after" in results[("eta", 1.0)]
    assert results[("eta", 0.001)].startswith("momentum (η = 0.001, μ = 0.90): E = ")
    assert "diverged" not in results[("mu", 0.0)]
    assert "E = " in results[("optimizer", "Adam")] and "β₁ = 0.90" in results[("optimizer", "Adam")]
    assert "E = -0.305" in results[("surface", "two minima")]
    for status in results.values():
        assert "nan" not in status and "inf" not in status


def test_optimizer_demo_explains_the_gradient_descent_limit():
    demo = optimizer_demo()
    status = demo.update(surface="valley", optimizer="gradient descent", eta=0.2, mu=0.9, steps=100)
    assert status.startswith("gradient descent (η = 0.2) diverged after")
    assert "2/25 = 0.08" in status
    for optimizer in ("RMSprop", "Adam"):  # steps of size about η: they never blow up
        status = demo.update(surface="valley", optimizer=optimizer, eta=1.0, mu=0.9, steps=300)
        own, baseline = status.split("; ")
        assert own.startswith(f"{optimizer} (η = 1") and "diverged" not in own
        assert baseline == "gradient descent diverged after 5 steps"


def test_optimizer_demo_mu_slider_says_rmsprop_ignores_it():
    demo = optimizer_demo()
    assert "unused by RMSprop" in demo.controls["mu"].description
    runs = [demo.update(surface="valley", optimizer="RMSprop", eta=0.05, mu=mu, steps=50) for mu in (0.0, 0.9)]
    assert runs[0] == runs[1]  # RMSprop's ρ is fixed at 0.9: μ changes nothing


# ---------------------------------------------------------------- regularization
def _objective(w, b, x, t, lam, penalty, degree=9):
    y = b + polynomial_features(x, degree) @ w
    term = 0.5 * lam * np.sum(w**2) if penalty == "L2" else lam * np.sum(np.abs(w))
    return np.mean((t - y) ** 2) / 2 + term


def test_l2_fit_is_a_stationary_point_of_the_penalised_loss():
    x, t, _, _ = overfitting_data()
    for lam in (1e-4, 0.1):
        w, b = fit_penalized_polynomial(x, t, lam, "L2")
        params = np.concatenate([w, [b]])
        grad = numerical_gradient(lambda p, lam=lam: _objective(p[:-1], p[-1], x, t, lam, "L2"), params)
        assert np.abs(grad).max() < 1e-7


def test_l1_fit_satisfies_the_optimality_conditions_and_has_exact_zeros():
    x, t, _, _ = overfitting_data()
    lam = 0.03
    w, b = fit_penalized_polynomial(x, t, lam, "L1")
    X = polynomial_features(x)
    data_grad = -X.T @ (t - b - X @ w) / len(t)  # gradient of (1/2N)Σ(t − y)²
    zero = np.abs(w) < 1e-12
    assert zero.sum() >= 3
    assert np.abs(data_grad[~zero] + lam * np.sign(w[~zero])).max() < 1e-6
    assert np.all(np.abs(data_grad[zero]) <= lam + 1e-9)
    assert np.mean(t - b - X @ w) == pytest.approx(0.0, abs=1e-9)  # the bias is not penalised
    w2, _ = fit_penalized_polynomial(x, t, lam, "L2")
    assert not np.any(np.abs(w2) < 1e-12)


def test_validation_error_is_smallest_at_a_moderate_lambda():
    lams = np.logspace(-6, 1, 15)
    errors = penalty_path(lams, "L2")
    best = int(np.argmin(errors[:, 1]))
    assert 0 < best < len(lams) - 1
    assert errors[0, 0] < errors[0, 1] / 10        # tiny λ: overfits (train ≪ validation)
    assert np.all(np.diff(errors[:, 0]) > -1e-12)  # training error only grows with λ


def test_fit_rejects_bad_arguments():
    x, t, _, _ = overfitting_data()
    with pytest.raises(ValueError, match="lam"):
        fit_penalized_polynomial(x, t, -1.0)
    with pytest.raises(ValueError, match="penalty"):
        fit_penalized_polynomial(x, t, 0.1, "L3")


def test_regularization_demo_sweep_extremes():
    results = {(name, value): status for name, value, status in regularization_demo().sweep_extremes()}
    tiny, huge = results[("lam", 1e-6)], results[("lam", 10.0)]
    assert tiny.startswith("L2, λ = 1e-06: training MSE = 0.001, validation MSE = 0.231")
    assert huge.startswith("L2, λ = 10: training MSE = ")
    largest = float(huge.rsplit("= ", 1)[1])
    assert 0 < largest < 0.1  # L2 shrinks the weights but leaves none exactly 0
    assert results[("penalty", "L1")].startswith("L1, λ = 1e-06")
    demo = regularization_demo()
    assert demo.update(lam=10.0, penalty="L1").endswith("largest |wⱼ| = 0")  # L1 switches every weight off


# ---------------------------------------------------------------- exercises
def test_check_momentum_steps():
    assert check_momentum_steps(1.44).correct
    assert "plain gradient descent" in check_momentum_steps(1.62).message
    assert "first step" in check_momentum_steps(1.8).message
    assert "new point" in check_momentum_steps(1.42).message
    assert "uphill" in check_momentum_steps(2.6).message
    assert "expected a number" in check_momentum_steps("1.44").message
    assert not check_momentum_steps(None).correct


def test_check_adam_first_step():
    # from w = 0, g = 0.5, η = 0.01: m̂ = 0.5, v̂ = 0.25, step 0.01·0.5/(0.5 + 1e-8)
    assert check_adam_first_step(-0.01 * 0.5 / (0.5 + 1e-8)).correct
    assert check_adam_first_step(-0.01).correct
    assert check_adam_first_step(-0.0099999998).correct
    # without bias correction: m = 0.05, v = 0.00025 → step 0.01·0.05/√0.00025 ≈ 0.0316
    assert "bias correction" in check_adam_first_step(-0.01 * 0.05 / math.sqrt(0.00025)).message
    assert "bias correction" in check_adam_first_step(-0.0316).message
    assert "plain gradient descent" in check_adam_first_step(-0.005).message
    assert "against the gradient" in check_adam_first_step(0.01).message
    assert "corrected m but not v" in check_adam_first_step(-0.316).message     # 0.01·0.5/√0.00025
    assert "corrected v but not m" in check_adam_first_step(-0.001).message     # 0.01·0.05/0.5
    assert "square root" in check_adam_first_step(-0.02).message                # 0.01·0.5/0.25
    assert "is close" in check_adam_first_step(-0.0102).message                 # rounded too early
    assert "expected a number" in check_adam_first_step([-0.01]).message
    assert not check_adam_first_step(None).correct


def test_check_l2_gradient():
    assert check_l2_gradient("-(t - w*x)*x + lam*w").correct
    assert check_l2_gradient("x*(w*x - t) + λ*w").correct
    w, x, t, lam = sympy.symbols("w x t lam", real=True)  # learner's own symbols also work
    assert check_l2_gradient(-(t - w * x) * x + lam * w).correct
    assert "½λw²" in check_l2_gradient("-(t - w*x)*x + 2*lam*w").message
    assert "dropped the penalty" in check_l2_gradient("-(t - w*x)*x").message
    assert "L1" in check_l2_gradient("-(t - w*x)*x + lam*sign(w)").message
    assert "sign of the data term" in check_l2_gradient("(t - w*x)*x + lam*w").message
    assert "not a number" in check_l2_gradient(3.0).message
    assert "could not read" in check_l2_gradient("((").message
    assert not check_l2_gradient(None).correct


def test_check_clipped_gradient():
    assert check_clipped_gradient([1.5, 2.0, 6.0]).correct
    assert "on its own" in check_clipped_gradient([3.0, 4.0, 6.5]).message
    assert "unit direction" in check_clipped_gradient(np.array([3.0, 4.0, 12.0]) / 13).message
    assert "shape" in check_clipped_gradient([1.5, 2.0]).message
    assert "expected an array" in check_clipped_gradient("a").message
    assert not check_clipped_gradient(None).correct
    # the list of per-layer arrays that clip_by_norm returns is flattened before checking
    clipped, norm = clip_by_norm([np.array([3.0, 4.0]), np.array([12.0])], 6.5)
    assert check_clipped_gradient(clipped).correct
    assert check_clipped_gradient([np.array([1.5, 2.0]), np.array([6.0])]).correct
    assert "on its own" in check_clipped_gradient([np.array([3.0, 4.0]), np.array([6.5])]).message
    assert "np.concatenate(clipped)" in check_clipped_gradient((clipped, norm)).message
    assert "expected an array" in check_clipped_gradient([np.array([1.5, 2.0]), "a"]).message

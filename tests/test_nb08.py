"""Notebook 08: optimizer-trajectory and regularization demos, and the exercises' checks."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
import sympy

from backprop_helpers.calculus import numerical_gradient, relative_error
from backprop_helpers.course import nb08
from backprop_helpers.course.nb08 import (
    NOISY_RUNS,
    SURFACES_NB08,
    Decaying,
    check_adam_first_step,
    check_adam_step,
    check_clipped_gradient,
    check_l2_gradient,
    check_momentum_step,
    check_momentum_steps,
    fit_penalized_polynomial,
    gradient_scales,
    moons_network_run,
    optimizer_demo,
    overfitting_data,
    penalized_fit,
    penalty_path,
    polynomial_features,
    regularization_demo,
    run_optimizer,
)
from backprop_helpers.optimizers import SGD, Adam, Momentum, clip_by_norm


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
    run = run_optimizer("valley", "gradient descent", 0.02, steps=1)
    # start (−4.5, 1.0); ∇E = (w₁, 25·w₂) = (−4.5, 25); w − 0.02·∇E = (−4.41, 0.5)
    assert run.path[1] == pytest.approx([-4.41, 0.5])
    assert run.losses[1] == pytest.approx(0.5 * (4.41**2 + 25 * 0.25))
    assert run.status == "step limit" and run.steps == 1


def test_momentum_first_two_steps_by_hand():
    run = run_optimizer("valley", "momentum", 0.02, mu=0.9, steps=2)
    # v₁ = −0.02·(−4.5, 25) = (0.09, −0.5), w₁ = (−4.41, 0.5);
    # v₂ = 0.9·v₁ − 0.02·(−4.41, 12.5) = (0.1692, −0.7), w₂ = (−4.2408, −0.2)
    np.testing.assert_allclose(run.path, [[-4.5, 1.0], [-4.41, 0.5], [-4.2408, -0.2]], atol=1e-12)


def test_momentum_escapes_the_shallow_minimum_where_gradient_descent_stays():
    gd = run_optimizer("two minima", "gradient descent", 0.02, steps=200)
    mom = run_optimizer("two minima", "momentum", 0.02, mu=0.9, steps=200)
    assert gd.final[0] > 0.9            # stuck in the right-hand (local) minimum
    assert mom.final[0] < -0.9          # rolled over into the global one


def test_momentum_beats_gradient_descent_in_the_valley():
    gd = run_optimizer("valley", "gradient descent", 0.02, steps=100)
    mom = run_optimizer("valley", "momentum", 0.02, mu=0.9, steps=100)
    assert mom.losses[-1] < gd.losses[-1] / 100


def test_divergence_is_detected_at_the_stability_limit():
    # Gradient descent on the valley is stable only for η < 2/25 = 0.08.
    assert run_optimizer("valley", "gradient descent", 0.07, steps=300).status == "step limit"
    diverged = run_optimizer("valley", "gradient descent", 0.09, steps=300)
    assert diverged.status == "diverged" and np.abs(diverged.path).max() <= 1e6
    # |w₂| grows by |1 − 25·0.09| = 1.25 per step from 1: it passes 1e6 at step ⌈log(1e6)/log(1.25)⌉ = 62,
    # so 61 steps stayed within the limit
    assert diverged.steps == 61


def test_run_optimizer_rejects_unknown_names():
    with pytest.raises(ValueError, match="surface"):
        run_optimizer("bowl", "Adam", 0.1)
    with pytest.raises(ValueError, match="optimizer"):
        run_optimizer("valley", "Newton", 0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        run_optimizer("valley", "Adam", -0.1)


def test_optimizer_demo_sweep_extremes_have_no_nan():
    for _, _, status in optimizer_demo().sweep_extremes():
        assert "nan" not in status and "inf" not in status


def test_optimizer_demo_runs_at_the_extremes():
    assert run_optimizer("valley", "momentum", 1.0, mu=0.9, steps=100).status == "diverged"
    assert run_optimizer("valley", "momentum", 0.001, mu=0.9, steps=100).status == "step limit"
    assert run_optimizer("valley", "momentum", 0.02, mu=0.0, steps=100).status == "step limit"
    two = run_optimizer("two minima", "momentum", 0.02, mu=0.9, steps=100)
    assert two.losses[-1] == pytest.approx(SURFACES_NB08["two minima"]["E_min"], abs=1e-3)


def test_rmsprop_and_adam_never_blow_up_where_gradient_descent_does():
    assert run_optimizer("valley", "gradient descent", 0.2, steps=100).status == "diverged"
    for optimizer in ("RMSprop", "Adam"):  # steps of size about η: they never blow up
        assert run_optimizer("valley", optimizer, 1.0, mu=0.9, steps=300).status == "step limit"


def test_optimizer_demo_mu_slider_says_rmsprop_ignores_it():
    demo = optimizer_demo()
    assert "unused by RMSprop" in demo.controls["mu"].description
    runs = [run_optimizer("valley", "RMSprop", 0.05, mu=mu, steps=50) for mu in (0.0, 0.9)]
    np.testing.assert_array_equal(runs[0].path, runs[1].path)  # RMSprop's ρ is fixed at 0.9: μ changes nothing


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


def test_regularization_fits_at_the_extremes():
    tiny, huge = penalized_fit(1e-6, "L2"), penalized_fit(10.0, "L2")
    assert tiny.train_mse < tiny.val_mse / 10                     # λ = 1e-6 overfits
    x, t, x_val, t_val = overfitting_data()
    # the recorded errors are the mean squared errors of the recorded fit, computed here by hand
    y = tiny.b + np.polynomial.legendre.legval(x_val, np.concatenate([[0.0], tiny.w]))
    assert tiny.val_mse == pytest.approx(np.mean((t_val - y) ** 2), rel=1e-12)
    assert 0 < np.abs(huge.w).max() < 0.1 and huge.zeros == 0     # L2 shrinks every weight, none to 0
    l1 = penalized_fit(10.0, "L1")
    assert l1.zeros == 9 and np.abs(l1.w).max() == 0               # L1 switches every weight off
    for _, _, status in regularization_demo().sweep_extremes():
        assert "nan" not in status


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
    assert not check_adam_first_step(-0.0102)                                    # 2% off is wrong
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


# ---------------------------------------------------------------- your turn
def test_momentum_reference_by_hand_and_against_the_core():
    # w = 2, v = 0, g = 2 (E = ½w²), η = 0.1, μ = 0.9: v = −0.2, w = 1.8 (exercise 1's first step, by hand)
    w, v = nb08._momentum_reference(np.array([2.0]), np.array([0.0]), np.array([2.0]), 0.1, 0.9)
    assert w[0] == pytest.approx(1.8) and v[0] == pytest.approx(-0.2)
    for _, (w0, v0, g, eta, mu) in nb08._MOMENTUM_CASES:
        opt, w_core = Momentum(eta, momentum=mu), w0.copy()
        opt.step([w_core], [-v0 / eta])                          # a first step that leaves the velocity v0 …
        w_core[...] = w0                                         # … at the case's w
        opt.step([w_core], [g])
        np.testing.assert_allclose(nb08._momentum_reference(w0, v0, g, eta, mu)[0], w_core, atol=1e-12)


def test_adam_reference_against_the_core_over_many_steps():
    rng = np.random.default_rng(0)
    w_core, w, m, v = rng.normal(size=3), None, np.zeros(3), np.zeros(3)
    w = w_core.copy()
    opt = Adam(0.05)
    for t in range(1, 30):
        g = rng.normal(size=3)
        opt.step([w_core], [g])
        w, m, v = nb08._adam_reference(w, m, v, g, t, 0.05, 0.9, 0.999, 1e-8)
    np.testing.assert_allclose(w, w_core, atol=1e-12)
    # the first step by hand (exercise 2): w = 0, g = 0.5, η = 0.01 → m̂ = 0.5, v̂ = 0.25, w = −0.01·0.5/(0.5 + 1e-8)
    first = nb08._adam_reference(np.zeros(1), np.zeros(1), np.zeros(1), np.array([0.5]), 1, 0.01, 0.9, 0.999, 1e-8)
    assert first[0][0] == pytest.approx(-0.01 * 0.5 / (0.5 + 1e-8), rel=1e-12)


def test_your_turn_checks_accept_the_references():
    assert check_momentum_step(nb08._momentum_reference)
    assert check_adam_step(nb08._adam_reference)


@pytest.mark.parametrize("index,phrase", [(0, "−η·g (downhill)"), (1, "not w − v"), (2, "update v first"),
                                          (3, "plain gradient descent"), (4, "only the old velocity")])
def test_check_momentum_step_names_each_mistake(index, phrase):
    feedback = check_momentum_step(nb08._MOMENTUM_MISTAKES[index][0])
    assert not feedback and phrase in feedback.message, feedback.message


@pytest.mark.parametrize("index,phrase", [(0, "skipped the bias correction"), (1, "corrected m but not v"),
                                          (2, "corrected v but not m"), (3, "swapped"), (4, "outside the square root"),
                                          (5, "square root of v̂"), (6, "power t"), (7, "not m̂ and v̂")])
def test_check_adam_step_names_each_mistake(index, phrase):
    feedback = check_adam_step(nb08._ADAM_MISTAKES[index][0])
    assert not feedback and phrase in feedback.message, feedback.message


def test_your_turn_checks_never_raise():
    def stub(*args):
        ...

    def loops(*args):
        while True:
            pass
    for check in (check_momentum_step, check_adam_step):
        assert not check(stub) and not check(None) and not check(lambda *a: 1 / 0)
    assert "more than" in check_momentum_step(loops).message


# ---------------------------------------------------------------- momentum: the demo default and the limit
def test_the_demo_default_zigzags_for_plain_descent_and_momentum_damps_it():
    defaults = optimizer_demo().values()
    assert defaults["mu"] == 0.5 and defaults["eta"] == pytest.approx(0.0794, abs=1e-4)
    gd = run_optimizer("valley", "gradient descent", defaults["eta"], steps=100)
    w2 = gd.path[:, 1]
    assert np.all(np.sign(w2[1:]) == -np.sign(w2[:-1]))              # flips sign every step
    # by hand: w₂ = 1·(1 − 25η)^100 with η = 10^−1.1: |1 − 1.98582| ^ 100 ≈ 0.241
    assert abs(w2[-1]) == pytest.approx(abs(1 - 25 * 10**-1.1) ** 100, rel=1e-9) and abs(w2[-1]) > 0.2
    momentum = run_optimizer("valley", "momentum", defaults["eta"], mu=0.5, steps=100)
    assert np.abs(momentum.path[10:, 1]).max() < 0.05 and momentum.losses[-1] < 1e-15


@pytest.mark.parametrize("mu", [0.0, 0.5, 0.9])
def test_momentum_is_stable_below_two_times_one_plus_mu_over_lambda(mu):
    limit = 2 * (1 + mu) / 25                                       # λ = 25 across the valley
    assert run_optimizer("valley", "momentum", 0.97 * limit, mu=mu, steps=3000).status != "diverged"
    assert run_optimizer("valley", "momentum", 1.03 * limit, mu=mu, steps=3000).status == "diverged"


def test_at_eta_one_tenth_plain_descent_diverges_and_momentum_converges():
    assert run_optimizer("valley", "gradient descent", 0.1, steps=300).status == "diverged"
    assert run_optimizer("valley", "momentum", 0.1, mu=0.9, steps=300).losses[-1] < 1e-10


# ---------------------------------------------------------------- section 5: noisy gradients
def test_decaying_schedule_by_hand():
    opt = Decaying(SGD(0.3), tau=200)
    w = np.zeros(1)
    rates = []
    for _ in range(3):
        before = w.copy()
        opt.step([w], [np.ones(1)])
        rates.append(float(before[0] - w[0]))          # plain SGD with g = 1: the step is the rate itself
    np.testing.assert_allclose(rates, [0.3, 0.3 / (1 + 1 / 200), 0.3 / (1 + 2 / 200)])
    assert opt.learning_rate == 0.3
    with pytest.raises(ValueError, match="tau"):
        Decaying(SGD(0.3), tau=0)


def test_the_first_sgd_step_uses_the_first_mini_batch():
    from backprop_helpers import MLP, make_moons
    run = moons_network_run(SGD(3.0), steps=1)
    X, t = make_moons(200, noise=0.15, seed=0)
    rows = np.random.default_rng(1).choice(200, size=10, replace=False)     # the closure's first draw (seed 1)
    net = MLP([2, 8, 1], activation="tanh", seed=0)

    def batch_loss(w):                                                    # cross-entropy on the batch, by hand
        W1, b1, W2, b2 = w[:16].reshape(2, 8), w[16:24], w[24:32].reshape(8, 1), w[32]
        z = (np.tanh(X[rows] @ W1 + b1) @ W2)[:, 0] + b2
        return float(np.mean(np.logaddexp(0, z) - t[rows] * z))
    w0 = np.concatenate([p.ravel() for p in net.parameters()])
    np.testing.assert_allclose(run.path[1], w0 - 3.0 * numerical_gradient(batch_loss, w0), atol=1e-8)


def test_adaptive_rates_win_on_the_noisy_network_and_the_schedule_calms_it():
    finals = {name: moons_network_run(make()).losses[-1] for name, make in NOISY_RUNS.items()}
    assert finals["Adam"] < finals["momentum"] < finals["SGD"] and finals["Adam"] < finals["SGD"] / 10
    constant = moons_network_run(Adam(0.3), steps=1000)
    scheduled = moons_network_run(Decaying(Adam(0.3), tau=200), steps=1000)

    def jumps(run):
        return np.abs(np.diff(np.log(run.losses[800:]))).mean()
    assert scheduled.losses[-1] < constant.losses[-1] and jumps(scheduled) < jumps(constant) / 3
    scales = gradient_scales(moons_network_run(SGD(3.0)))
    assert scales.shape == (33,) and scales.max() / scales.min() > 5


def test_the_demo_names_a_wrong_surface_or_optimizer():
    from backprop_helpers.course.nb08 import optimizer_demo

    with pytest.raises(ValueError, match="surface 'Valley' is unknown"):
        optimizer_demo(surface="Valley")
    with pytest.raises(ValueError, match="optimizer 'adam' is unknown"):
        optimizer_demo(optimizer="adam")


def test_optimizer_demo_plays_its_steps_with_fixed_loss_axes():
    # Play animates the steps slider (5 steps a frame); the loss axes and the surface stay, so a frame only moves lines
    demo = optimizer_demo()
    assert demo.play == "steps"
    control = demo.controls["steps"]
    demo.set(steps=control.min)   # the first update draws the surface and sets its axes
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in demo.fig.axes]
    for k in range(control.min, control.max + 1, control.step):
        status = demo.set(steps=k)
        assert "Could not" not in status and "diverged" not in status
        assert [(ax.get_xlim(), ax.get_ylim()) for ax in demo.fig.axes] == limits


def test_optimizer_demo_cuts_its_cached_runs_to_the_steps_exactly():
    # the demo keeps the longest run per setting and shows its first `steps` updates: the same status as a
    # demo computing each run afresh, for every optimizer, stopping and diverging runs included
    cached = optimizer_demo()
    for surface in ("valley", "two minima"):
        for optimizer in ("gradient descent", "momentum", "RMSprop", "Adam"):
            for eta in (0.01, 0.1, 1.0):
                cached.set(surface=surface, optimizer=optimizer, eta=eta, steps=300)
                for steps in (5, 50, 295):
                    fresh = optimizer_demo(surface=surface, optimizer=optimizer, eta=eta, steps=steps)
                    assert cached.set(steps=steps) == fresh.update(surface, optimizer, eta, 0.5, steps)
                    plt.close(fresh.fig)
    plt.close(cached.fig)
    run = run_optimizer("valley", "Adam", 0.1, 0.5, 300)
    for steps in (0, 1, 17, 300):
        short, fresh = run.first(steps), run_optimizer("valley", "Adam", 0.1, 0.5, steps)
        assert short.status == fresh.status and np.array_equal(short.path, fresh.path)
        assert np.array_equal(short.losses, fresh.losses) and np.array_equal(short.gradients, fresh.gradients)

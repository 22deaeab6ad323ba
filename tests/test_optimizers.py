"""Optimizers, clipping and penalties (notebook 08).

Expected values are worked out by hand from the published update rules, with the
arithmetic written out here, never by calling the class under test.
"""

import math

import numpy as np
import pytest

from backprop_helpers.calculus import numerical_gradient, relative_error
from backprop_helpers.optimizers import (
    SGD,
    Adam,
    Momentum,
    RMSProp,
    clip_by_norm,
    l1_penalty,
    l1_penalty_grad,
    l2_penalty,
    l2_penalty_grad,
)


# ---------------------------------------------------------------- first steps by hand
def test_sgd_first_steps_by_hand():
    w = np.array([1.0, -2.0])
    g = np.array([0.5, 4.0])
    opt = SGD(0.1)
    opt.step([w], [g])
    assert w == pytest.approx([1.0 - 0.1 * 0.5, -2.0 - 0.1 * 4.0])  # [0.95, -2.4]
    opt.step([w], [g])
    assert w == pytest.approx([0.9, -2.8])


def test_momentum_first_steps_by_hand_on_half_w_squared():
    # E = ½w², so g = w.  η = 0.1, μ = 0.9, v starts at 0.
    w = np.array([1.0])
    opt = Momentum(0.1, momentum=0.9)
    # step 1: v = 0.9*0 - 0.1*1 = -0.1;          w = 1 - 0.1 = 0.9
    # step 2: v = 0.9*(-0.1) - 0.1*0.9 = -0.18;   w = 0.9 - 0.18 = 0.72
    # step 3: v = 0.9*(-0.18) - 0.1*0.72 = -0.234; w = 0.72 - 0.234 = 0.486
    for expected in (0.9, 0.72, 0.486):
        opt.step([w], [w.copy()])
        assert w[0] == pytest.approx(expected, abs=1e-12)


def test_momentum_zero_is_plain_gradient_descent():
    w1, w2 = np.array([3.0, -1.0]), np.array([3.0, -1.0])
    m, s = Momentum(0.05, momentum=0.0), SGD(0.05)
    for _ in range(5):
        m.step([w1], [2 * w1])
        s.step([w2], [2 * w2])
    assert w1 == pytest.approx(w2, abs=1e-12)


def test_rmsprop_first_steps_by_hand():
    w = np.array([1.0])
    opt = RMSProp(0.01, rho=0.9, eps=1e-8)
    # step 1, g = 2: s = 0.9*0 + 0.1*4 = 0.4;     w = 1 - 0.01*2/(√0.4 + 1e-8)
    opt.step([w], [np.array([2.0])])
    w1 = 1.0 - 0.01 * 2.0 / (math.sqrt(0.4) + 1e-8)
    assert w[0] == pytest.approx(w1, abs=1e-12)
    assert w[0] == pytest.approx(0.968377, abs=1e-6)
    # step 2, g = 1: s = 0.9*0.4 + 0.1*1 = 0.46;  w = w1 - 0.01*1/(√0.46 + 1e-8)
    opt.step([w], [np.array([1.0])])
    assert w[0] == pytest.approx(w1 - 0.01 * 1.0 / (math.sqrt(0.46) + 1e-8), abs=1e-12)


def test_adam_defaults_are_the_papers():
    opt = Adam()
    assert (opt.learning_rate, opt.beta1, opt.beta2, opt.eps) == (0.001, 0.9, 0.999, 1e-8)


def test_adam_first_steps_by_hand_with_bias_correction():
    w = np.array([0.5])
    opt = Adam()  # η = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8
    # step 1, g = 0.2: m = 0.1*0.2 = 0.02, v = 0.001*0.04 = 4e-5
    #   m̂ = 0.02/(1-0.9) = 0.2, v̂ = 4e-5/(1-0.999) = 0.04, step = 0.001*0.2/(0.2 + 1e-8)
    opt.step([w], [np.array([0.2])])
    w1 = 0.5 - 0.001 * 0.2 / (0.2 + 1e-8)
    assert w[0] == pytest.approx(w1, abs=1e-15)
    assert w[0] == pytest.approx(0.499, abs=1e-9)  # first step ≈ η·sign(g)
    # step 2, g = -0.1: m = 0.9*0.02 + 0.1*(-0.1) = 0.008,  v = 0.999*4e-5 + 0.001*0.01 = 4.996e-5
    #   m̂ = 0.008/(1 - 0.81) ,  v̂ = 4.996e-5/(1 - 0.998001)
    opt.step([w], [np.array([-0.1])])
    m_hat = 0.008 / (1 - 0.9**2)
    v_hat = 4.996e-5 / (1 - 0.999**2)
    assert w[0] == pytest.approx(w1 - 0.001 * m_hat / (math.sqrt(v_hat) + 1e-8), abs=1e-15)
    assert w[0] == pytest.approx(0.499 - 0.00026634, abs=1e-7)


def test_adam_first_step_size_is_about_eta_for_any_gradient_scale():
    # Bias correction makes the first step ≈ η whatever the size of g (1e-3 or 1e3).
    w = np.array([0.0, 0.0])
    Adam(0.01).step([w], [np.array([1e-3, -1e3])])
    assert w == pytest.approx([-0.01, 0.01], rel=1e-4)


def test_state_is_kept_per_parameter_index():
    # Two parameters of different shapes; each must follow its own momentum history.
    a, b = np.array([1.0]), np.array([[2.0, 0.0], [0.0, 0.0]])
    opt = Momentum(0.5, momentum=0.5)
    opt.step([a, b], [np.array([1.0]), np.ones((2, 2))])
    opt.step([a, b], [np.array([0.0]), np.zeros((2, 2))])
    # a: v = -0.5, a = 0.5;  then v = -0.25, a = 0.25.  b entries: the same path from their start.
    assert a[0] == pytest.approx(0.25)
    assert b == pytest.approx(np.array([[1.25, -0.75], [-0.75, -0.75]]))


def test_step_updates_in_place_and_keeps_the_array_object():
    w = np.array([1.0, 1.0])
    before = id(w)
    Adam(0.1).step([w], [np.array([1.0, -1.0])])
    assert id(w) == before
    assert w[0] < 1.0 < w[1]


def test_reset_forgets_the_state():
    w = np.array([1.0])
    opt = Adam(0.1)
    opt.step([w], [np.array([1.0])])
    opt.reset()
    assert opt.t == 0 and opt.state == {}


def test_all_optimizers_reach_the_minimum_of_a_quadratic():
    for opt in (SGD(0.1), Momentum(0.05, 0.9), RMSProp(0.01), Adam(0.05)):
        w = np.array([3.0, -2.0])
        for _ in range(2000):
            opt.step([w], [w.copy()])
        assert np.abs(w).max() < 0.05, opt


# ---------------------------------------------------------------- bad hyperparameters
@pytest.mark.parametrize("cls", [SGD, Momentum, RMSProp, Adam])
@pytest.mark.parametrize("rate", [0.0, -0.1, math.inf, math.nan])
def test_bad_learning_rate_raises(cls, rate):
    with pytest.raises(ValueError, match="learning_rate"):
        cls(rate)


@pytest.mark.parametrize("rate", ["0.1", None, True])
def test_learning_rate_of_wrong_type_raises(rate):
    with pytest.raises(TypeError, match="learning_rate"):
        SGD(rate)


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: Momentum(0.1, momentum=-0.1), "momentum"),
        (lambda: Momentum(0.1, momentum=1.0), "momentum"),
        (lambda: RMSProp(0.1, rho=1.0), "rho"),
        (lambda: RMSProp(0.1, rho=-0.5), "rho"),
        (lambda: RMSProp(0.1, eps=0.0), "eps"),
        (lambda: Adam(beta1=1.0), "beta1"),
        (lambda: Adam(beta1=-0.1), "beta1"),
        (lambda: Adam(beta2=1.5), "beta2"),
        (lambda: Adam(beta2=math.nan), "beta2"),
        (lambda: Adam(eps=-1e-8), "eps"),
    ],
)
def test_bad_coefficients_raise(make, name):
    with pytest.raises(ValueError, match=name):
        make()


def test_mismatched_params_and_grads_raise():
    opt = SGD(0.1)
    with pytest.raises(ValueError, match="same length"):
        opt.step([np.zeros(2), np.zeros(3)], [np.zeros(2)])
    with pytest.raises(ValueError, match=r"grads\[0\]"):
        opt.step([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(TypeError, match="params"):
        opt.step([np.zeros(2, dtype=int)], [np.zeros(2)])
    with pytest.raises(TypeError, match="params"):
        opt.step([[0.0, 1.0]], [np.zeros(2)])
    with pytest.raises(ValueError, match=r"grads\[0\] contains NaN or inf"):
        opt.step([np.zeros(2)], [np.array([1.0, np.nan])])
    with pytest.raises(ValueError, match=r"grads\[0\] contains NaN or inf"):
        opt.step([np.zeros(2)], [np.array([1.0, np.inf])])
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        opt.step([frozen], [np.zeros(2)])


def test_changing_shape_under_the_same_index_raises():
    opt = Momentum(0.1)
    opt.step([np.zeros(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="reset"):
        opt.step([np.zeros(3)], [np.ones(3)])


# ---------------------------------------------------------------- clipping
def test_clip_caps_the_norm_and_keeps_the_direction():
    grads = [np.array([3.0, 0.0]), np.array([[0.0], [4.0]])]  # global norm 5
    clipped, norm = clip_by_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    assert clipped[0] == pytest.approx([0.6, 0.0])
    assert clipped[1] == pytest.approx(np.array([[0.0], [0.8]]))
    total = math.sqrt(sum(float(np.sum(c**2)) for c in clipped))
    assert total == pytest.approx(1.0)
    # same direction: clipped = c·g with one c > 0 for every array
    assert clipped[0] * 5.0 == pytest.approx(grads[0]) and clipped[1] * 5.0 == pytest.approx(grads[1])


def test_clip_leaves_small_gradients_alone_and_returns_copies():
    grads = [np.array([0.3, -0.4])]
    clipped, norm = clip_by_norm(grads, 1.0)
    assert norm == pytest.approx(0.5)
    assert clipped[0] == pytest.approx([0.3, -0.4])
    clipped[0][0] = 99.0
    assert grads[0][0] == 0.3


def test_clip_random_gradients_never_exceed_max_norm():
    rng = np.random.default_rng(0)
    for _ in range(20):
        grads = [rng.normal(scale=10, size=(3, 4)), rng.normal(scale=10, size=4)]
        clipped, norm = clip_by_norm(grads, 2.5)
        new_norm = math.sqrt(sum(float(np.sum(c**2)) for c in clipped))
        assert new_norm <= 2.5 + 1e-9
        flat, flat_clipped = np.concatenate([g.ravel() for g in grads]), np.concatenate([c.ravel() for c in clipped])
        cosine = flat @ flat_clipped / (np.linalg.norm(flat) * np.linalg.norm(flat_clipped))
        assert cosine == pytest.approx(1.0)


def test_clip_handles_huge_and_zero_gradients_without_warnings():
    clipped, norm = clip_by_norm([np.array([3e200, 4e200])], 1.0)
    assert norm == pytest.approx(5e200)
    assert clipped[0] == pytest.approx([0.6, 0.8])
    clipped, norm = clip_by_norm([np.zeros(3)], 1.0)
    assert norm == 0.0 and not clipped[0].any()


def test_clip_rejects_infinite_gradients():
    with pytest.raises(ValueError, match="grads"):
        clip_by_norm([np.array([np.inf, 1.0])], 1.0)


@pytest.mark.parametrize("max_norm", [0.0, -1.0, math.nan])
def test_clip_bad_max_norm_raises(max_norm):
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_norm([np.ones(2)], max_norm)


# ---------------------------------------------------------------- penalties
def test_penalty_values_by_hand():
    w = [np.array([1.0, -2.0]), np.array([[3.0]])]
    assert l2_penalty(w, 0.1) == pytest.approx(0.5 * 0.1 * (1 + 4 + 9))
    assert l1_penalty(w, 0.1) == pytest.approx(0.1 * (1 + 2 + 3))
    assert l2_penalty(w, 0.0) == 0.0


@pytest.mark.parametrize("lam", [0.0, 0.3, 2.0])
def test_penalty_gradients_match_finite_differences(lam):
    rng = np.random.default_rng(1)
    w = rng.normal(size=(3, 2))
    w[np.abs(w) < 0.05] = 0.5  # keep away from the kink of |w| for the L1 check
    for penalty, grad in ((l2_penalty, l2_penalty_grad), (l1_penalty, l1_penalty_grad)):
        numerical = numerical_gradient(lambda a, penalty=penalty: penalty(a, lam), w)
        analytic = grad(w, lam)
        assert analytic.shape == w.shape
        assert relative_error(analytic, numerical) < 1e-7 or lam == 0.0 and not analytic.any()


def test_penalty_gradients_keep_the_list_structure():
    w = [np.array([1.0, -2.0]), np.array([[0.0, 4.0]])]
    g2 = l2_penalty_grad(w, 0.5)
    g1 = l1_penalty_grad(w, 0.5)
    assert [g.shape for g in g2] == [(2,), (1, 2)]
    assert g2[0] == pytest.approx([0.5, -1.0]) and g2[1] == pytest.approx(np.array([[0.0, 2.0]]))
    assert g1[0] == pytest.approx([0.5, -0.5]) and g1[1] == pytest.approx(np.array([[0.0, 0.5]]))  # 0 at w = 0


@pytest.mark.parametrize("func", [l2_penalty, l2_penalty_grad, l1_penalty, l1_penalty_grad])
def test_penalty_bad_lam_raises(func):
    with pytest.raises(ValueError, match="lam"):
        func(np.ones(2), -0.1)
    with pytest.raises(ValueError, match="lam"):
        func(np.ones(2), math.inf)
    with pytest.raises(TypeError, match="lam"):
        func(np.ones(2), "0.1")
    with pytest.raises(TypeError, match="weights"):
        func("weights", 0.1)

"""Every bad argument of every public function of the core (and of the drawing helpers that moved
to companions 02 and 07) gets a clear message (issue "the checks never lie", DESIGN.md "Errors"):
a TypeError or ValueError that names the argument, no other exception, no warning, no hang, and no
silent NaN or inf in place of an answer.

Each function is called with valid arguments except one, which gets each value of BAD in turn.
A value a function may rightly accept (``seed=None``, ``sigmoid(inf)`` = 1) is listed in its spec.
"""

import math
import signal

import matplotlib.pyplot as plt
import numpy as np
import pytest

import backprop_helpers as bh
from backprop_helpers.course import nb02, nb03, nb06, nb07
from backprop_helpers.course.nb07 import deep_net

NAN, INF = float("nan"), float("inf")
BAD = {
    "None": None, "text": "0.5", "True": True, "nan": NAN, "inf": INF, "-inf": -INF, "complex": 1 + 2j,
    "10**400": 10**400, "ragged": [[1.0], [1.0, 2.0]], "object": object(), "negative": -1, "zero": 0,
    "huge": 1e308, "list": [0.5, 0.25],
}
X2 = np.array([[0.5, -1.0], [1.5, 0.25], [-0.3, 0.8]])
T1 = np.array([[0.2], [0.9], [-0.4]])


_AX = plt.figure().add_subplot()  # the axes the plotting functions draw on


def _net():
    return bh.MLP([2, 3, 1], "tanh")


def forward(X=X2):
    return _net().forward(X)


def backward(grad_output=None):
    net = _net()
    net.forward(X2)
    return net.backward(grad_output)


def _step(optimizer_cls):
    def step(params, grads, learning_rate=0.1):
        return optimizer_cls(learning_rate).step(params, grads)
    return step


# name: (function, valid kwargs, {argument: values it may accept})
ARRAY_OK = {"inf", "-inf", "huge", "negative", "zero", "list", "10**400"}
SPECS = {
    **{name: (getattr(bh, name), {"z": 0.5}, {"z": ARRAY_OK})
       for name in ["sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime", "softplus",
                    "softplus_prime", "identity", "identity_prime"]},
    **{name: (getattr(bh, name), {"t": 1.0, "y": 0.25}, {"t": {"negative", "zero", "list"},
                                                         "y": {"negative", "zero", "list"}})
       for name in ["squared_error", "squared_error_grad"]},
    "mse": (bh.mse, {"t": [1.0, 0.0], "y": [0.5, 0.25]}, {"t": {"list"}, "y": {"list"}}),
    "mse_grad": (bh.mse_grad, {"t": [1.0, 0.0], "y": [0.5, 0.25]}, {"t": {"list"}, "y": {"list"}}),
    "ssr": (bh.ssr, {"observed": [1.0, 0.0], "predicted": [0.5, 0.25]}, {"observed": {"list"}, "predicted": {"list"}}),
    "binary_cross_entropy": (bh.binary_cross_entropy, {"t": [1.0, 0.0], "y": [0.5, 0.25]},
                             {"t": {"list"}, "y": {"list"}}),
    "softmax": (bh.softmax, {"z": [[1.0, 2.0, 0.5]]}, {"z": {"negative", "zero", "list", "huge"}}),
    "numerical_derivative": (bh.numerical_derivative, {"f": math.sin, "x": 0.5}, {"x": {"negative", "zero", "huge"}}),
    "relative_error": (bh.relative_error, {"a": [1.0, 2.0], "b": [1.0, 2.5]}, {"a": {"list"}, "b": {"list"}}),
    "descend": (bh.descend, {"grad": lambda w: 2 * w, "w0": 1.0, "learning_rate": 0.1, "steps": 20},
                {"w0": {"negative", "zero", "list", "huge"}}),
    "init_weights": (bh.init_weights, {"n_in": 2, "n_out": 3}, {}),
    "MLP": (bh.MLP, {"layer_sizes": [2, 3, 1]}, {"layer_sizes": {"list"}}),
    "MLP.forward": (forward, {"X": X2}, {}),
    "MLP.backward": (backward, {"grad_output": np.zeros((3, 1))}, {}),
    "mlp_objective": (bh.mlp_objective, {"net": _net(), "X": X2, "T": T1, "loss": bh.MSE},
                      {"batch_size": {"None"}, "clip": {"None", "huge"}}),
    **{f"{cls.__name__}": (cls, {"learning_rate": 0.1}, {}) for cls in (bh.SGD, bh.Momentum, bh.RMSProp, bh.Adam)},
    "Momentum(momentum)": (lambda momentum=0.9: bh.Momentum(0.1, momentum), {"momentum": 0.9}, {"momentum": {"zero"}}),
    "Adam(beta1)": (lambda beta1=0.9: bh.Adam(0.1, beta1), {"beta1": 0.9}, {"beta1": {"zero"}}),
    **{f"{cls.__name__}.step": (_step(cls), {"params": [np.ones((2, 2))], "grads": [np.full((2, 2), 0.5)]},
                                {"params": {"ragged"}, "grads": set()})
       for cls in (bh.SGD, bh.Momentum, bh.RMSProp, bh.Adam)},
    "clip_by_norm": (bh.clip_by_norm, {"grads": [np.ones(3)], "max_norm": 1.0}, {"grads": {"ragged", "list"}}),
    **{name: (getattr(bh, name), {"weights": np.ones(3), "lam": 0.1},
              {"weights": {"negative", "zero", "list", "huge", "ragged"}, "lam": {"zero"}})
       for name in ["l1_penalty", "l1_penalty_grad", "l2_penalty", "l2_penalty_grad"]},
    "make_moons": (bh.make_moons, {"n": 20}, {"noise": {"zero"}}),
    "make_spiral": (nb06.make_spiral, {"n_per_class": 10}, {"noise": {"zero"}}),
    "fixed_error_signal": (nb07.fixed_error_signal, {"n_samples": 4, "n_out": 2}, {}),
    "layer_gradient_norms": (bh.layer_gradient_norms, {"model": deep_net(3, 4), "X": np.ones((5, 4)),
                                                       "grad_output": np.ones((5, 4))}, {}),
    "activation_variances": (bh.activation_variances, {"model": deep_net(3, 4), "X": np.ones((5, 4))}, {}),
    "gradient_health": (nb07.gradient_health, {"norms": [1e-3, 1.0]},
                        {"norms": {"list", "zero", "huge"}, "vanish": {"huge"}, "explode": {"huge"}}),
    "slider": (bh.slider, {"label": "w", "min": -1.0, "max": 1.0, "value": 0.0},
               {"label": {"text"}, "min": {"negative", "zero"}, "max": {"zero", "huge"}, "value": {"zero", "negative"},
                "step": {"huge"}, "readout_format": {"text"}}),
    "log_slider": (bh.log_slider, {"label": "η", "min": 1e-3, "max": 1.0, "value": 0.1},
                   {"label": {"text"}, "max": {"huge"}}),
    "stops_slider": (bh.stops_slider, {"label": "hidden width", "values": [1, 2, 4, 8], "value": 2}, {}),
    "int_slider": (bh.int_slider, {"label": "steps", "min": 1, "max": 10, "value": 5},
                   {"label": {"text"}, "min": {"negative", "zero"}, "max": {"huge"}}),
    "Value": (bh.Value, {"data": 0.5}, {"data": {"negative", "zero", "huge"}, "label": {"text"}}),
    **{name: (getattr(module, name), {"ax": _AX, arg: [1.0, 0.5]}, {arg: {"list", "negative", "zero", "huge", "inf"}})
       for module, name, arg in [(bh, "plot_loss_curve", "losses"), (nb07, "plot_gradient_norms", "norms"),
                                 (nb07, "plot_activation_variances", "variances")]},
    "log_limits": (nb07.log_limits, {"values": [1.0, 0.5]}, {"values": {"list", "negative", "zero", "huge", "inf"},
                                                           "min_decades": {"huge"}}),
    "plot_descent_path": (nb03.plot_descent_path, {"ax": _AX, "path": np.zeros((3, 2))}, {"label": {"text"}}),
    "new_figure": (bh.new_figure, {"kind": "single"}, {}),
    "plot_layer_shapes": (nb06.plot_layer_shapes, {"ax": _AX, "layer_sizes": [2, 3, 1]}, {"n_samples": set(BAD)}),
    "draw_graph": (nb02.draw_graph, {"root": bh.Value(1.0) * 2}, {"fmt": {"text"}, "title": {"text"}, "ax": {"None"},
                                                               "show_grads": {"True"}}),
    "plot_contours": (bh.plot_contours, {"ax": _AX, "f": lambda x, y: x * x + y * y, "xlim": (-1, 1), "ylim": (-1, 1)},
                      {"levels": {"list", "huge", "negative"}, "field": {"zero"}}),
}
# Not swept: functions passed in, and how a plot looks (matplotlib checks axes, labels and colours itself).
PRESENTATION = {"f", "grad", "ax", "label", "color", "title", "ylabel", "marker", "labels"}
# Arguments that legitimately accept None (a default that means "none", or a fresh seed 0).
NONE_OK = {"seed", "rng", "loss", "optimizer", "step"}
# Values every argument of its kind may take: a huge positive learning rate or limit is legal (it
# diverges, as a result), so is any integer seed, and True for a flag.
KIND_OK = {"seed": {"zero", "10**400"}, "rng": {"zero", "10**400"}, "learning_rate": {"huge"}, "tol": {"huge"},
           "limit": {"huge"}, "lam": {"huge"}, "max_norm": {"huge"}, "eps": {"huge"}, "h": {"huge"},
           "momentum": {"zero"}, "rho": {"zero"}, "beta1": {"zero"}, "beta2": {"zero"}, "steps": {"zero"},
           "residual": {"True"}, "normalize": {"True"}, "from_logits": {"True"}, "log": {"True"}}


def _cases():
    for spec_name, (fn, valid, accepts) in SPECS.items():
        import inspect

        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        for param in params:
            if param.name in PRESENTATION or param.name.startswith("_"):
                continue
            for bad_name in BAD:
                ok = accepts.get(param.name, set()) | KIND_OK.get(param.name, set())
                ok |= {"None"} if param.name in NONE_OK else set()
                if bad_name in ok:
                    continue
                yield pytest.param(spec_name, param.name, bad_name, id=f"{spec_name}-{param.name}={bad_name}")


def _alarm(signum, frame):
    raise TimeoutError("the call took more than 5 s")


@pytest.mark.parametrize("spec_name,argument,bad_name", list(_cases()))
def test_a_bad_argument_is_refused_with_a_message_naming_it(spec_name, argument, bad_name):
    fn, valid, _ = SPECS[spec_name]
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(5)
    try:
        result = fn(**{**valid, argument: BAD[bad_name]})
    except (TypeError, ValueError) as err:
        assert argument in str(err), f"the message does not name {argument!r}: {err}"
        return
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    pytest.fail(f"{spec_name}({argument}={bad_name}) was accepted and returned {result!r:.80}")


def test_the_same_rule_for_a_list_or_a_tuple_of_parameters():
    for container in (list, tuple):
        with pytest.raises(ValueError, match=r"params\[0\] contains NaN"):
            bh.SGD(0.1).step(container([np.array([NAN, 1.0])]), container([np.ones(2)]))


def test_a_huge_step_count_is_refused_at_once_not_run():
    with pytest.raises(ValueError, match="steps must be a whole number from 0 to 1,000,000, got a 401-digit number"):
        bh.descend(lambda w: w, 1.0, 0.1, steps=10**400)


def test_gradients_beyond_float_range_are_scaled_not_zeroed():
    clipped, _ = bh.clip_by_norm([np.array([1e308, 1e308])], 1.0)
    np.testing.assert_allclose(clipped[0], [2**-0.5, 2**-0.5])

"""Tests of the scalar autograd engine ``Value`` (notebook 02)."""

import math
import operator

import numpy as np
import pytest
import sympy

from backprop_helpers import Value, numerical_derivative, topological_order
from backprop_helpers.course.nb02 import backward_steps, neuron_graph, nodes_and_edges

POINTS = [float(p) for p in np.random.default_rng(0).uniform(-2.5, 2.5, 25)]
AWAY_FROM_ZERO = [p if abs(p) > 0.2 else p + 0.5 for p in POINTS]
POSITIVE = [abs(p) + 0.1 for p in POINTS]

# name: (build on a Value, the same function on floats written independently, points)
UNARY = {
    "neg": (lambda v: -v, lambda x: -x, POINTS),
    "exp": (lambda v: v.exp(), math.exp, POINTS),
    "log": (lambda v: v.log(), math.log, POSITIVE),
    "sigmoid": (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), POINTS),
    "tanh": (lambda v: v.tanh(), lambda x: (math.exp(2 * x) - 1) / (math.exp(2 * x) + 1), POINTS),
    "relu": (lambda v: v.relu(), lambda x: x if x > 0 else 0.0, AWAY_FROM_ZERO),
    "softplus": (lambda v: v.softplus(), lambda x: math.log(1 + math.exp(x)), POINTS),
    "pow 2": (lambda v: v**2, lambda x: x * x, POINTS),
    "pow 3": (lambda v: v**3, lambda x: x * x * x, POINTS),
    "pow -1": (lambda v: v**-1, lambda x: 1 / x, AWAY_FROM_ZERO),
    "pow -2": (lambda v: v**-2, lambda x: 1 / (x * x), AWAY_FROM_ZERO),
    "pow 0.5": (lambda v: v**0.5, math.sqrt, POSITIVE),
    "pow 0": (lambda v: v**0, lambda x: 1.0, POINTS),
    "add number": (lambda v: v + 2.5, lambda x: x + 2.5, POINTS),
    "radd number": (lambda v: 2.5 + v, lambda x: x + 2.5, POINTS),
    "sub number": (lambda v: v - 2.5, lambda x: x - 2.5, POINTS),
    "rsub number": (lambda v: 2.5 - v, lambda x: 2.5 - x, POINTS),
    "mul number": (lambda v: v * -1.5, lambda x: -1.5 * x, POINTS),
    "rmul number": (lambda v: -1.5 * v, lambda x: -1.5 * x, POINTS),
    "div number": (lambda v: v / 4, lambda x: 0.25 * x, POINTS),
    "rdiv number": (lambda v: 4 / v, lambda x: 4 / x, AWAY_FROM_ZERO),
    "numpy scalar": (lambda v: np.float64(3.0) * v, lambda x: 3 * x, POINTS),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_gradient_matches_finite_differences(name):
    build, reference, points = UNARY[name]
    for point in points:
        x = Value(point, "x")
        y = build(x)
        y.backward()
        assert y.data == pytest.approx(reference(point), rel=1e-12, abs=1e-12)
        assert x.grad == pytest.approx(numerical_derivative(reference, point), rel=1e-6, abs=1e-8), point


BINARY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


@pytest.mark.parametrize("symbol", sorted(BINARY))
def test_binary_gradients_match_finite_differences(symbol):
    op = BINARY[symbol]
    for a0, b0 in zip(POINTS, AWAY_FROM_ZERO[::-1]):
        a, b = Value(a0, "a"), Value(b0, "b")
        c = op(a, b)
        c.backward()
        assert c.data == pytest.approx(op(a0, b0))
        assert a.grad == pytest.approx(numerical_derivative(lambda s: op(s, b0), a0), rel=1e-6, abs=1e-8)
        assert b.grad == pytest.approx(numerical_derivative(lambda s: op(a0, s), b0), rel=1e-6, abs=1e-8)


def test_reused_node_gradients_add():
    a = Value(3.0, "a")
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    assert b.grad == 2.0
    x = Value(1.5)
    (x * x).backward()
    assert x.grad == 3.0  # 2x: both uses count


def test_backward_twice_gives_the_same_gradients():
    graph = neuron_graph(0.8, 1.5, -0.2, 1.0)
    graph["E"].backward()
    first = {name: v.grad for name, v in graph.items()}
    graph["E"].backward()
    assert {name: v.grad for name, v in graph.items()} == first
    a = Value(3.0)
    c = (a + a) + (a + a)
    c.backward()
    c.backward()
    assert a.grad == 4.0


def test_neuron_graph_matches_the_hand_derivation():
    w, x, b, t = 0.8, 1.5, -0.2, 1.0
    graph = neuron_graph(w, x, b, t)
    graph["E"].backward()
    y = 1 / (1 + math.exp(-(w * x + b)))
    delta = -(t - y) * y * (1 - y)  # ∂E/∂z, notebook 02 section 4
    assert graph["E"].data == pytest.approx(0.5 * (t - y) ** 2, rel=1e-12)
    assert graph["w"].grad == pytest.approx(delta * x, rel=1e-12)
    assert graph["b"].grad == pytest.approx(delta, rel=1e-12)
    assert graph["x"].grad == pytest.approx(delta * w, rel=1e-12)
    assert graph["t"].grad == pytest.approx(t - y, rel=1e-12)
    assert graph["E"].grad == 1.0


def test_composite_expression_against_sympy():
    sw, sx, sb, st = sympy.symbols("w x b t")
    expr = (sympy.Rational(1, 2) * (st - 1 / (1 + sympy.exp(-(sw * sx + sb)))) ** 2
            + sympy.log(sw**2 + 1) * sympy.tanh(sx) - sympy.log(1 + sympy.exp(sb)) / (sx**2 + 2)
            + sympy.exp(sw * sb) - 3 / (st + 4))
    rng = np.random.default_rng(1)
    for _ in range(10):
        point = dict(zip((sw, sx, sb, st), rng.uniform(-1.5, 1.5, 4)))
        w, x, b, t = (Value(float(point[s]), s.name) for s in (sw, sx, sb, st))
        E = (0.5 * (t - (w * x + b).sigmoid()) ** 2 + (w**2 + 1).log() * x.tanh()
             - b.softplus() / (x**2 + 2) + (w * b).exp() - 3 / (t + 4))
        E.backward()
        assert E.data == pytest.approx(float(expr.subs(point)), rel=1e-12)
        for leaf, symbol in ((w, sw), (x, sx), (b, sb), (t, st)):
            assert leaf.grad == pytest.approx(float(sympy.diff(expr, symbol).subs(point)), rel=1e-10, abs=1e-12)


def test_stable_sigmoid_and_softplus_at_large_inputs():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is harmless
        low, high = Value(-1000.0).sigmoid(), Value(1000.0).sigmoid()
        big = Value(1000.0)
        s = big.softplus()
        s.backward()
    assert low.data == 0.0 and high.data == 1.0
    assert s.data == 1000.0 and big.grad == 1.0


@pytest.mark.parametrize("make", [
    lambda: Value(1.0) + "x",
    lambda: "x" + Value(1.0),
    lambda: Value(1.0) * None,
    lambda: Value(1.0) - [1.0],
    lambda: Value(1.0) / True,
    lambda: Value(2.0) ** Value(2.0),
    lambda: 2 ** Value(2.0),
])
def test_unsupported_operands_raise_type_error(make):
    with pytest.raises(TypeError, match="unsupported operand|exponent"):
        make()


def test_bad_data_and_labels():
    with pytest.raises(TypeError, match="data"):
        Value("1.0")
    with pytest.raises(TypeError, match="data"):
        Value(True)
    with pytest.raises(ValueError, match="data"):
        Value(float("nan"))
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)
    with pytest.raises(TypeError, match="root"):
        topological_order(1.0)


def test_domain_errors_name_the_argument():
    with pytest.raises(ValueError, match="log needs a positive argument.*'z'"):
        Value(-1.0, "z").log()
    with pytest.raises(ValueError, match="log"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="base"):
        Value(-2.0) ** 0.5
    with pytest.raises(ValueError, match="base"):
        Value(0.0) ** -1
    with pytest.raises(ZeroDivisionError, match="divisor"):
        Value(1.0) / Value(0.0, "d")
    with pytest.raises(ZeroDivisionError, match="divisor"):
        1.0 / Value(0.0)
    with pytest.raises(OverflowError, match="exp"):
        Value(1000.0).exp()


def test_power_edge_cases():
    zero = Value(0.0)
    (zero**0).backward()
    assert zero.grad == 0.0
    (zero**2).backward()
    assert zero.grad == 0.0
    minus = Value(-2.0)
    (minus**3).backward()
    assert minus.grad == 12.0  # 3·(−2)²


def test_long_chain_does_not_hit_the_recursion_limit():
    x = Value(0.0, "x")
    v = x
    for _ in range(5000):
        v = v + 1.0
    v.backward()
    assert v.data == 5000.0 and x.grad == 1.0


def test_nodes_and_edges_in_topological_order():
    graph = neuron_graph(0.8, 1.5, -0.2, 1.0)
    nodes, edges = nodes_and_edges(graph["E"])
    assert len(nodes) == 10 and len(set(map(id, nodes))) == 10
    assert nodes[-1] is graph["E"]
    position = {id(n): i for i, n in enumerate(nodes)}
    assert len(edges) == 9
    for parent, child in edges:
        assert position[id(parent)] < position[id(child)]
    a = Value(1.0, "a")
    b = a + a
    assert nodes_and_edges(b) == ([a, b], [(a, b), (a, b)])


def test_backward_steps_replay_the_backward_pass():
    graph = neuron_graph(0.8, 1.5, -0.2, 1.0)
    root = graph["E"]
    steps = backward_steps(root)
    assert all(v.grad == 0.0 for v in graph.values())  # replaying does not write grads
    assert len(steps) == 10
    assert steps[0].node is root and steps[0].grad == 1.0 and steps[0].contributions == []
    seen = set()
    for step in steps:  # each node after all of its users
        for user, local, user_grad in step.contributions:
            assert id(user) in seen
            assert local * user_grad == pytest.approx(step.grad)
        seen.add(id(step.node))
    # every replayed gradient against the hand derivation of section 4 (y = f(1) for z = 0.8·1.5 − 0.2)
    y = 1 / (1 + math.exp(-1.0))
    delta = -(1 - y) * y * (1 - y)  # ∂E/∂z
    by_hand = {"E": 1.0, "(t−y)²": 0.5, "t−y": 1 - y, "y": -(1 - y), "z": delta, "w·x": delta, "b": delta,
               "w": delta * 1.5, "x": delta * 0.8, "t": 1 - y}
    assert {s.node.label: s.grad for s in steps} == pytest.approx(by_hand, rel=1e-12)
    y = graph["y"].data
    z_step = next(s for s in steps if s.node is graph["z"])
    (user, local, _), = z_step.contributions
    assert user is graph["y"] and local == pytest.approx(y * (1 - y))


def test_backward_steps_sum_over_uses():
    a = Value(3.0, "a")
    b = (a + a).named("b")
    c = (b + b).named("c")
    steps = backward_steps(c)
    assert [s.node for s in steps] == [c, b, a]
    assert [s.grad for s in steps] == [1.0, 2.0, 4.0]
    assert [(u.label, local, g) for u, local, g in steps[2].contributions] == [("b", 1.0, 2.0), ("b", 1.0, 2.0)]


def test_value_attributes_and_repr():
    w = Value(0.5, "w")
    z = (w * 2).named("z")
    assert (z.data, z.grad, z.label, z.op, z.parents) == (1.0, 0.0, "z", "×2", (w,))
    assert (w.op, w.parents) == ("", ())
    assert repr(z) == "Value('z', data=1, grad=0)"

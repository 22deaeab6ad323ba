"""Notebook 02's demo, graph drawing and exercise checks."""

import math
import pathlib
import re

import matplotlib.pyplot as plt
import nbformat
import pytest
from matplotlib.colors import to_rgba

from backprop_helpers import Value, topological_order
from backprop_helpers.course.nb02 import (
    NB02_EXERCISE_NEURON,
    backward_replay_demo,
    backward_steps,
    box_title,
    check_backward,
    check_mul_backward,
    check_nb02_backward_order,
    check_nb02_bias_gradient,
    check_nb02_paths,
    describe_backward_step,
    describe_replay,
    draw_graph,
    draw_labelled_graph,
    forward_vs_reverse,
    graph_layout,
    local_formula,
    neuron_graph,
    replay,
    replay_strip,
)

ORANGE, BLUE, WHITE = to_rgba("#F9D9A6"), to_rgba("#DCEAF5"), to_rgba("white")


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


@pytest.fixture
def demo():
    demo = backward_replay_demo()
    yield demo
    plt.close(demo.fig)


def test_replay_records_against_hand_numbers():
    y = _sigmoid(0.8 * 1.5 - 0.2)  # z = 1
    start = replay(0)
    assert start.step == 0 and start.n_steps == 10 and start.grads == {} and start.current is None
    assert start.loss == pytest.approx(0.5 * (1 - y) ** 2)  # E = ½(t − y)² = 0.0362
    sigmoid_step = replay(5)  # E, (t−y)², t−y, y, then z
    assert sigmoid_step.nodes[sigmoid_step.current].label == "z"
    assert sigmoid_step.backward_step.grad == pytest.approx(-(1 - y) * y * (1 - y))
    (user, local, user_grad), = sigmoid_step.backward_step.contributions
    assert user.label == "y" and local == pytest.approx(y * (1 - y)) and user_grad == pytest.approx(-(1 - y))
    assert len(sigmoid_step.grads) == 5
    # w = 3, x = 1.5: z = 4.3, y close to t = 1, so ∂E/∂z is tiny
    y3 = _sigmoid(3 * 1.5 - 0.2)
    assert replay(5, w=3.0).backward_step.grad == pytest.approx(-(1 - y3) * y3 * (1 - y3))
    with pytest.raises(ValueError, match="step"):
        replay(11)
    with pytest.raises(TypeError, match="w"):
        replay(1, w="0.8")


def test_every_slider_extreme_gives_a_status_from_its_record(demo):
    for name, value, status in demo.sweep_extremes():
        values = {**demo.values(), name: value}
        assert status == describe_replay(replay(values["step"], values["w"], values["x"]))
        assert "nan" not in status and "Could not" not in status


def test_each_step_highlights_its_node(demo):
    boxes = demo.drawing.boxes
    for step in range(11):
        demo.update(step=step)
        state = replay(step)
        colours = [tuple(box.get_facecolor()) for box in boxes]
        assert sum(c == ORANGE for c in colours) == (1 if step else 0)
        assert sum(c == BLUE for c in colours) == max(step - 1, 0)
        assert sum(c == WHITE for c in colours) == 10 - step
        if step:
            assert colours[state.current] == ORANGE


def test_boxes_show_formulas_and_edges_their_local_derivatives():
    xv = Value(0.7, "x")
    u = (xv**2).named("u")
    v = xv.exp().named("v")
    q = (u * v).named("q")
    q.backward()
    drawing = draw_labelled_graph(q)
    try:
        titles = [text.get_text().split("\n")[0] for text in drawing.texts]
        assert titles == ["x", "u = x²", "v = eˣ", "q = u·v"]

        def edge(gid):
            (text,) = [t for t in drawing.ax.texts if t.get_gid() == gid]
            return text.get_text()
        # local derivatives at x = 0.7: ∂u/∂x = 2x = 1.4, ∂v/∂x = e^0.7 = 2.01, ∂q/∂u = v, ∂q/∂v = u = 0.49
        assert edge("edge x→u") == "2x\n= 1.4"
        assert edge("edge x→v") == "eˣ\n= 2.01"
        assert edge("edge u→q") == "v\n= 2.01"
        assert edge("edge v→q") == "u\n= 0.49"
    finally:
        plt.close(drawing.fig)
    graph = neuron_graph(0.8, 1.5, -0.2, 1.0)
    assert box_title(graph["y"]) == "y = f(z)" and box_title(graph["w·x"]) == "w·x"
    assert local_formula(graph["y"], 0) == "f′(z)" and local_formula(graph["(t−y)²"], 0) == "2(t−y)"
    assert local_formula(graph["t−y"], 1) == "−1"


def test_replay_demo_updates_edge_labels_with_the_sliders(demo):
    demo.update(step=3, w=-1.0, x=2.0)
    (text,) = [t for t in demo.drawing.ax.texts if t.get_gid() == "edge w→w·x"]
    assert text.get_text() == "x\n= 2"  # ∂(w·x)/∂w = x


def test_replay_strip_shows_the_chosen_steps():
    fig, states = replay_strip((1, 4, 5, 10))
    try:
        assert [s.step for s in states] == [1, 4, 5, 10]
        assert [s.nodes[s.current].label for s in states] == ["E", "y", "z", "t"]
        assert len(fig.axes) == 4
    finally:
        plt.close(fig)


def test_forward_versus_reverse_counts():
    one = forward_vs_reverse(1)
    # nodes by hand: w, x, b, w·x, b + w·x, f(z), 1 − y, (1 − y)², ×0.5 → 9; central differences:
    # 2 passes for each of the 3 parameters w, x, b; reverse: each node once forwards, once backwards
    assert (one.nodes, one.fd_passes, one.fd_node_evaluations, one.reverse_node_visits) == (9, 6, 54, 18)
    hundred = forward_vs_reverse(100)
    # 100 products and 100 sums, 3·100 + 1 leaves, and the same 5 nodes after the sum: 405 nodes
    assert (hundred.nodes, hundred.fd_passes) == (405, 402)
    assert one.max_difference < 1e-9 and hundred.max_difference < 1e-9
    with pytest.raises(ValueError, match="n_inputs"):
        forward_vs_reverse(0)


def test_draw_graph_shows_values_and_grads_and_can_hide_them():
    graph = neuron_graph(0.8, 1.5, -0.2, 1.0)
    graph["E"].backward()
    drawing = draw_graph(graph["E"])
    try:
        assert len(drawing.boxes) == 10 and len(drawing.arrows) == 9
        w_text = drawing.texts[drawing.index(graph["w"])].get_text()
        y = _sigmoid(1.0)
        assert w_text == f"w\n= 0.8\ngrad {-(1 - y) * y * (1 - y) * 1.5:.3g}"
        drawing.update(grads=None)
        assert all(t.get_text().endswith("grad ?") for t in drawing.texts)
        drawing.update(grads={drawing.index(graph["E"]): 1.0}, highlight=graph["y"])
        assert tuple(drawing.boxes[drawing.index(graph["y"])].get_facecolor()) == ORANGE
        # the arrow from y to its user t−y carries the highlight
        key = (drawing.index(graph["y"]), drawing.index(graph["t−y"]), 0)
        assert drawing.arrows[key].get_linewidth() == 2.0
        with pytest.raises(ValueError, match="not in this drawing"):
            drawing.update(highlight=Value(1.0))
        with pytest.raises(ValueError, match="values"):
            drawing.update(values=[1.0])
        with pytest.raises(TypeError, match="grads"):
            drawing.update(grads=[1.0])
    finally:
        plt.close(drawing.fig)
    with pytest.raises(TypeError, match="root"):
        draw_graph(1.0)


def test_layout_puts_inputs_left_of_their_users():
    graph = neuron_graph(0.8, 1.5, -0.2, 1.0)
    position = graph_layout(graph["E"])
    column = {name: position[id(v)][0] for name, v in graph.items()}
    assert column["w"] == column["x"] == 0
    assert column["E"] == max(column.values()) == 6
    for name, v in graph.items():
        for parent in v.parents:
            assert position[id(parent)][0] < column[name]
    a = Value(1.0, "a")
    b = a + a
    drawing = draw_graph(b)
    assert len(drawing.arrows) == 2  # one arrow per use
    plt.close(drawing.fig)


def test_arrows_that_skip_a_column_are_curved_over_the_boxes():
    # Exercise 3's graph: a → d skips c's column and c → L skips d's and e's
    a, b = Value(0.5, "a"), Value(2.0, "b")
    c = (a * b).named("c")
    d = (c + a).named("d")
    e = d.tanh().named("e")
    L = (e * c).named("L")
    drawing = draw_graph(L)
    try:
        position = graph_layout(L)
        top_of_boxes = max(r for _, r in position.values()) + 0.37
        for (p, q, _), arrow in drawing.arrows.items():
            skip = position[id(drawing.nodes[q])][0] - position[id(drawing.nodes[p])][0] > 1
            assert arrow.get_connectionstyle().rad == (-0.35 if skip else 0.0)
            if skip:  # the arc's control point lies above the boxes, and the axes make room for it
                vertices = arrow.get_path().vertices
                assert vertices[:, 1].max() > top_of_boxes
        assert sum(1 for p, q, _ in drawing.arrows
                   if position[id(drawing.nodes[q])][0] - position[id(drawing.nodes[p])][0] > 1) == 2
        assert drawing.ax.get_ylim()[1] > top_of_boxes + 0.3  # a straight-arrow graph stops at + 0.13
    finally:
        plt.close(drawing.fig)


def test_check_nb02_paths():
    assert check_nb02_paths(7).correct
    assert check_nb02_paths(7.0).correct
    assert "twice" in check_nb02_paths(5).message
    assert "multiplied" in check_nb02_paths(12).message
    assert "through v" in check_nb02_paths(4).message
    assert "value of c" in check_nb02_paths(10).message
    assert not check_nb02_paths(8)
    assert "expected a number" in check_nb02_paths("7").message
    assert "replace None" in check_nb02_paths(None).message


def test_check_nb02_bias_gradient():
    p = NB02_EXERCISE_NEURON
    y = _sigmoid(p["w"] * p["x"] + p["b"])
    right = -(p["t"] - y) * y * (1 - y)
    assert round(right, 4) == -0.1480  # the number the notebook's solution shows
    assert check_nb02_bias_gradient(right).correct
    assert check_nb02_bias_gradient(-0.148).correct
    assert "sign" in check_nb02_bias_gradient(-right).message
    assert "left out the sigmoid" in check_nb02_bias_gradient(-(p["t"] - y)).message
    assert "∂E/∂w" in check_nb02_bias_gradient(right * p["x"]).message
    assert "not f(z)" in check_nb02_bias_gradient(-(p["t"] - y) * y).message
    assert "½" in check_nb02_bias_gradient(2 * right).message
    assert not check_nb02_bias_gradient(0.3)
    assert "expected a number" in check_nb02_bias_gradient([right]).message
    assert "replace None" in check_nb02_bias_gradient(None).message


def test_check_nb02_backward_order():
    assert check_nb02_backward_order(["L", "e", "d", "c", "a", "b"]).correct
    assert check_nb02_backward_order(("L", "e", "d", "c", "b", "a")).correct
    assert "forward" in check_nb02_backward_order(["a", "b", "c", "d", "e", "L"]).message
    message = check_nb02_backward_order(["L", "e", "c", "d", "a", "b"]).message
    assert "c comes before d, but d uses c" in message
    assert "missing: ['b']" in check_nb02_backward_order(["L", "e", "d", "c", "a"]).message
    assert "repeated: ['a']" in check_nb02_backward_order(["L", "e", "d", "c", "a", "a"]).message
    assert "unknown: ['x']" in check_nb02_backward_order(["L", "e", "d", "c", "a", "x"]).message
    assert "expected a list" in check_nb02_backward_order("Ledcab").message
    assert "expected a list" in check_nb02_backward_order([1, 2]).message
    assert "replace None" in check_nb02_backward_order(None).message


def test_describe_backward_step_sums_over_uses():
    a = Value(3.0, "a")
    b = (a + a).named("b")
    c = (b + b).named("c")
    step = backward_steps(c)[2]
    assert step.node is a and step.grad == 4.0  # c = 4a
    assert describe_backward_step(step, "c") == (
        "∂c/∂a = 4 (sum over its 2 uses: ∂b/∂a = 1 times ∂c/∂b = 2; plus ∂b/∂a = 1 times ∂c/∂b = 2)")


# --- your turn: the learner's backward rule and backward() ------------------------------------

def mul_backward(u, v, grad_m):
    return v * grad_m, u * grad_m


MUL_MISTAKES = [
    (lambda u, v, g: (u * g, v * g), "other* factor"),
    (lambda u, v, g: (v, u), "arrives from above"),
    (lambda u, v, g: (v + g, u + g), "not plus"),
]


def test_check_mul_backward_accepts_the_rule_and_names_each_mistake():
    assert check_mul_backward(mul_backward).correct
    for wrong, words in MUL_MISTAKES:
        feedback = check_mul_backward(wrong)
        assert not feedback.correct and words in feedback.message, feedback.message

    def stub(u, v, grad_m):
        ...
    assert "returned None" in check_mul_backward(stub).message
    assert "not a function" in check_mul_backward(None).message
    assert "raised ZeroDivisionError" in check_mul_backward(lambda u, v, g: (1 / 0, 0)).message


def backward(root):
    """The learner's solution, as the notebook's solution cell writes it."""
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_derivatives):
            parent.grad += local * node.grad


def overwrites(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_derivatives):
            parent.grad = local * node.grad


def forward_order(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in order:
        for parent, local in zip(node.parents, node.local_derivatives):
            parent.grad += local * node.grad


def local_missing(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent in node.parents:
            parent.grad += node.grad


def never_resets(root):
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_derivatives):
            parent.grad += local * node.grad


def recursive_without_order(root, grad=1.0):  # a common first try: push along every path recursively
    root.grad = grad
    for parent, local in zip(root.parents, root.local_derivatives):
        recursive_without_order(parent, local * grad)


def test_check_backward_accepts_the_solution_and_names_each_mistake():
    assert check_backward(backward).correct
    for wrong, words in [(overwrites, "overwritten instead of added"), (forward_order, "wrong order"),
                         (local_missing, "local derivative missing"), (never_resets, "second call"),
                         (lambda root: None, "no gradient was written yet")]:
        feedback = check_backward(wrong)
        assert not feedback.correct and words in feedback.message, feedback.message
    # not in the catalogue: the failing case is named
    feedback = check_backward(recursive_without_order)
    assert not feedback.correct and "in the case a node reused twice" in feedback.message


def test_check_backward_never_raises():
    def hangs(root):
        while True:
            pass
    assert "more than 2 s" in check_backward(hangs).message
    assert "raised AttributeError" in check_backward(lambda root: root.gradient).message
    assert "not a function" in check_backward("backward").message


def test_the_solution_agrees_with_sympy_on_the_neuron():
    import sympy
    sw, sx, sb, st = sympy.symbols("w x b t")
    E_sym = sympy.Rational(1, 2) * (st - 1 / (1 + sympy.exp(-(sw * sx + sb)))) ** 2
    graph = neuron_graph(0.8, 1.5, -0.2, 1.0)
    backward(graph["E"])
    point = {sw: 0.8, sx: 1.5, sb: -0.2, st: 1.0}
    for name, symbol in (("w", sw), ("x", sx), ("b", sb), ("t", st)):
        assert graph[name].grad == pytest.approx(float(sympy.diff(E_sym, symbol).subs(point)), rel=1e-12)


# --- the committed notebook ------------------------------------------------------------------

NOTEBOOK = pathlib.Path(__file__).resolve().parent.parent / "notebooks" / "02_chain_rule_and_computational_graphs.ipynb"


def _cells():
    return nbformat.read(NOTEBOOK, as_version=4).cells


def _text(cell):
    parts = [o.get("text", "") for o in cell.outputs if o.output_type == "stream"]
    parts += [o.get("data", {}).get("text/plain", "") for o in cell.outputs if "data" in o]
    return "".join(parts)


def test_notebook_your_turn_has_stubs_checks_and_hidden_solutions():
    cells = _cells()
    for name in ("mul_backward", "backward"):
        stub, solution = [i for i, c in enumerate(cells) if c.source.startswith(f"def {name}(")]
        assert "exercise" in cells[stub].metadata["tags"] and cells[stub].source.rstrip().endswith("...")
        assert "solution" in cells[solution].metadata["tags"]
        assert cells[solution].metadata["jupyter"]["source_hidden"] is True
        assert cells[stub + 1].source == cells[solution + 1].source == f"check_{name}({name})"
        assert _text(cells[stub + 1]).startswith("❌ Not yet")
        assert _text(cells[solution + 1]).startswith("✅ Correct!")


def test_notebook_numbers_of_the_sigmoid_check_and_the_learners_backward():
    cells = _cells()
    (sigmoid_cell,) = [c for c in cells if "f′(z) = f(z)(1 − f(z))\")" in c.source]
    for z0, slope in re.findall(r"z = ([+-][0-9.]+): central difference ([0-9.]+)", _text(sigmoid_cell)):
        y = _sigmoid(float(z0))
        assert float(slope) == pytest.approx(y * (1 - y), abs=1e-8)
    (neuron_cell,) = [c for c in cells if "your backward()" in c.source]
    shown = re.findall(r"∂E/∂(\w): your backward\(\) ([+-][0-9.]+)\s+Value.backward\(\) ([+-][0-9.]+)",
                       _text(neuron_cell))
    y = _sigmoid(1.0)  # z = 0.8·1.5 − 0.2
    delta = -(1 - y) * y * (1 - y)
    by_hand = {"w": delta * 1.5, "x": delta * 0.8, "b": delta, "t": 1 - y}
    assert {name for name, _, _ in shown} == set(by_hand)
    for name, mine, engine in shown:
        assert float(mine) == pytest.approx(by_hand[name], abs=1e-6) and mine == engine


def test_notebook_forward_versus_reverse_table():
    (cell,) = [c for c in _cells() if "forward_vs_reverse(n)" in c.source]
    rows = re.findall(r"n = +(\d+): +(\d+) nodes per pass \| central differences: +(\d+) passes, +(\d+) "
                      r"node evaluations \| forward \+ backward: +(\d+) node visits \((\d+)× fewer\) \| "
                      r"same gradients: True", _text(cell))
    # by hand: 4n + 5 nodes (2n + 1 leaves, n products, n sums, then f, 1 − y, square, ×½),
    # 2(2n + 1) central-difference passes, and every node visited once forwards and once backwards
    assert [tuple(map(int, row)) for row in rows] == [
        (n, 4 * n + 5, 2 * (2 * n + 1), 2 * (2 * n + 1) * (4 * n + 5), 2 * (4 * n + 5), round((2 * n + 1)))
        for n in (1, 10, 100)]

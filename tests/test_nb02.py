"""Notebook 02's demo, graph drawing and exercise checks."""

import math

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba

from backprop_helpers import Value, backward_steps, draw_graph, graph_layout
from backprop_helpers.course.nb02 import (
    NB02_EXERCISE_NEURON,
    backward_replay_demo,
    check_nb02_backward_order,
    check_nb02_bias_gradient,
    check_nb02_paths,
    describe_backward_step,
    neuron_graph,
)

ORANGE, BLUE, WHITE = to_rgba("#F9D9A6"), to_rgba("#DCEAF5"), to_rgba("white")


def _sigmoid(z):
    return 1 / (1 + math.exp(-z))


@pytest.fixture
def demo():
    demo = backward_replay_demo()
    yield demo
    plt.close(demo.fig)


def test_sweep_extremes_gives_clear_statuses(demo):
    results = demo.sweep_extremes()
    assert {name for name, _, _ in results} == {"step", "w", "x"}
    for name, value, status in results:
        assert "nan" not in status and "inf" not in status
        assert status.startswith("step ")
    statuses = {(name, value): status for name, value, status in results}
    assert statuses[("step", 0)].startswith("step 0 of 10: forward pass done, E = 0.0362")
    assert statuses[("step", 10)].startswith("step 10 of 10: ∂E/∂")
    # w = 3, x = 1.5: z = 4.3, y close to t = 1, so E is tiny
    y = _sigmoid(3 * 1.5 - 0.2)
    assert f"{-(1 - y) * y * (1 - y):.3g}" in statuses[("w", 3.0)]


def test_each_step_names_its_node_and_highlights_it(demo):
    for step in range(11):
        status = demo.update(step=step)
        assert status.startswith(f"step {step} of 10")
        boxes = [box.get_facecolor() for box in demo.fig.axes[0].patches if hasattr(box, "get_boxstyle")]
        assert len(boxes) == 10
        assert sum(tuple(c) == ORANGE for c in boxes) == (1 if step else 0)
        assert sum(tuple(c) == BLUE for c in boxes) == max(step - 1, 0)
        assert sum(tuple(c) == WHITE for c in boxes) == 10 - step
    assert demo.update(step=1) == "step 1 of 10: ∂E/∂E = 1 (the backward pass starts at the output)"


def test_sigmoid_step_status_matches_hand_numbers(demo):
    y = _sigmoid(0.8 * 1.5 - 0.2)
    status = demo.update(step=5, w=0.8, x=1.5)
    assert status == (f"step 5 of 10: ∂E/∂z = {-(1 - y) * y * (1 - y):.3g} (local derivative ∂y/∂z = f′(z) = "
                      f"{y * (1 - y):.3g} times ∂E/∂y = {-(1 - y):.3g})")
    texts = [t.get_text() for t in demo.fig.axes[0].texts]
    assert any(text.startswith("z  [+]") and f"grad {-(1 - y) * y * (1 - y):.3g}" in text for text in texts)
    assert sum("grad ?" in text for text in texts) == 5


def test_describe_backward_step_sums_over_uses():
    a = Value(3.0, "a")
    b = (a + a).named("b")
    c = (b + b).named("c")
    steps = backward_steps(c)
    assert describe_backward_step(steps[2], "c") == (
        "∂c/∂a = 4 (sum over its 2 uses: ∂b/∂a = 1 times ∂c/∂b = 2; plus ∂b/∂a = 1 times ∂c/∂b = 2)")
    graph = neuron_graph(0.8, 1.5, -0.2, 1.0)
    step = next(s for s in backward_steps(graph["E"]) if s.node is graph["w·x"])
    assert describe_backward_step(step).startswith("∂E/∂(w·x) = ")
    # a label that already has brackets gets square ones, so ∂E/∂(t−y)² cannot read as a 2nd derivative
    step = next(s for s in backward_steps(graph["E"]) if s.node is graph["(t−y)²"])
    assert describe_backward_step(step) == "∂E/∂[(t−y)²] = 0.5 (local derivative ∂E/∂[(t−y)²] = 0.5 times ∂E/∂E = 1)"
    step = next(s for s in backward_steps(graph["E"]) if s.node is graph["t−y"])
    assert describe_backward_step(step).startswith("∂E/∂(t−y) = ")
    assert "∂[(t−y)²]/∂(t−y) = " in describe_backward_step(step)


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

"""Notebook 02 · The chain rule and computational graphs: the companion module.

Checks for notebook 02's exercises: the chain rule on graphs, one neuron, the backward order.

Notebook 02's demo: replay the backward pass of one neuron's graph, one node per step.
"""

import math

from ..autograd import Value, backward_steps
from ..feedback import NO_ANSWER, Feedback, check_number
from ..plotting.graph import draw_graph
from ..plotting.style import new_figure
from ..widgets import Demo, int_slider, slider

__all__ = [
    "neuron_graph",
    "check_nb02_paths",
    "check_nb02_bias_gradient",
    "check_nb02_backward_order",
    "NB02_EXERCISE_NEURON",
    "NB02_ORDER_EDGES",
    "backward_replay_demo",
    "describe_backward_step",
]


# ---- the neuron's graph ------------------------------------------------------------------

def neuron_graph(w, x, b, t):
    """The graph of one sigmoid neuron and its loss (notebooks 02 and 04).

    z = w·x + b, y = f(z) with f the sigmoid, E = ½(t − y)².  Returns a dict of the labelled
    Values ``w, x, b, t, wx, z, y, t−y, (t−y)², E``; ``E`` is the root.
    """
    w, x, b, t = Value(w, "w"), Value(x, "x"), Value(b, "b"), Value(t, "t")
    wx = (w * x).named("w·x")
    z = (wx + b).named("z")
    y = z.sigmoid().named("y")
    r = (t - y).named("t−y")
    r2 = (r**2).named("(t−y)²")
    E = (0.5 * r2).named("E")
    return {"w": w, "x": x, "b": b, "t": t, "w·x": wx, "z": z, "y": y, "t−y": r, "(t−y)²": r2, "E": E}


# ---- exercises: the check_* functions ----------------------------------------------------

# Exercise 2: the neuron y = f(w·x + b), E = ½(t − y)² at these numbers.
NB02_EXERCISE_NEURON = {"w": 2.0, "x": -0.5, "b": 0.25, "t": 1.0}

# Exercise 3: the graph c = a·b, d = c + a, e = tanh(d), L = e·c as (input, user) pairs.
NB02_ORDER_EDGES = [("a", "c"), ("b", "c"), ("c", "d"), ("a", "d"), ("d", "e"), ("e", "L"), ("c", "L")]


def check_nb02_paths(answer):
    """Exercise 1: c = u + v with u = a·a and v = 3·a, at a = 2; dc/da = 2a + 3 = 7 (sum over paths)."""
    return check_number(
        answer, 7.0,
        mistakes=[
            (5.0, "a is used twice by u = a·a: ∂u/∂a = a + a = 2a, not a. Each use is its own path, and paths add."),
            (4.0, "you followed only the path through u. a also reaches c through v = 3·a; add that path's 3."),
            (3.0, "you followed only the path through v. a also reaches c through u = a·a; add that path's 2a."),
            (12.0, "you multiplied the two paths. Along one path local derivatives multiply; "
                   "different paths add: dc/da = ∂c/∂u·∂u/∂a + ∂c/∂v·∂v/∂a."),
            (10.0, "10 is the value of c = a² + 3a at a = 2, not its derivative."),
        ],
        hint="write the two paths from a to c, multiply the local derivatives along each, then add the paths.",
        success="dc/da = 2a + 3 = 7: the path through u gives 2a = 4, the path through v gives 3, and they add.",
    )


def _neuron_numbers():
    p = NB02_EXERCISE_NEURON
    y = 1.0 / (1.0 + math.exp(-(p["w"] * p["x"] + p["b"])))
    return p, y


def check_nb02_bias_gradient(answer):
    """Exercise 2: ∂E/∂b = −(t − y)·f(z)(1 − f(z))·1 for the neuron of ``NB02_EXERCISE_NEURON``."""
    p, y = _neuron_numbers()
    t = p["t"]
    right = -(t - y) * y * (1 - y)
    return check_number(
        answer, right,
        mistakes=[
            (-right, "the sign is flipped: ∂E/∂y = −(t − y), because y enters E through t − y."),
            (-(t - y), "you left out the sigmoid's local derivative ∂y/∂z = f(z)(1 − f(z))."),
            (right * p["x"], "that is ∂E/∂w: the last factor for b is ∂z/∂b = 1, not x."),
            (-(t - y) * y, "the sigmoid's derivative is f(z)(1 − f(z)), not f(z)."),
            (right / 2, "the square gives a factor 2 that cancels the ½: ∂E/∂y = ½·2(t − y)·(−1) = −(t − y)."),
            (right * 2, "keep the ½ of E = ½(t − y)²: it cancels the 2 from the square, so ∂E/∂y = −(t − y)."),
        ],
        hint="multiply the three local derivatives ∂E/∂y = −(t − y), ∂y/∂z = y(1 − y) and ∂z/∂b = 1.",
        success=f"∂E/∂b = −(t − y)·y(1 − y) = {right:.4f}, with z = {p['w'] * p['x'] + p['b']:g} and y = {y:.4f}.",
    )


def check_nb02_backward_order(answer):
    """Exercise 3: a list of labels in which the backward pass may visit the nodes of
    ``NB02_ORDER_EDGES``: each node after every node that uses it (reversed topological order)."""
    if answer is None:
        return Feedback(False, NO_ANSWER)
    if not isinstance(answer, (list, tuple)) or not all(isinstance(label, str) for label in answer):
        kind = type(answer).__name__
        return Feedback(False, f"expected a list of labels (strings) such as ['L', 'e', ...], got {kind}.")
    labels = {label for edge in NB02_ORDER_EDGES for label in edge}
    if sorted(answer) != sorted(labels):
        missing = sorted(labels - set(answer))
        extra = sorted(set(answer) - labels)
        repeated = sorted({label for label in answer if list(answer).count(label) > 1})
        problems = [f"{name}: {items}" for name, items in
                    (("missing", missing), ("unknown", extra), ("repeated", repeated)) if items]
        listed = "; ".join(problems)
        return Feedback(False, f"list each of the six labels a, b, c, d, e, L exactly once ({listed}).")
    position = {label: i for i, label in enumerate(answer)}
    if all(position[x] < position[u] for x, u in NB02_ORDER_EDGES):
        return Feedback(False, "that is a forward (topological) order. The backward pass runs it in reverse: "
                        "start at L.")
    for node, user in NB02_ORDER_EDGES:
        if position[node] < position[user]:
            return Feedback(False, f"{node} comes before {user}, but {user} uses {node}: when {node} is visited, "
                            f"the contribution from {user} has not arrived yet, so ∂L/∂{node} would be incomplete.")
    return Feedback(True, "every node comes after all the nodes that use it, so each gradient is complete "
                    "when it is passed on. Note c: it is used twice (by d and by L) and must wait for both.")


# ---- demos -------------------------------------------------------------------------------

def _wrap(label):
    """A label as it reads after ∂: "z" stays, "w·x" becomes "(w·x)" and "(t−y)²" becomes
    "[(t−y)²]", so that ∂E/∂[(t−y)²] cannot be misread as a second derivative."""
    label = label or "·"
    if not any(c in label for c in "+−-·×÷²"):
        return label
    return f"[{label}]" if "(" in label else f"({label})"


def describe_backward_step(step, root_label="E"):
    """One sentence for a ``BackwardStep``: the chain rule ∂E/∂u = Σ ∂v/∂u · ∂E/∂v with its numbers."""
    node, grad, terms = step
    name = _wrap(node.label)
    head = f"∂{root_label}/∂{name} = {grad:.3g}"
    if not terms:
        return f"{head} (the backward pass starts at the output)"
    parts = []
    for user, local, user_grad in terms:
        derivative = f"∂{_wrap(user.label)}/∂{name}"
        if user.op == "σ":
            derivative += f" = f′({name})"
        parts.append(f"{derivative} = {local:.3g} times ∂{root_label}/∂{_wrap(user.label)} = {user_grad:.3g}")
    if len(parts) == 1:
        return f"{head} (local derivative {parts[0]})"
    return f"{head} (sum over its {len(parts)} uses: " + "; plus ".join(parts) + ")"


def backward_replay_demo(step=5, w=0.8, x=1.5, b=-0.2, t=1.0):
    """Step through the backward pass of z = w·x + b, y = f(z), E = ½(t − y)² node by node.

    Step 0 shows the forward pass only; step k has computed the gradients of the first k
    nodes in reversed topological order, and the k-th (orange) is named in the status line.
    """
    graph = neuron_graph(w, x, b, t)
    fig, ax = new_figure("wide", figsize=(9.0, 3.4))
    drawing = draw_graph(graph["E"], ax=ax, show_grads=False)
    n_steps = len(drawing.nodes)
    ax.set_title("orange: gradient just computed   blue: computed   white: not yet", fontsize=9,
                 color="#555555")

    def update(step=step, w=w, x=x):
        root = neuron_graph(w, x, b, t)["E"]
        nodes = root.nodes_and_edges()[0]  # the same order as drawing.nodes
        steps = backward_steps(root)
        when = {id(s.node): k for k, s in enumerate(steps)}  # the step that finishes each node
        step = max(0, min(int(step), n_steps))
        grads = {i: steps[when[id(n)]].grad for i, n in enumerate(nodes) if when[id(n)] < step}
        current = next((i for i, n in enumerate(nodes) if when[id(n)] == step - 1), None)
        drawing.update(values=[n.data for n in nodes], grads=grads, highlight=current)
        if step == 0:
            return (f"step 0 of {n_steps}: forward pass done, E = {root.data:.3g}; "
                    "no gradients yet (move 'step' to start the backward pass)")
        return f"step {step} of {n_steps}: " + describe_backward_step(steps[step - 1])

    controls = {
        "step": int_slider("step", 0, n_steps, step),
        "w": slider("w", -3.0, 3.0, w),
        "x": slider("x", -3.0, 3.0, x),
    }
    return Demo(fig, update, controls)

"""Checks for notebook 02's exercises: the chain rule on graphs, one neuron, the backward order."""

import math

from .core import NO_ANSWER, Feedback, check_number

__all__ = [
    "check_nb02_paths",
    "check_nb02_bias_gradient",
    "check_nb02_backward_order",
    "NB02_EXERCISE_NEURON",
    "NB02_ORDER_EDGES",
]

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

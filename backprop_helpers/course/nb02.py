"""Notebook 02 · The chain rule and computational graphs: the companion module.

In the notebook's order:

1. drawing a graph for this notebook: ``draw_labelled_graph`` draws a ``Value`` graph with the
   ``draw_graph`` (boxes laid out by depth, below), writes each box as a formula ("u = x²" rather than "u [**2]") and
   labels every edge with its local derivative ("2x = 1.4");
2. ``neuron_graph``: the graph of one sigmoid neuron and its loss;
3. the backward-pass replay, which computes, then describes: ``replay`` returns a
   ``ReplayState`` (tests assert on it), ``describe_replay`` writes the status line from it;
   ``backward_replay_demo`` is the slider, ``replay_strip`` the static strip for readers
   without a kernel;
4. forward versus reverse mode: ``forward_vs_reverse`` counts the work of finite differences
   and of one backward pass on a neuron with n inputs;
5. "your turn": ``check_mul_backward`` and ``check_backward`` run the learner's backward rule
   of a product and the learner's ``backward(root)`` on hidden graphs (a node reused twice, a
   diamond, a deep chain, random expressions) against finite differences;
6. the exercises: the sum over paths, one neuron's ∂E/∂b, the order of the backward pass.
"""

import math
from collections import namedtuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..autograd import Value, topological_order
from ..calculus import numerical_derivative
from ..feedback import NO_ANSWER, Feedback, check_function, check_number
from ..plotting.style import COLORS, new_figure
from ..validation import count, flag, real
from ..widgets import Demo, int_slider, slider

__all__ = [
    "nodes_and_edges",
    "draw_graph",
    "GraphDrawing",
    "graph_layout",
    "BackwardStep",
    "backward_steps",
    "box_title",
    "local_formula",
    "draw_labelled_graph",
    "neuron_graph",
    "ReplayState",
    "replay",
    "describe_replay",
    "describe_backward_step",
    "backward_replay_demo",
    "replay_strip",
    "Work",
    "forward_vs_reverse",
    "check_mul_backward",
    "check_backward",
    "check_nb02_paths",
    "check_nb02_bias_gradient",
    "check_nb02_backward_order",
    "NB02_EXERCISE_NEURON",
    "NB02_ORDER_EDGES",
]


# ---- the graph as nodes and edges, for drawing ----------------------------------------------
def nodes_and_edges(root):
    """``(nodes, edges)`` for drawing: nodes in topological order, edges as (parent, child) pairs.

    A value used twice by the same node (``a + a``) gives two edges.
    """
    nodes = topological_order(root)
    edges = [(parent, node) for node in nodes for parent in node.parents]
    return nodes, edges


# ---- drawing a computational graph: boxes laid out left to right by depth ----------------
# Inputs on the left, the output on the right; each box shows the node's label, operation, value and
# gradient, and each edge is an arrow from an input to the node that uses it.  ``draw_graph`` returns a
# ``GraphDrawing`` whose artists can be updated in place (values, gradients shown or hidden, one node
# highlighted), which the backward-pass replay slider uses.
_BOX_W, _BOX_H = 0.78, 0.74
_FILL = {"pending": "white", "done": "#DCEAF5", "current": "#F9D9A6"}


def graph_layout(root):
    """``{id(node): (column, row)}``: a non-leaf sits one column right of its deepest input; a leaf
    sits just left of its first user.  Rows within a column follow the rows of their users."""
    nodes, _ = nodes_and_edges(root)
    users = {id(n): [] for n in nodes}
    for node in nodes:
        for parent in node.parents:
            users[id(parent)].append(node)
    column = {}
    for node in nodes:  # topological order: parents first
        if node.parents:
            column[id(node)] = 1 + max(column.get(id(p), 0) for p in node.parents)
    for node in nodes:
        if not node.parents:
            column[id(node)] = min((column[id(u)] for u in users[id(node)]), default=1) - 1
    row = {}
    by_column = {}
    for index, node in enumerate(nodes):
        by_column.setdefault(column[id(node)], []).append((index, node))
    for col in sorted(by_column, reverse=True):  # right to left: users are placed first
        members = by_column[col]
        targets = []
        for index, node in members:
            placed = [(row[id(u)], u.parents.index(node)) for u in users[id(node)] if id(u) in row]
            mean = sum(r for r, _ in placed) / len(placed) if placed else 0.0
            slot = min((s for _, s in placed), default=0)
            targets.append((mean, slot, index, node))
        targets.sort(key=lambda item: (-item[0], item[1], item[2]))
        centre = sum(t[0] for t in targets) / len(targets)
        for k, (_, _, _, node) in enumerate(targets):
            row[id(node)] = centre + (len(targets) - 1) / 2 - k
    lowest = min(row.values())
    return {id(n): (column[id(n)] - min(column.values()), row[id(n)] - lowest) for n in nodes}


class GraphDrawing:
    """The artists of a drawn graph; ``update`` changes values, gradients and the highlight in place.

    ``nodes`` lists the nodes in topological order; ``boxes[i]`` and ``texts[i]`` are the
    patch and text of ``nodes[i]``; ``arrows`` maps ``(parent_index, child_index, k)`` to an
    arrow patch (k counts repeated edges such as a + a).
    """

    def __init__(self, fig, ax, nodes, boxes, texts, arrows, fmt):
        self.fig, self.ax, self.nodes = fig, ax, nodes
        self.boxes, self.texts, self.arrows = boxes, texts, arrows
        self.fmt = fmt

    def index(self, node):
        """Position of ``node`` (a Value of this graph, or an int index) in ``nodes``."""
        if isinstance(node, int) and not isinstance(node, bool):
            if not 0 <= node < len(self.nodes):
                raise ValueError(f"node index must be in [0, {len(self.nodes) - 1}], got {node}")
            return node
        for i, candidate in enumerate(self.nodes):
            if candidate is node:
                return i
        raise ValueError(f"node {node!r} is not in this drawing")

    def update(self, values=None, grads="all", highlight=None):
        """Redraw the box texts and colours.

        ``values``: a list of numbers, one per node (default: each node's ``data``).
        ``grads``: ``"all"`` shows every node's ``grad``; ``None`` hides all gradients
        (shown as "?"); a dict ``{index: grad}`` shows just those (the others are "?").
        ``highlight``: a node or index drawn in orange, with the arrows from its users in
        the tangent colour (the path its gradient came back along).
        """
        if values is None:
            values = [n.data for n in self.nodes]
        if len(values) != len(self.nodes):
            raise ValueError(f"values must have {len(self.nodes)} entries, got {len(values)}")
        if grads == "all":
            grads = {i: n.grad for i, n in enumerate(self.nodes)}
        elif grads is None:
            grads = {}
        elif not isinstance(grads, dict):
            raise TypeError(f"grads must be 'all', None or a dict index -> grad, got {type(grads).__name__}")
        current = None if highlight is None else self.index(highlight)
        for i, node in enumerate(self.nodes):
            grad = f"grad {grads[i]:{self.fmt}}" if i in grads else "grad ?"
            title = node.label or "·"
            if node.op:
                title += f"  [{node.op}]"
            self.texts[i].set_text(f"{title}\n= {values[i]:{self.fmt}}\n{grad}")
            state = "current" if i == current else ("done" if i in grads else "pending")
            self.boxes[i].set_facecolor(_FILL[state])
            self.boxes[i].set_linewidth(2.2 if state == "current" else 1.0)
            self.boxes[i].set_edgecolor(COLORS["tangent"] if state == "current" else COLORS["curve"])
        for (p, c, _), arrow in self.arrows.items():
            active = current is not None and p == current
            arrow.set_color(COLORS["tangent"] if active else COLORS["muted"])
            arrow.set_linewidth(2.0 if active else 1.0)
        return self


def draw_graph(root, ax=None, show_grads=True, fmt=".3g", title=None):
    """Draw the graph ending in ``root`` (a Value): boxes with label [op], value and gradient.

    Returns a ``GraphDrawing``; call ``.update(...)`` on it to highlight a node or to show and
    hide gradients.  No graphviz needed.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value, got {type(root).__name__}")
    show_grads = flag(show_grads, "show_grads")
    try:
        format(1.5, fmt)
    except (TypeError, ValueError):
        raise ValueError(f"fmt must be a number format such as '.3g', got {fmt!r:.40}") from None
    nodes, edges = nodes_and_edges(root)
    position = graph_layout(root)
    n_cols = 1 + max(c for c, _ in position.values())
    n_rows = 1 + max(r for _, r in position.values())
    if ax is None:
        _, ax = plt.subplots(figsize=(max(4.5, 1.3 * n_cols), max(1.9, 1.0 * n_rows + 0.6)))
    fig = ax.figure
    index = {id(n): i for i, n in enumerate(nodes)}
    boxes, texts, arrows = [], [], {}
    for node in nodes:
        x, y = position[id(node)]
        box = FancyBboxPatch((x - _BOX_W / 2, y - _BOX_H / 2), _BOX_W, _BOX_H,
                             boxstyle="round,pad=0.02,rounding_size=0.06", linewidth=1.0,
                             edgecolor=COLORS["curve"], facecolor="white", zorder=2)
        ax.add_patch(box)
        boxes.append(box)
        texts.append(ax.text(x, y, "", ha="center", va="center", fontsize=9, zorder=3, linespacing=1.3))
    multiplicity = {}
    arcs_top = 0.0  # the highest point of a curved arrow, so the axes can make room for it
    for parent, child in edges:
        key = (index[id(parent)], index[id(child)])
        multiplicity[key] = multiplicity.get(key, 0) + 1
    for parent, child in edges:
        (x0, y0), (x1, y1) = position[id(parent)], position[id(child)]
        key = (index[id(parent)], index[id(child)])
        k = sum(1 for existing in arrows if existing[:2] == key)
        offset = 0.16 * (k - (multiplicity[key] - 1) / 2)  # a + a: two parallel arrows
        if x1 - x0 > 1:  # skips a column: a straight arrow would hide behind the boxes in between
            start, end = (x0 + _BOX_W / 4, y0 + _BOX_H / 2), (x1 - _BOX_W / 4, y1 + _BOX_H / 2)
            bend = "arc3,rad=-0.35"  # over the top of the boxes in between
            arcs_top = max(arcs_top, max(y0, y1) + _BOX_H / 2 + 0.2 * (x1 - x0))
        else:
            start, end = (x0 + _BOX_W / 2, y0 + offset), (x1 - _BOX_W / 2, y1 + offset)
            bend = "arc3"
        arrow = FancyArrowPatch(start, end, connectionstyle=bend,
                                arrowstyle="-|>", mutation_scale=10, color=COLORS["muted"], linewidth=1.0,
                                shrinkA=1, shrinkB=1, zorder=1)
        ax.add_patch(arrow)
        arrows[key + (k,)] = arrow
    x_pad = max(0.0, 3 - n_cols) / 2  # small graphs keep their boxes' proportions
    y_pad = max(0.0, 1.8 - n_rows) / 2
    ax.set_xlim(-0.5 - x_pad, n_cols - 0.5 + x_pad)
    ax.set_ylim(-0.5 - y_pad, max(n_rows - 0.5 + y_pad, arcs_top))
    ax.axis("off")
    if title:
        ax.set_title(title)
    drawing = GraphDrawing(fig, ax, nodes, boxes, texts, arrows, fmt)
    return drawing.update(grads="all" if show_grads else None)



# ---- the backward pass, step by step (the replay slider) ---------------------------------

BackwardStep = namedtuple("BackwardStep", "node grad contributions")
BackwardStep.__doc__ = """One step of the backward pass: ``node``, its finished gradient ``grad`` = ∂root/∂node,
and ``contributions``, a list of ``(user, local_derivative, user_grad)``: one term
∂user/∂node · ∂root/∂user of the chain-rule sum per use of ``node`` (empty for the root)."""


def backward_steps(root):
    """Replay the backward pass: a list of ``BackwardStep``, one per node, in the order visited.

    The order is reversed topological order, so each node's gradient is complete when its step
    comes: the root first (gradient 1), the leaves last.  The nodes' ``grad`` fields are not
    changed; ``root.backward()`` writes them.
    """
    order = topological_order(root)
    grads = {id(node): 0.0 for node in order}
    terms = {id(node): [] for node in order}
    grads[id(root)] = 1.0
    steps = []
    for node in reversed(order):
        grad = grads[id(node)]
        steps.append(BackwardStep(node, grad, terms[id(node)]))
        for parent, local in zip(node.parents, node.local_derivatives):
            grads[id(parent)] += local * grad
            terms[id(parent)].append((node, local, grad))
    return steps


# ---- 1. drawing a graph: formulas in the boxes, local derivatives on the edges -----------------

_SUPERSCRIPT = str.maketrans("0123456789-xyzabtuvw", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ˣʸᶻᵃᵇᵗᵘᵛʷ")


def _name(node):
    return node.label or "·"


def _power(node):
    """The exponent n of a ``**n`` node, else None."""
    return float(node.op[2:]) if node.op.startswith("**") else None


def _formula(node):
    """The operation of ``node`` written with its inputs' labels: "x²", "eˣ", "f(z)", "w·x", "t − y"."""
    names = [_name(p) for p in node.parents]
    n = _power(node)
    if n is not None:
        base = names[0] if len(names[0]) == 1 else f"({names[0].strip('()')})" if "(" not in names[0] else names[0]
        return base + f"{n:g}".translate(_SUPERSCRIPT)
    if node.op == "exp":
        return "e" + names[0].translate(_SUPERSCRIPT) if len(names[0]) == 1 else f"exp({names[0]})"
    if node.op == "σ":
        return f"f({names[0]})"
    if len(names) == 2:
        symbol = {"×": "·", "+": " + ", "−": " − ", "÷": "/"}.get(node.op, node.op)
        return symbol.join(names)
    return f"{node.op}({names[0]})" if node.op else ""


def box_title(node):
    """The first line of a node's box: its label, "= formula" when the formula is short and says more."""
    label, formula = _name(node), _formula(node)
    if not node.parents or formula.replace(" ", "") == label.replace(" ", ""):
        return label
    if len(formula) <= 5:
        return f"{label} = {formula}"
    return f"{label}  [{node.op}]"


def local_formula(child, k):
    """∂child/∂(its k-th input) as a formula in the labels: "2x", "eˣ", "v", "1", "f′(z)" ("" if none)."""
    parent = child.parents[k]
    name = _name(parent)
    n = _power(child)
    if n is not None:
        base = name if len(name) == 1 or name.startswith("(") else f"({name})"
        return f"{n:g}{base}" if n == 2 else f"{n:g}{base}{f'{n - 1:g}'.translate(_SUPERSCRIPT)}"
    if child.op == "exp":
        return _formula(child)
    if child.op == "σ":
        return f"f′({name})"
    if child.op == "×" and len(child.parents) == 2:
        return _name(child.parents[1 - k])
    if child.op == "+":
        return "1"
    if child.op == "−" and len(child.parents) == 2:
        return "1" if k == 0 else "−1"
    return ""


def _edge_text(child, k):
    formula, local = local_formula(child, k), child.local_derivatives[k]
    number = f"{local:.3g}"
    return number if formula.replace("−", "-") in ("", number) else f"{formula}\n= {number}"


class EdgeLabels:
    """The local-derivative labels on the edges of a ``GraphDrawing`` (gid ``"edge <input>→<user>"``)."""

    def __init__(self, drawing, root):
        self.drawing = drawing
        position = graph_layout(root)
        nodes = drawing.nodes
        self.texts = {}
        for (p, c, k) in drawing.arrows:
            (x0, y0), (x1, y1) = position[id(nodes[p])], position[id(nodes[c])]
            if x1 - x0 > 1:  # an arc over the boxes in between: label its top
                x, y = (x0 + x1) / 2, max(y0, y1) + 0.37 + 0.14 * (x1 - x0)
            else:
                uses = [i for i, parent in enumerate(nodes[c].parents) if parent is nodes[p]]
                offset = 0.16 * (k - (len(uses) - 1) / 2)
                x, y = (x0 + x1) / 2, (y0 + y1) / 2 + offset
            gid = f"edge {_name(nodes[p])}→{_name(nodes[c])}" + (f" #{k + 1}" if k else "")
            self.texts[(p, c, k)] = drawing.ax.text(
                x, y, "", ha="center", va="center", fontsize=7, linespacing=1.1, color="#8A3B00", zorder=4, gid=gid,
                bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        self.update(root)

    def update(self, root):
        """Write the local derivatives of ``root``'s graph (same shape as the drawn one) on the edges."""
        nodes = nodes_and_edges(root)[0]
        for (p, c, k), text in self.texts.items():
            uses = [i for i, parent in enumerate(nodes[c].parents) if parent is nodes[p]]
            text.set_text(_edge_text(nodes[c], uses[k]))
        return self


def _retitle(drawing):
    """Replace the core's "label  [op]" first line of each box by ``box_title``."""
    for node, text in zip(drawing.nodes, drawing.texts):
        lines = text.get_text().split("\n")
        text.set_text("\n".join([box_title(node)] + lines[1:]))


def draw_labelled_graph(root, ax=None, show_grads=True, title=None, edge_labels=True):
    """``draw_graph`` with formulas in the boxes and (``edge_labels=True``) every edge labelled
    with its local derivative.  Returns the ``GraphDrawing``; its ``edge_labels`` attribute holds
    the ``EdgeLabels`` (or None)."""
    drawing = draw_graph(root, ax=ax, show_grads=show_grads, title=title)
    _retitle(drawing)
    drawing.edge_labels = EdgeLabels(drawing, root) if edge_labels else None
    return drawing


# ---- 2. one neuron's graph ---------------------------------------------------------------------

def neuron_graph(w, x, b, t):
    """The graph of one sigmoid neuron and its loss (notebooks 02 and 04).

    z = w·x + b, y = f(z) with f the sigmoid, E = ½(t − y)².  Returns a dict of the labelled
    Values ``w, x, b, t, w·x, z, y, t−y, (t−y)², E``; ``E`` is the root.
    """
    w, x, b, t = Value(w, "w"), Value(x, "x"), Value(b, "b"), Value(t, "t")
    wx = (w * x).named("w·x")
    z = (wx + b).named("z")
    y = z.sigmoid().named("y")
    r = (t - y).named("t−y")
    r2 = (r**2).named("(t−y)²")
    E = (0.5 * r2).named("E")
    return {"w": w, "x": x, "b": b, "t": t, "w·x": wx, "z": z, "y": y, "t−y": r, "(t−y)²": r2, "E": E}


# ---- 3. the backward-pass replay -------------------------------------------------------------

ReplayState = namedtuple("ReplayState", "step n_steps loss nodes grads current backward_step")
ReplayState.__doc__ = """The neuron's graph after ``step`` steps of the backward pass.

``nodes`` in topological order (the drawing's order); ``grads`` maps the index of each node
whose gradient is finished to ∂E/∂node; ``current`` is the index of the node finished by the
last step (None at step 0); ``backward_step`` is that step's ``BackwardStep`` (its
chain-rule terms), None at step 0; ``loss`` is E."""


def replay(step, w=0.8, x=1.5, b=-0.2, t=1.0):
    """The ``ReplayState`` of the neuron's backward pass after ``step`` steps (0 = forward pass only)."""
    w, x, b, t = real(w, "w"), real(x, "x"), real(b, "b"), real(t, "t")
    root = neuron_graph(w, x, b, t)["E"]
    nodes = nodes_and_edges(root)[0]
    steps = backward_steps(root)
    step = count(step, "step", low=0, high=len(steps))
    finished = {id(s.node): k for k, s in enumerate(steps)}  # the step that finishes each node
    grads = {i: steps[finished[id(n)]].grad for i, n in enumerate(nodes) if finished[id(n)] < step}
    current = next((i for i, n in enumerate(nodes) if finished[id(n)] == step - 1), None)
    return ReplayState(step, len(steps), root.data, nodes, grads, current, steps[step - 1] if step else None)


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


def describe_replay(state):
    """The replay demo's status line, written from a ``ReplayState``."""
    if state.step == 0:
        return (f"step 0 of {state.n_steps}: forward pass done, E = {state.loss:.3g}; "
                "no gradients yet (move 'step' to start the backward pass)")
    return f"step {state.step} of {state.n_steps}: " + describe_backward_step(state.backward_step)


def _show(drawing, state):
    drawing.update(values=[n.data for n in state.nodes], grads=state.grads, highlight=state.current)
    _retitle(drawing)
    drawing.edge_labels.update(state.nodes[-1])


def backward_replay_demo(step=5, w=0.8, x=1.5, b=-0.2, t=1.0):
    """Step through the backward pass of z = w·x + b, y = f(z), E = ½(t − y)² node by node.

    Step 0 shows the forward pass only; step k has computed the gradients of the first k
    nodes in reversed topological order, and the k-th (orange) is named in the status line.
    Every edge carries its local derivative.  The drawing is ``demo.drawing``.
    """
    fig, ax = new_figure("wide", figsize=(9.6, 3.6))
    drawing = draw_labelled_graph(neuron_graph(w, x, b, t)["E"], ax=ax, show_grads=False)
    ax.set_title("orange: gradient just computed   blue: computed   white: not yet   "
                 "edges: local derivatives", fontsize=9, color="#555555")
    ax.title.set_zorder(0.5)  # below the graph (edges 1, boxes 2): a live frame leaves it in the background
    n_steps = len(drawing.nodes)

    def update(step=step, w=w, x=x):
        state = replay(step, w, x, b, t)
        _show(drawing, state)
        return describe_replay(state)

    controls = {
        "step": int_slider("step", 0, n_steps, step),
        "w": slider("w", -3.0, 3.0, w),
        "x": slider("x", -3.0, 3.0, x),
    }
    demo = Demo(fig, update, controls, play="step")  # a Play button animates the steps
    demo.drawing = drawing
    return demo


def replay_strip(steps=(1, 4, 5, 10), w=0.8, x=1.5, b=-0.2, t=1.0):
    """A static strip of replay steps, one panel each, titled with its status line: what the slider
    shows, for a reader without a running kernel.  Returns ``(fig, states)``."""
    steps = [count(s, "steps", low=0, high=10) for s in steps]
    fig, axes = new_figure("wide", nrows=len(steps), figsize=(9.6, 2.5 * len(steps)))
    axes = np.atleast_1d(axes)
    states = []
    for ax, step in zip(axes, steps):
        state = replay(step, w, x, b, t)
        drawing = draw_labelled_graph(state.nodes[-1], ax=ax, show_grads=False)
        _show(drawing, state)
        status = describe_replay(state)
        head, _, rest = status.partition(" (")
        ax.set_title(head + ("\n(" + rest if rest else ""), fontsize=8.5, loc="left")
        states.append(state)
    return fig, states


# ---- 4. forward versus reverse mode -----------------------------------------------------------

Work = namedtuple("Work", "n_inputs nodes fd_passes fd_node_evaluations reverse_node_visits max_difference")
Work.__doc__ = """The cost of all n gradients of a neuron's loss E = ½(t − f(w·x + b))² with n inputs.

``nodes``: nodes in one forward pass; ``fd_passes``: forward passes central differences need
(two per parameter: every wᵢ, xᵢ and b); ``fd_node_evaluations`` = fd_passes × nodes;
``reverse_node_visits``: one forward pass plus one backward pass (each node once each);
``max_difference``: the largest |finite difference − backward()| over all gradients."""


def _neuron_loss(weights, inputs, b, t):
    """E = ½(t − f(Σᵢ wᵢxᵢ + b))² built from Values (or from floats, returning a float)."""
    z = b
    for w, x in zip(weights, inputs):
        z = z + w * x
    y = z.sigmoid() if isinstance(z, Value) else 1.0 / (1.0 + math.exp(-z))
    return 0.5 * (t - y) ** 2


def forward_vs_reverse(n_inputs, seed=0):
    """The ``Work`` of computing every gradient of a neuron with ``n_inputs`` inputs both ways."""
    n = count(n_inputs, "n_inputs", low=1, high=1000)
    rng = np.random.default_rng(count(seed, "seed"))
    numbers = rng.uniform(-1, 1, 2 * n + 1)  # w₁..wₙ, x₁..xₙ, b
    leaves = [Value(float(v)) for v in numbers]
    E = _neuron_loss(leaves[:n], leaves[n:2 * n], leaves[-1], 1.0)
    E.backward()
    nodes = len(topological_order(E))
    passes, largest = 0, 0.0
    for i in range(len(numbers)):
        def loss(v, i=i):
            nonlocal passes
            passes += 1
            p = numbers.copy()
            p[i] = v
            return _neuron_loss(p[:n], p[n:2 * n], p[-1], 1.0)
        largest = max(largest, abs(numerical_derivative(loss, numbers[i]) - leaves[i].grad))
    return Work(n, nodes, passes, passes * nodes, 2 * nodes, largest)


# ---- 5. your turn: a backward rule and backward() --------------------------------------------

def _mul_backward_reference(u, v, grad_m):
    """Central differences of m = u·v, times ∂E/∂m: what flows back to u and to v."""
    return (numerical_derivative(lambda s: s * v, u) * grad_m, numerical_derivative(lambda s: u * s, v) * grad_m)


_MUL_CASES = [
    ("u = 2, v = −3, ∂E/∂m = 1", (2.0, -3.0, 1.0)),
    ("u = 0.5, v = 4, ∂E/∂m = −0.25", (0.5, 4.0, -0.25)),
    ("u = −1.5, v = 0.2, ∂E/∂m = 3", (-1.5, 0.2, 3.0)),
    ("u = 0, v = 7, ∂E/∂m = 2", (0.0, 7.0, 2.0)),
]
_MUL_MISTAKES = [
    (lambda u, v, g: (u * g, v * g),
     "local derivative wrong: ∂(u·v)/∂u is the *other* factor v (and ∂(u·v)/∂v is u)."),
    (lambda u, v, g: (v, u),
     "multiply each local derivative by the gradient that arrives from above, ∂E/∂m."),
    (lambda u, v, g: (v + g, u + g),
     "the chain rule multiplies: local derivative times ∂E/∂m, not plus."),
]


def _compare_pair(got, expected):
    """None when ``got`` is the pair ``expected`` (to 1e-6 relative), else the reason in words."""
    if got is None:
        return "it returned None (the body is still missing, or its return statement)"
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return f"expected a pair (∂E/∂u, ∂E/∂v), got {got!r:.60}"
    for name, value, wanted in zip(("∂E/∂u", "∂E/∂v"), got, expected):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            return f"{name}: expected a number, got {type(value).__name__} {value!r:.40}"
        if not math.isfinite(value) or abs(value - wanted) > 1e-8 + 1e-6 * abs(wanted):
            return f"{name}: expected {wanted:.6g}, got {float(value):.6g}"
    return None


def check_mul_backward(mul_backward):
    """Your turn, part 1: ``mul_backward(u, v, grad_m)`` returns the two contributions
    (∂m/∂u·∂E/∂m, ∂m/∂v·∂E/∂m) of the product m = u·v, checked on hidden numbers."""
    return check_function(
        mul_backward, _MUL_CASES, _mul_backward_reference, mistakes=_MUL_MISTAKES, compare=_compare_pair,
        name="mul_backward",
        success="mul_backward passes every hidden case: each input gets the other factor times ∂E/∂m.",
    )


def _chain(leaves):  # a deep chain: 50 operations in a row
    (a,) = leaves
    v = a
    for k in range(10):
        v = (v * 0.9 + 0.1 * k).tanh() + v * 0.5
    return v


def _reused(leaves):  # a node used twice by the same operation, and once more later
    (a, b) = leaves
    c = a * a
    return c * b + a


def _diamond(leaves):  # a reaches d along two roads
    (a,) = leaves
    b, c = a * 2.0, a.exp()
    return b * c


def _neuron(leaves):
    w, x, b, t = leaves
    return 0.5 * (t - (w * x + b).sigmoid()) ** 2


def _random_expression(seed):
    """A random expression over three leaves: 12 operations, each on two earlier nodes drawn at
    random (so nodes are reused), reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    plan = [(int(rng.integers(3)), int(rng.integers(4)), int(rng.integers(3 + k)), int(rng.integers(3 + k)))
            for k in range(12)]

    def build(leaves):
        pool = list(leaves)
        for kind, unary, i, j in plan:
            u, v = pool[i], pool[j]
            node = (u + v, u * v, u - v)[kind] * 0.5
            node = (node.tanh(), node.sigmoid(), node * 1.5, node + 0.3)[unary]
            pool.append(node)
        return pool[-1] + pool[-2] + pool[-3]
    return build


def _graph(name, build, point):
    return (name, ((build, tuple(point)),))


_GRAPH_CASES = [
    _graph("a node reused twice: c = a·a, L = c·b + a", _reused, (1.5, -0.7)),
    _graph("a diamond: L = (2a)·eᵃ", _diamond, (0.3,)),
    _graph("a deep chain of 50 operations", _chain, (0.4,)),
    _graph("the neuron E = ½(t − f(w·x + b))²", _neuron, (0.8, 1.5, -0.2, 1.0)),
    _graph("a random expression (seed 1)", _random_expression(1), (0.5, -1.2, 0.9)),
    _graph("a random expression (seed 5)", _random_expression(5), (-0.3, 0.8, 1.1)),
    _graph("a random expression (seed 10)", _random_expression(10), (1.0, 0.25, -0.6)),
]


def _leaf_gradients(backward, graph):
    """Build the graph, run ``backward(root)`` twice (a second call must give the same numbers),
    return every leaf's ``grad``."""
    build, point = graph
    leaves = [Value(v, name) for v, name in zip(point, "abcdefgh")]
    root = build(leaves)
    backward(root)
    backward(root)
    return [leaf.grad for leaf in leaves]


def _finite_differences(graph):
    build, point = graph
    point = list(point)

    def value(i, s):
        p = point.copy()
        p[i] = s
        return build([Value(v) for v in p]).data
    return [numerical_derivative(lambda s, i=i: value(i, s), point[i]) for i in range(len(point))]


def _overwrites(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_derivatives):
            parent.grad = local * node.grad


def _forward_order(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in order:
        for parent, local in zip(node.parents, node.local_derivatives):
            parent.grad += local * node.grad


def _no_local(root):
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent in node.parents:
            parent.grad += node.grad


def _no_reset(root):
    order = topological_order(root)
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_derivatives):
            parent.grad += local * node.grad


def _does_nothing(root):
    pass


_BACKWARD_MISTAKES = [
    (_does_nothing, "no gradient was written yet (every grad is still 0): fill in the body of backward."),
    (_overwrites, "gradient overwritten instead of added: a node used more than once must *add* "
                  "every contribution (parent.grad += ...), or all but the last path are lost."),
    (_forward_order, "wrong order: visit the nodes in *reversed* topological order, so that every "
                     "user of a node has passed its gradient back before the node passes its own on."),
    (_no_local, "local derivative missing: each contribution is the local derivative "
                "∂node/∂parent (node.local_derivatives) times node.grad."),
    (_no_reset, "set every grad to 0 (and the root's to 1) before the loop: a second call to backward() "
                "added on top of the first one's gradients."),
]


def _learner_backward(backward):
    def run(graph):
        return _leaf_gradients(backward, graph)
    return run


def check_backward(backward):
    """Your turn, part 2: ``backward(root)`` fills ``grad`` = ∂root/∂node for every node; checked on
    hidden graphs (a reused node, a diamond, a deep chain, the neuron, random expressions) against
    central differences, each run twice on the same graph."""
    if not callable(backward):
        return Feedback(False, f"backward is not a function yet (got {type(backward).__name__}): "
                        "run the cell that defines it.")
    return check_function(
        _learner_backward(backward), _GRAPH_CASES, _finite_differences,
        mistakes=[(_learner_backward(wrong), hint) for wrong, hint in _BACKWARD_MISTAKES],
        rtol=1e-5, atol=1e-7, name="backward",
        success=f"backward passes all {len(_GRAPH_CASES)} hidden graphs, each checked against "
                "central differences: reversed topological order, gradients added, local derivatives used.",
    )


# ---- 6. the exercises -------------------------------------------------------------------------

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
        hint="draw the graph and count the arrows out of a: multiply the local derivatives along each path, "
             "then add the paths.",
        success="dc/da = 2a + 3 = 7: the path through u gives 2a = 4, the path through v gives 3, and they add.",
    )


def check_nb02_bias_gradient(answer):
    """Exercise 2: ∂E/∂b = −(t − y)·f(z)(1 − f(z))·1 for the neuron of ``NB02_EXERCISE_NEURON``."""
    p = NB02_EXERCISE_NEURON
    z = p["w"] * p["x"] + p["b"]
    y = 1.0 / (1.0 + math.exp(-z))
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
        success=f"∂E/∂b = −(t − y)·y(1 − y) = {right:.4f}, with z = {z:g} and y = {y:.4f}.",
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

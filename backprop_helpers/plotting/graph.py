"""Drawing a computational graph of ``autograd.Value`` nodes with matplotlib (notebook 02).

Nodes are boxes laid out left to right by depth (inputs on the left, the output on the
right); each box shows the node's label, operation, value and gradient.  Edges are arrows
from an input to the node that uses it.  ``draw_graph`` returns a ``GraphDrawing`` whose
artists can be updated in place (values, gradients shown or hidden, one node highlighted),
which the backward-pass replay slider uses.
"""

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..autograd import Value, nodes_and_edges
from ..validation import flag
from .style import COLORS

__all__ = ["draw_graph", "GraphDrawing", "graph_layout"]

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

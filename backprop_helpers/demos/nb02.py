"""Notebook 02's demo: replay the backward pass of one neuron's graph, one node per step."""

from ..autograd import backward_steps, neuron_graph
from ..plotting.graph import draw_graph
from ..plotting.style import new_figure
from ..widgets import Demo, int_slider, slider

__all__ = ["backward_replay_demo", "describe_backward_step"]


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

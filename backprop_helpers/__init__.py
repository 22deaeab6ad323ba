"""backprop_helpers: the small shared core of the backpropagation notebook series.

One idea per module, each re-exported here, so a notebook can write
``from backprop_helpers import sigmoid, numerical_derivative, descend``:

- ``activations``: f(z) and f'(z); ``losses``: the losses and their gradients;
- ``calculus``: finite differences and the sympy checks;
- ``autograd``: the scalar reverse-mode engine ``Value`` (notebook 02);
- ``descent``: the one gradient-descent loop and its run record (notebook 03);
- ``mlp``: the one network class (notebooks 06 and 07); ``optimizers``: the update rules
  and penalties (notebook 08); ``datasets``; ``diagnostics``: per-layer gradient norms;
- ``plotting``: the house style and recurring plots; ``widgets``: the one demo pattern;
  ``feedback``: the one check-and-hint pattern; ``validation``: one rule per argument.

Each notebook's own examples, demos and exercises live in its companion module,
``backprop_helpers.course.nbNN``.  Importing the package has no side effects: the house
style is applied by ``use_house_style()`` in each notebook's setup cell.
"""

from .activations import *  # noqa: F403
from .losses import *  # noqa: F403
from .calculus import *  # noqa: F403
from .autograd import *  # noqa: F403
from .descent import *  # noqa: F403
from .mlp import *  # noqa: F403
from .optimizers import *  # noqa: F403
from .datasets import *  # noqa: F403
from .diagnostics import *  # noqa: F403
from .plotting import *  # noqa: F403
from .widgets import *  # noqa: F403
from .feedback import *  # noqa: F403

__version__ = "0.2.0"

"""backprop_helpers: the small shared core of the backpropagation notebook series.

One idea per module, each re-exported here (``from backprop_helpers import sigmoid, descend``):
activations, losses, calculus (finite differences, sympy checks), autograd (``Value``), descent,
mlp, optimizers, datasets, diagnostics, plotting, widgets (the demo pattern), feedback (the
check-and-hint pattern) and validation.  Each notebook's own examples, demos and exercises live
in its companion, ``backprop_helpers.course.nbNN``.  Importing the package has no side effects:
each notebook's setup cell calls ``use_house_style()``.
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

"""backprop_helpers: the small shared helper package of the backpropagation notebook series.

One idea per module; every public name is re-exported here, so a notebook can write
``from backprop_helpers import sigmoid, numerical_derivative, show_demo``.
"""

from .activations import *  # noqa: F403
from .losses import *  # noqa: F403
from .calculus import *  # noqa: F403
from .autograd import *  # noqa: F403
from .dosage import *  # noqa: F403
from .mlp import *  # noqa: F403
from .optimizers import *  # noqa: F403
from .datasets import *  # noqa: F403
from .diagnostics import *  # noqa: F403
from .plotting import *  # noqa: F403
from .widgets import *  # noqa: F403
from .demos import *  # noqa: F403
from .exercises import *  # noqa: F403

__version__ = "0.1.0"

"""The interactive demos of each notebook, one module per notebook.

Each ``*_demo()`` function draws its figure once and returns an unshown
``widgets.Demo``; the notebook calls ``.show()``, the tests call ``.update`` or
``.sweep_extremes()`` with any slider values.
"""

from . import nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08
from .nb00 import *  # noqa: F403
from .nb01 import *  # noqa: F403
from .nb02 import *  # noqa: F403
from .nb03 import *  # noqa: F403
from .nb04 import *  # noqa: F403
from .nb05 import *  # noqa: F403
from .nb06 import *  # noqa: F403
from .nb07 import *  # noqa: F403
from .nb08 import *  # noqa: F403

# Only the modules' public names are re-exported (not the module objects themselves).
__all__ = [
    *nb00.__all__,
    *nb01.__all__,
    *nb02.__all__,
    *nb03.__all__,
    *nb04.__all__,
    *nb05.__all__,
    *nb06.__all__,
    *nb07.__all__,
    *nb08.__all__,
]

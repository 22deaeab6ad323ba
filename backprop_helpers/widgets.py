"""The one way the series builds an interactive demo: a matplotlib figure drawn once, an
``update(**values)`` function that moves its artists (``set_data``, ``set_text``, ...) and returns a
one-line status ("E = 0.125", "diverged after 7 steps"), and one slider per argument of ``update``.

``Demo(fig, update, controls).show()`` displays the sliders, the figure (an ordinary image, so a
reader without a kernel sees it at its initial values) and the status line; a slider moved, even
while dragged, runs ``update`` and replaces that output in place.  ``play="steps"`` adds a Play
button for the int slider ``steps``.  Tests call ``update`` or ``Demo.set`` with any value.  How a
figure is drawn fast and sharp is ``plotting/live.py``: display machinery, not an idea.
"""

import math

import numpy as np

from .plotting.live import LiveFigure
from .validation import count, function, positive, real

__all__ = ["Demo", "slider", "int_slider", "log_slider", "stops_slider", "choice"]

PLAY_FPS = 12  # frames per second of a Play control (the kernel must keep up: see make bench)


def _check_range(label, low, high, value, integer=False):
    """The label is text; min < max and min ≤ value ≤ max are finite numbers (whole for an int slider)."""
    if not isinstance(label, str):
        raise TypeError(f"label must be text (str), got {type(label).__name__} {label!r:.40}")
    check = (lambda v, n: count(v, n, low=-10**9, high=10**9)) if integer else real
    low, high, value = check(low, "min"), check(high, "max"), check(value, "value")
    if not low < high:
        raise ValueError(f"slider {label!r}: min must be below max, got min={low}, max={high}")
    if not low <= value <= high:
        raise ValueError(f"slider {label!r}: value must lie in [{low}, {high}], got {value}")


def _ipywidgets():
    """ipywidgets, imported only when a control is made (importing the package stays light)."""
    import ipywidgets

    return ipywidgets


def _layout():  # every slider: updates while dragged, its label in full, 420 px wide
    return dict(continuous_update=True, style={"description_width": "initial"}, layout={"width": "420px"})


def slider(label, min, max, value, step=None, readout_format=".2f"):
    """A float slider labelled in the notebook's notation, e.g. ``slider("w", -3, 3, 0.5)``."""
    _check_range(label, min, max, value)
    step = (max - min) / 100 if step is None else positive(step, "step")
    if not isinstance(readout_format, str):
        raise TypeError(f"readout_format must be a format such as '.2f', got {readout_format!r:.40}")
    return _ipywidgets().FloatSlider(value=value, min=min, max=max, step=step, description=label,
                                     readout_format=readout_format, **_layout())


def int_slider(label, min, max, value, step=1):
    """An integer slider, e.g. the number of gradient-descent steps or a network's depth."""
    _check_range(label, min, max, value, integer=True)
    step = count(step, "step", low=1)
    return _ipywidgets().IntSlider(value=value, min=min, max=max, step=step, description=label, **_layout())


def log_slider(label, min, max, value, steps_per_decade=10):
    """A log-scale slider for learning rates and scales: ``log_slider("η", 1e-3, 10, 0.1)``."""
    _check_range(label, min, max, value)
    steps_per_decade = count(steps_per_decade, "steps_per_decade", low=1, high=1000)
    if min <= 0:
        raise ValueError(f"log slider {label!r}: min must be positive, got {min}")
    return _ipywidgets().FloatLogSlider(value=value, base=10, min=math.log10(min), max=math.log10(max),
                                        step=1 / steps_per_decade, description=label, readout_format=".3g", **_layout())


def stops_slider(label, values, value):
    """A slider over a few increasing whole numbers, evenly spaced on its track (widths 1, 2, 4, 8, 16, 32)."""
    if not isinstance(values, (list, tuple, range)) or len(values) < 2:
        raise TypeError(f"values must be a list of 2 or more whole numbers, got {values!r:.60}")
    values = [count(v, f"values[{i}]", low=-10**9, high=10**9) for i, v in enumerate(values)]
    if any(a >= b for a, b in zip(values, values[1:])) or value not in values:
        raise ValueError(f"stops slider {label!r}: values must increase, value be one of them; got {values}, {value!r}")
    _check_range(label, values[0], values[-1], value, integer=True)  # the label is text, the value a whole number
    return _ipywidgets().SelectionSlider(options=values, value=value, description=label, **_layout())


def choice(label, options, value=None):
    """A row of toggle buttons for a few named options, e.g. activations."""
    options = list(options)
    if not options:
        raise ValueError(f"choice {label!r}: options must not be empty")
    value = options[0] if value is None else value
    if value not in options:
        raise ValueError(f"choice {label!r}: value {value!r} is not one of {options}")
    return _ipywidgets().ToggleButtons(options=options, value=value, description=label,  # as wide as their labels
                                       style={"description_width": "initial", "button_width": "auto"})


def _spread(control, n):
    """``n`` values across one control's range, its default included (rounded as the slider shows them)."""
    ipywidgets = _ipywidgets()
    if isinstance(control, ipywidgets.SelectionSlider):  # a stops slider: n stops spread over the track
        values = [control.options[int(k)] for k in np.round(np.linspace(0, len(control.options) - 1, n))]
    elif hasattr(control, "options"):
        return list(control.options)
    elif isinstance(control, ipywidgets.FloatLogSlider):
        stops = np.round((np.linspace(control.min, control.max, n) - control.min) / control.step)
        values = [float(control.base ** (control.min + k * control.step)) for k in stops]
    elif isinstance(control, ipywidgets.IntSlider):
        values = [int(round(v)) for v in np.linspace(control.min, control.max, n)]
    else:
        values = [float(round(control.min + round((v - control.min) / control.step) * control.step, 10))
                  for v in np.linspace(control.min, control.max, n)]
    return sorted(set(values) | {control.value})


class Demo(LiveFigure):
    """A figure, a plain ``update(**values) -> str`` function, and the sliders that drive it.

    ``play="steps"`` adds a Play button next to the int slider ``steps`` that animates it at
    ``play_fps`` frames per second (pause, and the slider and the Play button stay in sync)."""

    def __init__(self, fig, update, controls, play=None, play_fps=PLAY_FPS):
        update = function(update, "update")
        if not isinstance(controls, dict) or not controls:
            raise TypeError("controls must be a non-empty dict of name -> widget")
        if play is not None:
            if play not in controls:
                raise ValueError(f"play={play!r} is not a control of this demo; expected one of {sorted(controls)}")
            if not isinstance(controls[play], _ipywidgets().IntSlider):
                raise TypeError(f"play={play!r} must name an int slider (int_slider), "
                                f"got {type(controls[play]).__name__}")
        self.play_fps = positive(play_fps, "play_fps")
        self.fig = fig
        self.update = update
        self.controls = controls
        self.play = play
        self.player = None  # the Play button (ipywidgets.Play), made by show()
        self.play_link = None  # its link to the slider, kept in the browser (jslink)
        self.status = ""
        self._init_live()  # the rendering state (plotting/live.py)

    def values(self):
        """The current value of every control, keyed by ``update``'s argument names."""
        return {name: control.value for name, control in self.controls.items()}

    def control_values(self, name, n):
        """``n`` values across control ``name``'s range, its current value included."""
        return _spread(self.controls[name], n)

    def refresh(self):
        """Run ``update`` with the current values; a failure becomes a message, not a traceback."""
        try:
            with np.errstate(all="ignore"):
                self.status = str(self.update(**self.values()))
        except Exception as err:  # a learner should see a sentence, never a traceback
            self.status = f"Could not update the figure for these values ({type(err).__name__}: {err})"
        return self.status

    def set(self, **values):
        """Move sliders from code (tests, benchmarks); runs one update per call."""
        for name in values:
            if name not in self.controls:
                raise ValueError(f"{name!r} is not a control of this demo; expected one of {sorted(self.controls)}")
        self._quiet = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._quiet = False
        self._redraw()
        return self.status

    def show(self):
        """Display sliders, figure (at the initial values) and status line; wire the sliders."""
        self.refresh()
        self._display_live()

    def sweep(self, n=5):
        """Each control at ``n`` values across its range (log-spaced for a log slider, every
        option of a choice), the others at their defaults: ``[(name, value, status), ...]``.
        The golden files pin these status lines (``make golden``)."""
        defaults = self.values()
        results = []
        for name in self.controls:
            for value in self.control_values(name, n):
                with np.errstate(over="raise", divide="raise", invalid="raise"):
                    results.append((name, value, str(self.update(**{**defaults, name: value}))))
        self.update(**defaults)
        return results

    def sweep_extremes(self):
        """``sweep`` at each control's minimum, maximum and default only (every option of a choice)."""
        return self.sweep(n=2)

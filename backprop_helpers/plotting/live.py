"""How a demo's figure reaches the browser fast and sharp (issue 16): display machinery, not an idea.

Figures are rendered at ``PIXEL_DENSITY``× their dpi and shown at their 1× size, no text smaller
than ``MIN_TEXT_PX`` on screen.  A change from the browser is drawn *live*: only the artists that
``update`` touched (matplotlib's ``stale`` flags) are redrawn over a cached background, drawn at
``DRAFT_DENSITY``× the dpi (a quarter of the pixels to fill) and sent as a fast PNG; ``SETTLE_SECONDS``
after the last change the figure is drawn in full.
Live frames are cached per control values; the frames a Play button will ask for are rendered while
the kernel idles.  Widget messages may arrive on a kernel subshell thread: drawing holds ``_LOCK``.
"""

import collections
import json
import struct
import threading
import time
import zlib

import numpy as np
from IPython.display import Image

__all__ = ["LiveFigure", "encode_png"]

PIXEL_DENSITY = 2  # image pixels per screen pixel: figures are rendered at 2× their dpi
MIN_TEXT_PX = 10  # the smallest text on screen, in CSS pixels at the figure's 1× size
LIVE_COMPRESSION = 1  # zlib level of the PNGs sent while a slider is dragged (fast)
FINAL_COMPRESSION = 6  # zlib level of the settled and the committed figures (smaller)
SETTLE_SECONDS = 0.3  # after the last change from the browser, draw the figure in full
WARM_UP_SECONDS = 1.0  # after show(), prepare the first live frame while the kernel idles
LIVE_FRAME_CACHE = 64  # live frames kept per demo (a drag back and forth), or all of its Play frames
DRAFT_DENSITY = 1  # pixel density of the live frames sent while dragging (the settled figure: PIXEL_DENSITY)
QUIET_SECONDS = 0.8  # idle-time work waits this long after a change from the browser or a cell run
_LOCK = threading.RLock()  # one figure drawn at a time, whichever thread the change came on
_LAST_INPUT = [0.0]  # time.monotonic() of the last change from the browser, any demo


def _png_chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def encode_png(rgba, compress_level=FINAL_COMPRESSION, comment=None, opaque=None):
    """PNG bytes of an RGBA image (h × w × 4, uint8), RGB when ``opaque`` (checked when None), with ``comment``
    in a ``tEXt`` chunk.  Not Pillow: no per-row filter search, so twice as fast for plots, and repeatable."""
    rgba = np.asarray(rgba)
    height, width, _ = rgba.shape
    if opaque is None:
        opaque = bool(rgba[..., 3].min() == 255)
    channels = 3 if opaque else 4
    raw = np.empty((height, width * channels + 1), np.uint8)
    raw[:, 0] = 0  # filter type "None" on every row
    raw[:, 1:].reshape(height, width, channels)[...] = rgba[..., :channels]
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)
    return _with_comment(b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
                         + _png_chunk(b"IDAT", zlib.compress(raw.data, compress_level)) + _png_chunk(b"IEND", b""),
                         comment)


def _with_comment(png, comment):
    """``png`` with a ``tEXt`` chunk ``Comment`` right after its header (none when None)."""
    if comment is None:
        return png
    return png[:33] + _png_chunk(b"tEXt", b"Comment\0" + comment.encode("ascii")) + png[33:]


class _Blitter:
    """Redraw only what changed: the artists an update touched (matplotlib marks them ``stale``) that sit
    directly in an Axes or the figure become *dynamic*: set ``animated``, left out of a background drawn
    once and kept as pixels; a live frame is that copy plus the dynamic artists on top.  Anything else
    (new or removed artists, changed limits, labels or spines) makes a full draw and a new background."""

    def __init__(self, fig):
        self.fig = fig
        self.canvas = fig.canvas
        self.dynamic = []  # (parent, artist) that an update changed
        self.layer = []  # (parent, artist) redrawn on every live frame: the dynamic ones and those above
        self.background = None
        self.signature = None
        self.frames = {"blit": 0, "full": 0}

    def _signature(self):
        """What a cached background depends on (in inches, so a full draw at another dpi keeps it)."""
        fig = self.fig
        return (tuple(fig.bbox_inches.bounds), len(fig.get_children()),
                tuple((tuple(ax.viewLim.bounds), len(ax.get_children()), ax.get_visible(),
                       tuple((axis.get_scale(), id(axis.major.locator), id(axis.major.formatter),
                              id(axis.minor.locator), axis.label.get_text())
                             for axis in ax._axis_map.values()))
                      for ax in fig.axes))

    def changed(self):
        """The stale artists as ``(parent, artist)``, or None when a change cannot be blitted."""
        from matplotlib.axes import Axes
        from matplotlib.axis import Axis
        from matplotlib.spines import Spine

        found = []
        for ax in self.fig.axes:
            for child in ax.get_children():
                if child.stale:
                    if isinstance(child, Axis):  # limits set again, maybe to the same values
                        if child.label.stale or child.offsetText.stale:
                            return None  # a new axis label: draw in full
                        continue  # changed limits show in the signature
                    if isinstance(child, Spine) or child is ax.patch:
                        return None
                    found.append((ax, child))
        for child in self.fig.get_children():
            if child.stale and not isinstance(child, Axes):
                if child is self.fig.patch:
                    return None
                found.append((self.fig, child))
        return found

    def _clear(self):
        """Mark every top-level artist drawn (not stale), so that the next update's changes stand
        out (matplotlib leaves an invisible artist, e.g. a hidden spine, stale for ever)."""
        for ax in self.fig.axes:
            for child in ax.get_children():
                child._stale = False
            for axis in ax._axis_map.values():  # an empty axis label is never drawn, so never fresh
                axis.label._stale = axis.offsetText._stale = False
        for child in self.fig.get_children():
            child._stale = False

    def learn(self, pairs):
        """Treat these ``(parent, artist)`` as dynamic from now on (the background is rebuilt)."""
        known = {id(artist) for _, artist in self.dynamic}
        new = [pair for pair in pairs if id(pair[1]) not in known and not known.add(id(pair[1]))]
        if new:
            self.dynamic += new
            self._order()
            self.background = None

    def _set_animated(self, flag):
        for _, artist in self.layer:
            artist.set_animated(flag)

    def _order(self):
        """The layer drawn on every live frame: per Axes (and the figure), the dynamic artists and
        every fixed artist stacked above the lowest of them, in matplotlib's drawing order, so that
        a live frame stacks exactly as a full draw does."""
        from matplotlib.axes import Axes
        from matplotlib.axis import Axis
        from matplotlib.spines import Spine

        for _, artist in getattr(self, "layer", []):
            artist.set_animated(False)
        self.layer = []
        parents = [ax for ax in self.fig.axes] + [self.fig]
        for parent in parents:
            moving = [artist for owner, artist in self.dynamic if owner is parent]
            if not moving:
                continue
            lowest = min(artist.get_zorder() for artist in moving)
            children = [child for child in parent.get_children() if child is not parent.patch]
            if parent is self.fig:
                children = [child for child in children if not isinstance(child, Axes)]
            else:
                children = [child for child in children
                            if not (isinstance(child, Axis) and not parent.axison)
                            and not (isinstance(child, Spine) and not (parent.axison and parent.get_frame_on()))]
            above = sorted((child for child in children if child.get_zorder() >= lowest),
                           key=lambda child: child.get_zorder())
            self.layer += [(parent, child) for child in above]

    def full(self):
        """Draw the whole figure as matplotlib would (the dynamic artists in their z-order)."""
        changed = self.changed()
        self._set_animated(False)
        self.fig.canvas.draw()
        if changed is None or self._signature() != self.signature:
            self.background = None
        self._clear()
        self.frames["full"] += 1

    def live(self):
        """A frame for a change from the browser: blitted when possible, else a full draw."""
        canvas = self.fig.canvas
        changed = self.changed()
        known = {id(artist) for _, artist in self.dynamic}
        if changed is None:
            self.full()
            return
        if self.background is not None and self._signature() == self.signature \
                and all(id(artist) in known for _, artist in changed):
            canvas.restore_region(self.background)
            self.frames["blit"] += 1
        else:  # (re)build the background without the dynamic artists
            self.dynamic += [pair for pair in changed if id(pair[1]) not in known]
            self._order()
            self._set_animated(True)
            canvas.draw()
            self.background = canvas.copy_from_bbox(self.fig.bbox)
            self.signature = self._signature()
            self.frames["full"] += 1
        for parent, artist in self.layer:
            if artist.get_visible():
                parent.draw_artist(artist)
        self._clear()


def _raise_small_text(fig, min_px, dpi):
    """Make every text of ``fig`` at least ``min_px`` pixels tall at ``dpi`` (1 pt = dpi/72 px)."""
    from matplotlib.text import Text

    smallest = min_px * 72 / dpi
    for text in fig.findobj(Text):
        if text.get_fontsize() < smallest - 1e-9:
            text.set_fontsize(smallest)


class LiveFigure:
    """The rendering half of a ``Demo``: a mixin that needs ``fig``, ``update``, ``values()``,
    ``control_values(name, n)``, ``refresh()``, ``status``, ``controls``, ``play`` and ``play_fps``
    from the class using it."""

    def _init_live(self):
        self.density = PIXEL_DENSITY
        self.timings = []  # (kind, seconds) of the last renders: "live", "full" or "cached"
        self._figure_handle = None
        self._status_handle = None
        self._base_dpi = None
        self._blitter = None
        self._settle_timer = None
        self._frozen = False  # the layout is solved by the first render, then kept
        self._frames = 0  # figures published after show()
        self._discovered = False
        self._live_frames = collections.OrderedDict()  # values -> live PNG, the last _cache_size
        self._cache_size = LIVE_FRAME_CACHE
        self._cells_seen = None  # IPython's execution count at the last look (see _idle_wait)

    def _display_live(self):
        """Display the controls, the figure and the status line, and wire the controls to ``_redraw``;
        then prepare the first live frame while the kernel idles."""
        import ipywidgets
        import matplotlib.pyplot as plt
        from IPython.display import display

        display(ipywidgets.VBox(self._control_rows()))
        self._figure_handle = display(self._image(self.render()), display_id=True)
        self._status_handle = display(_Status(self.status), display_id=True)
        plt.close(self.fig)  # the inline backend must not show it a second time
        for control in self.controls.values():
            control.observe(self._redraw, names="value")
        if self.player is not None:
            self.player.observe(self._play_changed, names="playing")
        loop = _event_loop()
        if loop is not None:
            loop.call_later(WARM_UP_SECONDS, self._warm_up)

    def _redraw(self, change=None):
        if getattr(self, "_quiet", False):
            return
        if change is not None:
            _LAST_INPUT[0] = time.monotonic()
        try:
            with _LOCK:
                self._redraw_now(change)
        except Exception as err:
            if change is None:
                raise  # from code (set, tests): the caller sees the error
            self._show_failure(err)  # from the browser: a message under the figure, not a traceback in the log

    def _redraw_now(self, change):
        self.refresh()
        if self._figure_handle is None:
            return
        if change is None or not _event_loop():
            self._publish(live=False)  # from code, or no event loop: draw in full now
        else:
            self._publish(live=True)
            self._schedule_settle()  # after the live frame, so that a slow frame does not trigger it

    def _control_rows(self):
        """One row per control; the ``play`` slider shares its row with a Play button linked to it."""
        import ipywidgets

        rows = []
        for name, control in self.controls.items():
            if name == self.play:
                self.player = ipywidgets.Play(
                    value=control.value, min=control.min, max=control.max, step=control.step,
                    interval=max(1, round(1000 / self.play_fps)), description=f"play {control.description}",
                    show_repeat=False, layout=ipywidgets.Layout(width="auto"),
                )
                self.play_link = ipywidgets.jslink((self.player, "value"), (control, "value"))
                rows.append(ipywidgets.HBox([control, self.player]))
            else:
                rows.append(control)
        return rows

    def _prepare(self, live=False):
        """Before a render: text no smaller than MIN_TEXT_PX, the figure at density × dpi (a live frame's
        at DRAFT_DENSITY × dpi); and an Agg canvas to draw on (``plt.close`` leaves a bare canvas)."""
        if self._base_dpi is None:
            self._base_dpi = self.fig.dpi
            _raise_small_text(self.fig, MIN_TEXT_PX, self._base_dpi)
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        if not isinstance(self.fig.canvas, FigureCanvasAgg):
            FigureCanvasAgg(self.fig)  # becomes fig.canvas
        dpi = self._base_dpi * (DRAFT_DENSITY if live else self.density)
        if self.fig.dpi != dpi:  # also after plt.close, which resets the dpi
            self.fig.set_dpi(dpi)
        if self._blitter is None:
            self._blitter = _Blitter(self.fig)
        elif self._blitter.canvas is not self.fig.canvas:  # a new canvas: keep what moves, redraw the rest
            self._blitter.canvas, self._blitter.background = self.fig.canvas, None

    def _discover_dynamic(self):
        """Before the first live frame: run ``update`` at each control's extremes (no drawing) to
        learn every artist it moves, so the background is built once, not once per new artist."""
        self._discovered = True
        current = self.values()
        found = []
        self._blitter._clear()
        for name in self.controls:
            for value in self.control_values(name, 2):
                try:
                    with np.errstate(all="ignore"):
                        self.update(**{**current, name: value})
                except Exception:  # noqa: S112 -- a failing value is reported when it is chosen
                    continue
                found += self._blitter.changed() or []
        self.refresh()
        self._blitter.learn(found)

    def display_size(self):
        """The figure's (width, height) on screen in CSS pixels: its 1× size."""
        if self._base_dpi is None:
            self._prepare()
        width, height = self.fig.get_size_inches() * self._base_dpi
        return int(round(width)), int(round(height))

    def render(self, live=False, comment=None, values=None):
        """The figure as PNG bytes at ``density`` × its dpi; ``live=True`` (a change from the browser): only
        what changed is redrawn, at DRAFT_DENSITY × the dpi, with less compression, and a frame of values
        seen before is reused.  The layout is solved by the first render, then frozen."""
        started = time.perf_counter()
        self._prepare(live)
        key = json.dumps(values or self.values(), default=str, sort_keys=True) if live else None
        if live and self._frozen and not self._discovered:
            self._discover_dynamic()
        png = self._live_frames.get(key) if live else None
        if png is not None:
            self._live_frames.move_to_end(key)
            kind = "cached"
        else:
            if live and self._frozen:
                self._blitter.live()
            else:
                self._blitter.full()
            patch = self.fig.patch
            opaque = patch.get_visible() and patch.get_facecolor()[3] == 1 or None
            png = encode_png(self.fig.canvas.buffer_rgba(), LIVE_COMPRESSION if live else FINAL_COMPRESSION,
                             opaque=opaque)
            kind = "live" if live else "full"
            if live:
                self._live_frames[key] = png
                while len(self._live_frames) > self._cache_size:
                    self._live_frames.popitem(last=False)
        if not self._frozen:
            self.fig.set_layout_engine("none")
            self._frozen = True
        self.timings = (self.timings + [(kind, time.perf_counter() - started)])[-200:]
        return _with_comment(png, comment)

    def _image(self, png):
        width, height = self.display_size()
        return Image(data=png, format="png", width=width, height=height)

    def _publish(self, live):
        """Replace the figure and status line; the PNG's comment (read by the browser tests) says what it
        shows and cost: ``{"frame": 7, "kind": "live", "ms": 12.5, "values": {"w": 0.5}}``."""
        if self._figure_handle is not None:
            self._frames += 1
            png = self.render(live=live)
            kind, seconds = self.timings[-1]
            comment = json.dumps({"frame": self._frames, "kind": "live" if live else "full", "render": kind,
                                  "ms": round(1000 * seconds, 1), "sent": round(1000 * time.time(), 1),
                                  "values": self.values()},
                                 default=str, ensure_ascii=True)
            self._figure_handle.update(self._image(_with_comment(png, comment)))
            self._status_handle.update(_Status(self.status))

    def _schedule_settle(self):
        """Draw the figure in full SETTLE_SECONDS after the last change (a debounce on the kernel's
        event loop); False when there is no running event loop to wait on."""
        loop = _event_loop()
        if loop is None:
            return False
        if self._settle_timer is not None:
            self._settle_timer.cancel()
            self._settle_timer = None
        if self.player is None or not self.player.playing:  # while playing: settle when it stops
            self._settle_timer = loop.call_later(SETTLE_SECONDS, self._settle)
        return True

    def _play_changed(self, change):
        if not change["new"] and self._figure_handle is not None:
            self._schedule_settle() or self._publish(live=False)

    def _idle_wait(self):
        """Seconds idle-time work (warm-up, Play frames) should still wait: a slider of any demo moved
        less than QUIET_SECONDS ago, or cells ran since the last look (Run All, nbval: they come first)."""
        from IPython import get_ipython

        count = getattr(get_ipython(), "execution_count", None)
        ran, self._cells_seen = count != self._cells_seen, count
        return QUIET_SECONDS if ran else max(0.0, _LAST_INPUT[0] + QUIET_SECONDS - time.monotonic())

    def _warm_up(self):
        """After ``show``, while the kernel is idle: learn what moves and cache the background, so
        that the first drag is as fast as the rest."""
        wait = self._idle_wait()
        if wait:
            _event_loop().call_later(wait, self._warm_up)
            return
        try:
            with _LOCK:
                if self._frozen and not self._discovered:
                    self._prepare(live=True)
                    self._discover_dynamic()
                    self._blitter.live()
        except Exception:  # noqa: S110 -- only a head start; the first live frame does it otherwise
            pass
        self._prefetch_play()

    def _settle(self):
        self._settle_timer = None
        try:
            with _LOCK:
                self._publish(live=False)
        except Exception as err:  # never a traceback in the kernel's log for a learner
            self._show_failure(err)
        self._prefetch_play()

    def _show_failure(self, err):
        self.status = f"Could not update the figure for these values ({type(err).__name__}: {err})"
        if self._status_handle is not None:
            self._status_handle.update(_Status(self.status))

    def _prefetch_play(self):
        """While the kernel idles, render the frames Play will ask for (every step, the other controls as
        they are), one per turn of the event loop: a change from the browser waits one frame at most."""
        loop = _event_loop()
        if self.player is None or loop is None:
            return
        control, values = self.controls[self.play], self.values()
        steps = list(range(control.min, control.max + 1, control.step))
        self._cache_size = max(LIVE_FRAME_CACHE, len(steps) + 16)  # every frame of the animation, and a drag's
        loop.call_soon(self._prefetch_next, steps, values)

    def _prefetch_next(self, steps, values):
        if not steps or self.player.playing or self.values() != values:
            return  # done, or overtaken by the learner: the frames come live
        wait = self._idle_wait()
        if wait:
            _event_loop().call_later(wait, self._prefetch_next, steps, values)
            return
        frame = {**values, self.play: steps.pop(0)}
        key = json.dumps(frame, default=str, sort_keys=True)
        if key not in self._live_frames:
            try:
                with _LOCK, np.errstate(all="ignore"):
                    self.update(**frame)
                    self.render(live=True, values=frame)
                    self.update(**values)  # the figure's artists back at the shown values
            except Exception:  # noqa: S110 -- such a step shows its message when it is played
                pass
        _event_loop().call_soon(self._prefetch_next, steps, values)


def _event_loop():
    """The kernel's running asyncio loop (a widget callback runs inside it), or None."""
    import asyncio

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class _Status:
    """The status line under a demo's figure: plain text, so nbval compares it."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text

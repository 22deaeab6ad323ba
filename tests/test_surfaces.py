"""plotting.surfaces: contours, the movable gradient/direction arrows, descent paths."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from backprop_helpers import new_figure, plot_contours
from backprop_helpers.course.nb01 import ContourGradientPlot
from backprop_helpers.course.nb03 import DescentPathPlot, plot_descent_path


def bowl(x, y):
    return x**2 + 3 * y**2


def bowl_gradient(x, y):
    return 2 * x, 6 * y


@pytest.fixture
def ax():
    fig, ax = new_figure("square")
    yield ax
    plt.close(fig)


def test_contours_and_gradient_field(ax):
    contours = plot_contours(ax, bowl, (-2, 2), (-1, 1), levels=5, field=4, grad=bowl_gradient)
    assert len(contours.levels) >= 5
    assert ax.get_xlim() == (-2.0, 2.0) and ax.get_ylim() == (-1.0, 1.0)
    (quiver,) = ax.collections[-1:]
    u, v = quiver.U, quiver.V
    assert np.allclose(np.hypot(u, v), 1.0)  # unit arrows: direction only


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"xlim": (1, -1)}, ValueError, "xlim"),
        ({"ylim": "ab"}, TypeError, "ylim"),
        ({"f": 3}, TypeError, "f must be a function"),
        ({"field": 3}, TypeError, "grad must be a function"),
        ({"f": lambda x, y: np.log(x)}, ValueError, "finite"),
    ],
)
def test_contours_reject_bad_input(ax, kwargs, error, match):
    arguments = {"f": bowl, "xlim": (-2, 2), "ylim": (-1, 1), **kwargs}
    with pytest.raises(error, match=match), np.errstate(all="ignore"):
        plot_contours(ax, **arguments)


def test_gradient_plot_moves_point_and_arrows(ax):
    plot = ContourGradientPlot(ax, bowl, bowl_gradient, (-2, 2), (-2, 2), arrow_scale=0.5, direction_length=1.0)
    gradient, u, slope = plot.move_to(1.0, -0.5, np.pi / 2)
    assert gradient.tolist() == [2.0, -3.0]
    assert u == pytest.approx([0.0, 1.0])
    assert slope == pytest.approx(-3.0)  # ∇f·u with u = (0, 1)
    assert list(plot.point.get_xdata()) == [1.0] and list(plot.point.get_ydata()) == [-0.5]
    start, tip = plot.gradient_arrow._posA_posB
    assert start == pytest.approx((1.0, -0.5)) and tip == pytest.approx((1.0 + 0.5 * 2, -0.5 - 0.5 * 3))
    start, tip = plot.direction_arrow._posA_posB
    assert tip == pytest.approx((1.0, 0.5))


def test_gradient_plot_needs_a_gradient_function(ax):
    with pytest.raises(TypeError, match="grad must be a function"):
        ContourGradientPlot(ax, bowl, None, (-2, 2), (-2, 2))


def test_descent_path_is_drawn_whole_when_finite(ax):
    plot_contours(ax, bowl, (-2, 2), (-2, 2))
    path = np.array([[1.0, 1.0], [0.5, 0.2], [0.1, 0.0]])
    plot = plot_descent_path(ax, path)
    assert isinstance(plot, DescentPathPlot)
    assert plot.line.get_xydata().tolist() == path.tolist()
    assert list(plot.start.get_xdata()) == [1.0] and list(plot.end.get_xdata()) == [0.1]


def test_descent_path_stops_before_points_far_outside_the_axes(ax):
    plot_contours(ax, bowl, (-2, 2), (-2, 2))
    plot = DescentPathPlot(ax)
    diverging = np.array([[1.0, 1.0], [-3.0, 1.0], [7.0, 1.0], [-1e5, 1.0], [1e300, 1.0]])
    assert plot.set_path(diverging) == 3  # 7 is within 2 axis-widths (8) of the centre, 1e5 is not
    assert np.isfinite(plot.line.get_xydata()).all()
    assert plot.set_path(np.array([[0.5, 0.5], [np.nan, 0.0]])) == 1


def test_descent_path_rejects_wrong_shape(ax):
    with pytest.raises(ValueError, match="path must have shape"):
        DescentPathPlot(ax).set_path(np.zeros((3, 3)))

"""Shared test set-up: a non-interactive matplotlib backend and no figures left open."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    """Every demo draws a figure; close them all after each test (matplotlib warns past 20)."""
    yield
    plt.close("all")


@pytest.fixture(autouse=True, scope="session")
def _house_style():
    """The notebooks apply the house style in their setup cell; the tests draw with it too."""
    from backprop_helpers import use_house_style

    use_house_style()

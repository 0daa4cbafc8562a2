import numpy as np
import pytest


@pytest.fixture(scope="session")
def digits():
    """scikit-learn's 1,797 handwritten digits: raw integer pixels (ties are real) and labels."""
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    return x.astype(np.float32), y


@pytest.fixture
def small_blocks(monkeypatch):
    """Force the exact engine into many small row blocks that straddle concept boundaries."""
    import kstar_widgets.engines.exact as exact

    monkeypatch.setattr(exact, "work_budget", lambda device: 1)

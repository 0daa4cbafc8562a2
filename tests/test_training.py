"""Training, attacks and the trained-weights cache behind the demo."""

import numpy as np
import pytest
import torch

from kstar_widgets.training import (
    accuracy_under_attack,
    adversarial_train,
    digits_split,
    evaluate,
    fgsm,
    pgd,
    small_cnn,
    train_classifier,
    trained_model,
)


@pytest.fixture(scope="module")
def split():
    return digits_split(size=16)


def test_digits_split_is_stratified_disjoint_and_scaled(split):
    assert len(split.train) + len(split.test) == 1797
    assert not set(split.train) & set(split.test)
    assert (
        split.x.shape == (1797, 3, 16, 16)
        and 0.0 <= float(split.x.min()) < float(split.x.max()) <= 1.0
    )
    assert set(split.y[split.test].tolist()) == set(range(10))
    with pytest.raises(ValueError, match="test_size"):
        digits_split(test_size=1.5)


@pytest.mark.parametrize("attack", [fgsm, pgd])
def test_attacks_stay_in_the_ball_and_the_image_range(attack, split):
    model = small_cnn()
    x, y = split.x[:32], split.y[:32]
    adv = attack(model, x, y, eps=0.05)
    assert adv.shape == x.shape
    assert float((adv - x).abs().max()) <= 0.05 + 1e-6
    assert float(adv.min()) >= 0.0 and float(adv.max()) <= 1.0
    assert float((adv - x).abs().max()) > 0.01  # it moved
    with pytest.raises(ValueError, match="eps"):
        attack(model, x, y, eps=2.0)


def test_training_learns_and_is_seeded(split):
    x, y = split.x[split.train[:400]], split.y[split.train[:400]]
    xt, yt = split.x[split.test], split.y[split.test]
    a, b = small_cnn(seed=1), small_cnn(seed=1)
    before = evaluate(a, xt, yt)
    losses = train_classifier(a, x, y, epochs=3, seed=5, progress=False)
    train_classifier(b, x, y, epochs=3, seed=5, progress=False)
    assert losses[-1] < losses[0]
    assert evaluate(a, xt, yt) > max(0.5, before + 0.3)
    for pa, pb in zip(a.state_dict().values(), b.state_dict().values(), strict=True):
        assert torch.equal(pa, pb)  # bit for bit: the demo prints the same table twice
    assert not torch.are_deterministic_algorithms_enabled()  # the global setting is restored


def test_attack_hurts_a_standard_model_and_adversarial_training_runs(split):
    x, y = split.x[split.train[:300]], split.y[split.train[:300]]
    model = small_cnn()
    train_classifier(model, x, y, epochs=3, progress=False)
    xt, yt = split.x[split.test[:200]], split.y[split.test[:200]]
    assert accuracy_under_attack(model, xt, yt, attack="pgd", eps=0.2, steps=5) < evaluate(
        model, xt, yt
    )
    robust = small_cnn()
    assert (
        len(adversarial_train(robust, x, y, attack="fgsm", eps=0.1, epochs=1, progress=False)) == 1
    )
    with pytest.raises(ValueError, match="attack"):
        adversarial_train(robust, x, y, attack=None)
    with pytest.raises(ValueError, match="attack='cw'"):
        accuracy_under_attack(model, xt, yt, attack="cw")


def test_trained_model_is_cached_on_disk(split, tmp_path):
    model, info = trained_model(split, epochs=1, cache_dir=tmp_path, progress=False)
    assert info["cache"] == "miss" and (tmp_path / "models").is_dir()
    again, info2 = trained_model(split, epochs=1, cache_dir=tmp_path, progress=False)
    assert info2["cache"] == "hit" and info2["losses"] == info["losses"]
    for pa, pb in zip(model.state_dict().values(), again.state_dict().values(), strict=True):
        torch.testing.assert_close(pa, pb)
    # a damaged file is retrained, not trusted
    path = next((tmp_path / "models").glob("*.pt"))
    path.write_bytes(b"not a checkpoint")
    _, info3 = trained_model(split, epochs=1, cache_dir=tmp_path, progress=False)
    assert info3["cache"] == "miss"
    assert np.isfinite(info3["losses"]).all()

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


def test_the_shipped_weights_are_intact_and_load_without_training():
    from kstar_widgets.training._shipped import WEIGHTS, file_sha256, manifest

    record = manifest()
    files = {e["file"] for e in record["files"]}
    assert files == {p.name for p in WEIGHTS.glob("*.safetensors")}
    assert {"digits-cnn-standard-8ep.safetensors", "digits-cnn-fgsm-8ep.safetensors"} <= files
    for entry in record["files"]:
        assert file_sha256(WEIGHTS / entry["file"]) == entry["sha256"], entry["file"]
    split = digits_split()
    xt, yt = split.x[split.test], split.y[split.test]
    for attack in (None, "fgsm"):
        model, info = trained_model(split, attack=attack, train=False, progress=False)
        entry = next(
            e
            for e in record["files"]
            if e["recipe"]["attack"] == attack and e["recipe"]["epochs"] == 8
        )
        assert info["cache"] == "shipped" and info["losses"] == entry["losses"]
        assert evaluate(model, xt, yt) == entry["held_out_accuracy"]  # the same number here


def test_a_damaged_or_missing_shipped_file_is_an_error_not_a_wrong_number(tmp_path):
    import shutil

    from kstar_widgets.training import ShippedWeightsError
    from kstar_widgets.training._shipped import WEIGHTS, find_shipped, load_shipped, manifest

    shutil.copytree(WEIGHTS, tmp_path / "w")
    entry = manifest(tmp_path / "w")["files"][0]
    assert find_shipped(entry["recipe"], tmp_path / "w") == entry
    path = tmp_path / "w" / entry["file"]
    data = bytearray(path.read_bytes())
    data[-5] ^= 1  # one bit of one weight
    path.write_bytes(bytes(data))
    with pytest.raises(ShippedWeightsError, match=r"damaged: sha256 .* Reinstall"):
        load_shipped(small_cnn(), entry, tmp_path / "w")
    path.unlink()
    with pytest.raises(ShippedWeightsError, match=r"cannot be read.*train=True"):
        load_shipped(small_cnn(), entry, tmp_path / "w")


def test_other_options_train_and_train_false_asks_for_shipped_weights(split, tmp_path):
    from kstar_widgets.training import ShippedWeightsError
    from kstar_widgets.training._shipped import weights_recipe

    with pytest.raises(ShippedWeightsError, match="no weights ship for this recipe"):
        trained_model(split, epochs=1, train=False, progress=False)  # 16 px: none ship
    # plain training never uses eps: its recipe (and its shipped file) ignore it
    a = weights_recipe(split, attack=None, epochs=8, eps=0.1, seed=0, model_kwargs={})
    assert a == weights_recipe(split, attack=None, epochs=8, eps=0.3, seed=0, model_kwargs={})
    assert a != weights_recipe(split, attack="fgsm", epochs=8, eps=0.1, seed=0, model_kwargs={})


def test_notebook_04_early_stop_loads_only_shipped_weights():
    from kstar_widgets.training import match_clean_accuracy
    from kstar_widgets.training._shipped import manifest

    split = digits_split()
    made = manifest()["made_by"]["notebook_04_early_stop"]
    match = match_clean_accuracy(split, made["target"], train=False, progress=False)
    assert match.epochs == made["epochs"]
    assert [info["cache"] for *_, info in match.tried] == ["shipped"] * len(match.tried)
    assert match.tried[-1][1] >= made["target"] or len(match.tried) == 8


def test_train_true_trains_here_even_where_weights_ship():
    split = digits_split()
    _, shipped = trained_model(split, epochs=1, progress=False)
    _, here = trained_model(split, epochs=1, train=True, cache=False, progress=False)
    assert shipped["cache"] == "shipped" and here["cache"] == "off"
    assert len(here["losses"]) == 1 and np.isfinite(here["losses"]).all()

"""The scorer, its explanations, determinism, and the artifact's safety checks."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.support.paths import REPO
from tests.support.records import small_data
from tonecheck.model.artifact import (
    ArtifactError,
    load_artifact,
    load_version,
    save_artifact,
    set_current,
)
from tonecheck.model.data_check import read_records
from tonecheck.model.lexicon import builtin_lexicon
from tonecheck.model.scorer import TextTooLong, ToneModel
from tonecheck.model.train import promote, train_model

REPO_DATA = REPO / "data" / "register.jsonl"
STRONG = (
    "Hi Priya, I can see the March invoice charged your card twice, and I understand how "
    "worrying that is. The second charge came from a payment retry: our processor timed out at "
    "02:14 on 3 March and the retry ran even though the first payment had gone through. I've "
    "refunded the duplicate $49.00 to your Visa ending 4242 just now; it reaches your account in "
    "3-5 business days, and I've turned off automatic retries on your account so it cannot repeat."
)
WEAK = "Hi, maybe it's a browser thing? You could try clearing your cookies, hopefully that works."


def test_scores_are_probabilities_on_a_0_100_scale(tone_model: ToneModel) -> None:
    strong, weak = tone_model.score(STRONG), tone_model.score(WEAK)
    for result in (strong, weak):
        assert set(result.scores) == {"knowledge", "intent", "empathy", "standing"}
        assert all(isinstance(v, int) and 0 <= v <= 100 for v in result.scores.values())
        assert (
            result.overall == round(sum(v or 0 for v in result.scores.values()) / 4)
            or abs((result.overall or 0) - sum(v or 0 for v in result.scores.values()) / 4) <= 1
        )
    for principle in ("knowledge", "intent", "standing"):
        assert (strong.scores[principle] or 0) > 60 > (weak.scores[principle] or 0), principle


def test_explanations_point_at_the_phrases_that_moved_each_score(tone_model: ToneModel) -> None:
    result = tone_model.score(WEAK)
    standing = result.explanations["standing"]
    assert standing, "no explanation for standing"
    lowest = min(standing, key=lambda e: e.effect)
    assert lowest.effect < 0
    assert lowest.text.lower() in {"maybe", "you could try", "hopefully", "hopefully that works"}
    for items in result.explanations.values():
        for item in items:
            assert WEAK[item.start : item.end] == item.text


def test_empty_text_has_null_scores_and_a_reason(tone_model: ToneModel) -> None:
    result = tone_model.score(" \t\n")
    assert result.scores == dict.fromkeys(("knowledge", "intent", "empathy", "standing"))
    assert result.overall is None and result.reason == "text is empty or only whitespace"


def test_text_over_the_limit_is_refused(tone_model: ToneModel) -> None:
    with pytest.raises(TextTooLong, match="20,001 characters, over the 20,000 limit"):
        tone_model.score("a" * 20_001)


def test_windows_line_ends_and_tabs_keep_offsets(tone_model: ToneModel) -> None:
    text = "Hi Jo,\r\n\tI think the parcel\u00a0might be delayed 🙈.\r\nMaybe Friday."
    for hedge in tone_model.score(text).hedges:
        assert text[hedge.start : hedge.end] == hedge.text


def test_same_data_and_seed_give_the_same_model(tmp_path: Path) -> None:
    data = small_data(tmp_path, 200)
    texts = [r.text for r in read_records(data)][:50]
    probabilities = []
    for name in ("a", "b"):
        root = tmp_path / name
        train_model(data, root, builtin_lexicon(), seed=7)
        probabilities.append(load_version(root).model.predict_proba(texts))
    np.testing.assert_array_equal(probabilities[0], probabilities[1])


def test_save_load_round_trip_predicts_identically(tone_model: ToneModel, tmp_path: Path) -> None:
    texts = [STRONG, WEAK, "Thanks, done!"]
    save_artifact(tmp_path, "round-trip", tone_model, {"versions": {"scikit-learn": _sklearn()}})
    loaded = load_artifact(tmp_path, "round-trip").model
    np.testing.assert_array_equal(loaded.predict_proba(texts), tone_model.predict_proba(texts))
    assert [h.text for h in loaded.score(WEAK).hedges] == [
        h.text for h in tone_model.score(WEAK).hedges
    ]


def _sklearn() -> str:
    import sklearn

    return sklearn.__version__


@pytest.fixture
def artifact_copy(trained_artifacts: Path, tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "artifacts"
    shutil.copytree(trained_artifacts, root)
    return root, (root / "CURRENT").read_text().strip()


def test_tampered_artifact_is_refused_before_unpickling(artifact_copy: tuple[Path, str]) -> None:
    root, version = artifact_copy
    model_file = root / version / "model.joblib"
    model_file.write_bytes(model_file.read_bytes() + b"\x00")
    with pytest.raises(ArtifactError, match=r"model.joblib: SHA-256 .* does not match metadata"):
        load_artifact(root, version)


def test_truncated_artifact_with_matching_hash_is_a_clear_error(
    artifact_copy: tuple[Path, str],
) -> None:
    from tonecheck.model.artifact import sha256_of

    root, version = artifact_copy
    model_file = root / version / "model.joblib"
    model_file.write_bytes(model_file.read_bytes()[:1000])
    metadata_file = root / version / "metadata.json"
    metadata = json.loads(metadata_file.read_text())
    metadata["sha256"] = sha256_of(model_file)
    metadata_file.write_text(json.dumps(metadata))
    with pytest.raises(ArtifactError, match="cannot load"):
        load_artifact(root, version)


def test_scikit_learn_version_mismatch_is_an_error(artifact_copy: tuple[Path, str]) -> None:
    root, version = artifact_copy
    metadata_file = root / version / "metadata.json"
    metadata = json.loads(metadata_file.read_text())
    metadata["versions"]["scikit-learn"] = "0.24.2"
    metadata_file.write_text(json.dumps(metadata))
    with pytest.raises(ArtifactError, match=r"written by scikit-learn 0\.24\.2, this is"):
        load_artifact(root, version)


def test_missing_current_and_unknown_version(
    tmp_path: Path, artifact_copy: tuple[Path, str]
) -> None:
    with pytest.raises(ArtifactError, match="train one with `tonecheck train`"):
        load_version(tmp_path / "empty")
    root, version = artifact_copy
    with pytest.raises(ArtifactError, match=rf"no model version 'nope' in .*known: {version}"):
        load_artifact(root, "nope")
    with pytest.raises(ArtifactError, match="not a valid version name"):
        load_artifact(root, "../etc")


def test_promote_refuses_a_worse_version_without_force(artifact_copy: tuple[Path, str]) -> None:
    root, version = artifact_copy
    worse = "worse"
    shutil.copytree(root / version, root / worse)
    metadata_file = root / worse / "metadata.json"
    metadata = json.loads(metadata_file.read_text())
    metadata["metrics"]["hedges"]["f1"] -= 0.2
    metadata_file.write_text(json.dumps(metadata))
    with pytest.raises(ArtifactError, match=r"hedge F1 .* lower than CURRENT"):
        promote(root, worse)
    assert (root / "CURRENT").read_text().strip() == version
    assert promote(root, worse, force=True) == version
    assert (root / "CURRENT").read_text().strip() == worse
    assert not [p for p in root.iterdir() if p.name.startswith(".CURRENT")]


def test_set_current_refuses_unknown_version_and_leaves_current(
    artifact_copy: tuple[Path, str],
) -> None:
    root, version = artifact_copy
    with pytest.raises(ArtifactError):
        set_current(root, "missing")
    assert (root / "CURRENT").read_text().strip() == version


def test_metadata_records_provenance(artifact_copy: tuple[Path, str]) -> None:
    root, version = artifact_copy
    metadata = json.loads((root / version / "metadata.json").read_text())
    for key in (
        "version",
        "created_at",
        "data_files",
        "git_commit",
        "sha256",
        "lexicon",
        "metrics",
    ):
        assert key in metadata, key
    assert metadata["versions"]["scikit-learn"] == _sklearn()
    assert metadata["metrics"]["records"] == metadata["test_records"]
    assert metadata["data_files"] and all(len(h) == 64 for h in metadata["data_files"].values())


def test_fast_path_equals_the_scikit_learn_pipeline(tone_model: ToneModel) -> None:
    texts = [STRONG, WEAK, "ok", "I think 😀 maybe\r\nyes"]
    np.testing.assert_allclose(
        tone_model.predict_proba(texts), tone_model.pipeline_proba(texts), atol=1e-6
    )
    # The fast path builds TF-IDF in float32 as the vectorizer does; sums may differ in the last bits.
    for text in texts:
        np.testing.assert_allclose(
            tone_model.predict_proba([text]), tone_model.pipeline_proba([text]), atol=1e-6
        )
    detector = tone_model.detector
    candidates = detector.lexicon.candidates(WEAK)
    quoted: list[tuple[int, int]] = []
    from tonecheck.model.hedges import candidate_features, quoted_regions

    quoted = quoted_regions(WEAK)
    rows = [candidate_features(WEAK, c, quoted) for c in candidates]
    assert detector.classifier is not None
    np.testing.assert_allclose(
        detector.confidences(WEAK, candidates),
        detector.classifier.predict_proba(rows)[:, 1],
        atol=1e-12,
    )


def test_no_hedge_counts_in_a_principles_favour(tone_model: ToneModel) -> None:
    """Hedge features weigh at most zero for every principle, hedge words never reach the word
    features, and no underlined hedge is listed as raising a score."""
    from tonecheck.model.features import FEATURE_NAMES
    from tonecheck.model.scorer import HEDGE_FEATURES

    offset = tone_model._tone_offset
    for name in HEDGE_FEATURES:
        assert (tone_model._coefs[:, offset + FEATURE_NAMES.index(name)] <= 0).all(), name
    hedged = "I think the refund should arrive Friday, hopefully sooner. Maybe try the app?"
    hedges = tone_model.detector.find_hedges(hedged)
    assert {h.text for h in hedges} >= {"I think", "hopefully", "Maybe"}
    row, _ = tone_model._word_rows([hedged], [hedges])
    columns = set(row.indices.tolist())
    for word in ("think", "hopefully", "maybe", "i think"):
        column = tone_model._vocabulary.get(word)
        assert column is None or column not in columns, word
    assert tone_model._vocabulary.get("refund") in columns
    texts = [r.text for r in read_records(REPO_DATA)][::9]
    for result in tone_model.score_many(texts):
        for items in result.explanations.values():
            for item in items:
                if item.effect > 0:
                    assert not any(h.start < item.end and item.start < h.end for h in result.hedges)


def _save_broken(root: Path, version: str, name: str, break_it: Any) -> None:
    """A copy of `version` saved as `name` after `break_it(model)`."""
    loaded = load_artifact(root, version)
    break_it(loaded.model)
    metadata = {k: v for k, v in loaded.metadata.items() if k not in ("sha256", "version")}
    save_artifact(root, name, ToneModel(loaded.model.detector, loaded.model.pipeline), metadata)


def test_a_version_that_cannot_score_or_finds_no_hedge_is_refused(
    artifact_copy: tuple[Path, str],
) -> None:
    root, version = artifact_copy

    def nan_weights(model: ToneModel) -> None:
        estimator = model.pipeline.named_steps["classify"].estimators_[0]
        estimator.calibrated_classifiers_[0].estimator.coef_[0, :] = float("nan")

    def blind(model: ToneModel) -> None:
        model.detector.classifier.named_steps["classify"].intercept_[:] = -1000.0

    _save_broken(root, version, "nan", nan_weights)
    _save_broken(root, version, "blind", blind)
    with pytest.raises(
        ArtifactError, match=r"must not serve: it scores the probe reply .* as not a number"
    ):
        load_artifact(root, "nan")
    with pytest.raises(
        ArtifactError, match=r"must not serve: it finds no hedge in the probe reply"
    ):
        load_artifact(root, "blind")
    with pytest.raises(ArtifactError, match="must not serve"):
        promote(root, "blind", force=True)
    assert (root / "CURRENT").read_text().strip() == version


def test_promote_keeps_current_readable_by_the_server(artifact_copy: tuple[Path, str]) -> None:
    root, version = artifact_copy
    os.chmod(root / "CURRENT", 0o644)
    shutil.copytree(root / version, root / "again")
    promote(root, "again", force=True)
    assert (root / "CURRENT").stat().st_mode & 0o777 == 0o644
    (root / "CURRENT").unlink()
    set_current(root, version)
    assert (root / "CURRENT").stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600

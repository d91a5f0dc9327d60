"""The four-principle scorer: one scikit-learn Pipeline, plus hedges and explanations.

`ToneModel.score(text)` gives each principle a 0-100 score (the calibrated
probability that the reply meets it), an overall score, the hedges, and for
each principle the phrases that moved its score most.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import StandardScaler

from tonecheck.model.features import (
    CUES,
    FEATURE_NAMES,
    HedgeMask,
    ToneFeatures,
    cue_spans,
    mask_hedges,
    tone_feature_row,
)
from tonecheck.model.hedges import HedgeDetector, HedgeSpan
from tonecheck.model.lexicon import Lexicon
from tonecheck.model.reasons import explain_in_words
from tonecheck.model.types import HEDGE_CATEGORIES, MAX_TEXT_CHARS, PRINCIPLES

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
Cues = dict[str, list[tuple[int, int]]]
# (start, end, effect on the log-odds, what it is: "" for words, "cue:NAME", "hedge:CATEGORY")
Effect = tuple[int, int, float, str]
Occurrences = list[tuple[int, int, int]]
EXPLANATIONS_PER_SIDE = 3


class TextTooLong(ValueError):
    """A reply over `MAX_TEXT_CHARS` characters."""


@dataclass(frozen=True)
class Explanation:
    """A phrase that moved a principle's score: `effect` in log-odds, `reason` in words."""

    start: int
    end: int
    text: str
    effect: float
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "effect": self.effect,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ReplyScore:
    """Scores are None, with a `reason`, when there is nothing to score."""

    scores: dict[str, int | None]
    overall: int | None
    hedges: tuple[HedgeSpan, ...]
    explanations: dict[str, list[Explanation]] = field(default_factory=dict)
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "scores": dict(self.scores),
            "overall": self.overall,
            "hedges": [h.as_json() for h in self.hedges],
            "explanations": {p: [e.as_json() for e in xs] for p, xs in self.explanations.items()},
        }
        if self.reason:
            body["reason"] = self.reason
        return body


def build_pipeline(detector: HedgeDetector, seed: int) -> Pipeline:
    """Word TF-IDF plus tone features; one calibrated classifier per principle.

    Character n-grams added about one point of macro F1 on the test split but
    tripled the time to score a reply, so they are left out (see bench/model_bench.py).
    """
    linear = LogisticRegression(C=4.0, max_iter=5000, random_state=seed)
    calibrated = CalibratedClassifierCV(linear, method="sigmoid", cv=5, ensemble=False)
    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "words",
                            Pipeline(
                                [
                                    ("mask", HedgeMask(detector)),
                                    (
                                        "tfidf",
                                        TfidfVectorizer(
                                            ngram_range=(1, 2),
                                            min_df=2,
                                            sublinear_tf=True,
                                            dtype=np.float32,
                                        ),
                                    ),
                                ]
                            ),
                        ),
                        (
                            "tone",
                            Pipeline(
                                [("extract", ToneFeatures(detector)), ("scale", StandardScaler())]
                            ),
                        ),
                    ]
                ),
            ),
            ("classify", MultiOutputClassifier(calibrated)),
        ]
    )


def check_text(text: str) -> str | None:
    """The reason a text cannot be scored (None when it can); raises when it is too long."""
    if len(text) > MAX_TEXT_CHARS:
        raise TextTooLong(f"text has {len(text):,} characters, over the {MAX_TEXT_CHARS:,} limit")
    if not text.strip():
        return "text is empty or only whitespace"
    return None


class ToneModel:
    """A trained detector and pipeline; pickled whole into the artifact."""

    def __init__(self, detector: HedgeDetector, pipeline: Pipeline) -> None:
        self.detector = detector
        self.pipeline = pipeline
        self._prepare()

    def __getstate__(self) -> dict[str, Any]:
        return {"detector": self.detector, "pipeline": self.pipeline}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["detector"], state["pipeline"])  # type: ignore[misc]

    def _prepare(self) -> None:
        union: FeatureUnion = self.pipeline.named_steps["features"]
        if not hasattr(self.pipeline.named_steps["classify"], "estimators_"):
            return
        words: TfidfVectorizer = union.transformer_list[0][1].named_steps["tfidf"]
        self._words = words
        self._vocabulary: dict[str, int] = words.vocabulary_
        self._idf = words.idf_
        self._tone_offset = len(words.vocabulary_)
        scaler: StandardScaler = union.transformer_list[1][1].named_steps["scale"]
        self._mean, self._scale = scaler.mean_, scaler.scale_
        self._scaled_zero = (0.0 - scaler.mean_) / scaler.scale_
        calibrated = [
            est.calibrated_classifiers_[0]
            for est in self.pipeline.named_steps["classify"].estimators_
        ]
        self._coefs = np.vstack([c.estimator.coef_[0] for c in calibrated])
        self._weights = np.ascontiguousarray(self._coefs.T)
        self._intercepts = np.array([c.estimator.intercept_[0] for c in calibrated])
        self._sigmoid = np.array([[c.calibrators[0].a_, c.calibrators[0].b_] for c in calibrated])
        self._hedge_columns = [FEATURE_NAMES.index(f"hedge_{c}") for c in HEDGE_CATEGORIES]
        self._hedge_shared = [FEATURE_NAMES.index(n) for n in ("hedges_total", "hedge_density")]
        self._cue_columns = {name: FEATURE_NAMES.index(name) for name in CUES}

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of meeting each principle: shape (len(texts), 4)."""
        features, _ = self._features(
            texts, [self.detector.find_hedges(t, rewrites=False) for t in texts]
        )
        return self._proba_from(features)

    def _word_rows(
        self, texts: Sequence[str], hedges: Sequence[Sequence[HedgeSpan]]
    ) -> tuple[sparse.csr_matrix, list[Occurrences]]:
        """TF-IDF rows as the fitted vectorizer makes them (hedges blanked out, as the
        pipeline's mask step does), plus each n-gram's span and column.

        One tokenisation serves the features and the explanations. Lowercasing that
        changes a text's length (rare characters) would move offsets, so such a text
        goes through the vectorizer itself and gets its spans from the original text.
        """
        indptr: list[int] = [0]
        indices: list[int] = []
        data: list[float] = []
        occurrences: list[Occurrences] = []
        for original, found_hedges in zip(texts, hedges, strict=True):
            text = mask_hedges(original, found_hedges)
            lowered = text.lower()
            source = lowered if len(lowered) == len(text) else text
            found = _ngram_columns(source, self._vocabulary)
            occurrences.append(found)
            if source is not lowered:
                row = self._words.transform([text])
                indices.extend(row.indices.tolist())
                data.extend(row.data.tolist())
            else:
                counts: dict[int, int] = {}
                for _, _, column in found:
                    counts[column] = counts.get(column, 0) + 1
                columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
                # float32, as the vectorizer computes, so both paths agree to ~1e-7
                tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
                weights = (np.float32(1.0) + np.log(tf)) * self._idf[columns]
                norm = float(np.sqrt(np.dot(weights, weights)))
                indices.extend(columns.tolist())
                data.extend((weights / norm if norm else weights).tolist())
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (
                np.asarray(data, dtype=np.float64),
                np.asarray(indices, dtype=np.intp),
                np.asarray(indptr),
            ),
            shape=(len(texts), len(self._vocabulary)),
        )
        return matrix, occurrences

    def _features(
        self, texts: Sequence[str], hedges: Sequence[Sequence[HedgeSpan]]
    ) -> tuple[sparse.csr_matrix, list[tuple[Cues, Occurrences]]]:
        """The pipeline's feature matrix, computed without its per-call validation overhead.

        `pipeline_proba` gives the same numbers through scikit-learn's own path (a test holds
        the two equal); this path is what makes one reply take about a millisecond. Each
        text's cue spans and n-gram occurrences come back for its explanations.
        """
        masked = [mask_hedges(t, h) for t, h in zip(texts, hedges, strict=True)]
        cues = [cue_spans(text) for text in masked]
        tone = np.asarray(
            [tone_feature_row(*parts) for parts in zip(masked, hedges, cues, strict=True)],
            dtype=float,
        )
        words, occurrences = self._word_rows(texts, hedges)
        scaled = (tone - self._mean) / self._scale
        if len(texts) == 1:
            # One row: join the blocks by hand; sparse.hstack costs more than the rest of the row.
            width = len(self._mean)
            row = sparse.csr_matrix(
                (
                    np.concatenate([words.data, scaled[0]]),
                    np.concatenate(
                        [words.indices, np.arange(self._tone_offset, self._tone_offset + width)]
                    ),
                    np.array([0, words.nnz + width]),
                ),
                shape=(1, self._tone_offset + width),
            )
            return row, list(zip(cues, occurrences, strict=True))
        matrix = sparse.hstack([words, sparse.csr_matrix(scaled)], format="csr")
        return matrix, list(zip(cues, occurrences, strict=True))

    def _proba_from(self, features: sparse.csr_matrix) -> np.ndarray:
        decision = np.asarray(features @ self._weights) + self._intercepts
        return np.asarray(expit(-(self._sigmoid[:, 0] * decision + self._sigmoid[:, 1])))

    def pipeline_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The same probabilities through the scikit-learn Pipeline itself."""
        features = self.pipeline.named_steps["features"].transform(texts)
        estimators = self.pipeline.named_steps["classify"].estimators_
        return np.column_stack([est.predict_proba(features)[:, 1] for est in estimators])

    def score(self, text: str) -> ReplyScore:
        return self.score_many([text])[0]

    def score_many(self, texts: Sequence[str], explain: bool = True) -> list[ReplyScore]:
        reasons = [check_text(t) for t in texts]
        scorable = [t for t, r in zip(texts, reasons, strict=True) if r is None]
        results: dict[int, ReplyScore] = {}
        if scorable:
            hedges = [self.detector.find_hedges(t) for t in scorable]
            features, spans = self._features(scorable, hedges)
            probabilities = self._proba_from(features)
            row = 0
            for index, (text, reason) in enumerate(zip(texts, reasons, strict=True)):
                if reason is None:
                    results[index] = self._result(
                        text,
                        probabilities[row],
                        hedges[row],
                        (_row_entries(features, row), *spans[row]) if explain else None,
                    )
                    row += 1
        return [
            results.get(i) or ReplyScore(dict.fromkeys(PRINCIPLES), None, (), {}, reason)
            for i, reason in enumerate(reasons)
        ]

    def _result(
        self,
        text: str,
        probabilities: np.ndarray,
        hedges: tuple[HedgeSpan, ...],
        parts: tuple[Any, Cues, Occurrences] | None,
    ) -> ReplyScore:
        scores: dict[str, int | None] = {
            p: round(100 * float(v)) for p, v in zip(PRINCIPLES, probabilities, strict=True)
        }
        overall = round(100 * float(np.mean(probabilities)))
        explanations = self._explain(text, hedges, *parts) if parts is not None else {}
        return ReplyScore(scores, overall, hedges, explanations)

    def _explain(
        self,
        text: str,
        hedges: Sequence[HedgeSpan],
        row: Any,
        cues: Cues,
        occurrences: Occurrences,
    ) -> dict[str, list[Explanation]]:
        """Per principle, the phrases whose features moved the log-odds most, each way."""
        values = dict(zip(row[0].tolist(), row[1].tolist(), strict=True))
        spans = [(start, end) for start, end, _ in occurrences]
        columns = [column for _, _, column in occurrences]
        index = np.asarray(columns, dtype=np.intp)
        counts = np.bincount(index, minlength=1)[index] if columns else np.ones(0)
        shares = np.asarray([values.get(j, 0.0) for j in columns]) / np.maximum(counts, 1)
        # effects[p, k]: what occurrence k of a word n-gram added to principle p's log-odds
        effects = self._coefs[:, index] * shares if columns else np.zeros((len(PRINCIPLES), 0))
        # moved[p][c]: how far tone feature c moved principle p's log-odds from where an
        # absent feature leaves it
        width = len(self._scaled_zero)
        tone = np.fromiter(
            (values.get(self._tone_offset + c, 0.0) for c in range(width)), float, count=width
        )
        moved = (
            self._coefs[:, self._tone_offset : self._tone_offset + width]
            * (tone - self._scaled_zero)
        ).tolist()
        result: dict[str, list[Explanation]] = {}
        for p_index, principle in enumerate(PRINCIPLES):
            row_effects = effects[p_index]
            keep = np.argsort(-np.abs(row_effects))[: 4 * EXPLANATIONS_PER_SIDE]
            items = [(spans[k][0], spans[k][1], float(row_effects[k]), "") for k in keep]
            items += self._hedge_effects(moved[p_index], hedges)
            items += self._cue_effects(moved[p_index], cues)
            # an underlined hedge is never shown as raising a score
            items = [i for i in items if i[2] <= 0 or not _inside_any(i, hedges)]
            result[principle] = _strongest(text, items, principle)
        return result

    def _cue_effects(
        self, moved: list[float], cues: dict[str, list[tuple[int, int]]]
    ) -> list[Effect]:
        effects: list[Effect] = []
        for name, spans in cues.items():
            if spans:
                share = moved[self._cue_columns[name]] / len(spans)
                effects += [(start, end, share, f"cue:{name}") for start, end in spans]
        return effects

    def _hedge_effects(self, moved: list[float], hedges: Sequence[HedgeSpan]) -> list[Effect]:
        effects: list[Effect] = []
        if not hedges:
            return effects
        shared = sum(moved[c] for c in self._hedge_shared) / len(hedges)
        for category, column in zip(HEDGE_CATEGORIES, self._hedge_columns, strict=True):
            mine = [h for h in hedges if h.category == category]
            for hedge in mine:
                effect = moved[column] / len(mine) + shared
                effects.append((hedge.start, hedge.end, effect, f"hedge:{category}"))
        return effects


def adopt_lexicon(model: ToneModel, team_lexicon: Lexicon | None) -> ToneModel:
    """`model` with a team's lexicon in place of its own; the hedge classifier is kept."""
    if team_lexicon is None:
        return model
    return ToneModel(HedgeDetector(team_lexicon, model.detector.classifier), model.pipeline)


def _inside_any(item: Effect, hedges: Sequence[HedgeSpan]) -> bool:
    return any(h.start < item[1] and item[0] < h.end for h in hedges)


def _row_entries(matrix: sparse.csr_matrix, row: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of one CSR row, without building a one-row matrix."""
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[start:end], matrix.data[start:end]


def _ngram_columns(source: str, vocabulary: dict[str, int]) -> Occurrences:
    """(start, end, column) of each word 1-gram and 2-gram of `source` in the vocabulary."""
    tokens = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(source)]
    found: Occurrences = []
    for i, (start, end, token) in enumerate(tokens):
        if (column := vocabulary.get(token)) is not None:
            found.append((start, end, column))
        if (
            i + 1 < len(tokens)
            and (column := vocabulary.get(f"{token} {tokens[i + 1][2]}")) is not None
        ):
            found.append((start, tokens[i + 1][1], column))
    return found


def _strongest(text: str, items: list[Effect], principle: str) -> list[Explanation]:
    chosen: list[Explanation] = []
    for sign in (1, -1):
        side = sorted((i for i in items if i[2] * sign > 0.005), key=lambda i: -abs(i[2]))
        picked: list[Effect] = []
        for item in side:
            if len(picked) == EXPLANATIONS_PER_SIDE:
                break
            if all(item[1] <= s or e <= item[0] for s, e, _, _ in picked):
                picked.append(item)
        chosen += [
            Explanation(
                s, e, text[s:e], round(eff, 3), explain_in_words(text[s:e], kind, eff, principle)
            )
            for s, e, eff, kind in picked
        ]
    return sorted(chosen, key=lambda x: -abs(x.effect))


# Tone features that count hedging: none of them may raise any principle's score.
HEDGE_FEATURES = (
    *(f"hedge_{c}" for c in HEDGE_CATEGORIES),
    "hedges_total",
    "hedge_density",
    "permission_ask",
)


def fit_tone_model(
    texts: Sequence[str], labels: np.ndarray, detector: HedgeDetector, seed: int
) -> ToneModel:
    """Fit the pipeline, then hold every hedge feature's weight at or below zero: a hedge
    phrase must never count in a principle's favour, whatever the training data taught."""
    pipeline = build_pipeline(detector, seed)
    pipeline.fit(list(texts), labels)
    union: FeatureUnion = pipeline.named_steps["features"]
    offset = len(union.transformer_list[0][1].named_steps["tfidf"].vocabulary_)
    columns = [offset + FEATURE_NAMES.index(name) for name in HEDGE_FEATURES]
    for estimator in pipeline.named_steps["classify"].estimators_:
        for calibrated in estimator.calibrated_classifiers_:
            coef = calibrated.estimator.coef_
            coef[0, columns] = np.minimum(coef[0, columns], 0.0)
    return ToneModel(detector, pipeline)

"""The stance model: its feature pipeline, safe persistence with skops, and prediction.

Training (replydesk.training) builds its candidates with :func:`build_pipeline`, so training and
serving cannot drift. The artifact is a skops file plus a JSON sidecar with the version and
the review threshold; loading accepts only the types listed in ``TRUSTED_TYPES``, so an
artifact that smuggles anything else is refused instead of executed.
"""

from __future__ import annotations

import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from replydesk.records import Classification, Label

ARTIFACT_NAME = "replydesk-model.skops"
META_NAME = "replydesk-model.json"
MAX_CHARS = 20_000
SEED = 20261123
EVIDENCE_TERMS = 4

# Words that turn what follows around, per language; the next few tokens get a "neg_" prefix
# so "will not sign" and "will sign" are different features.
_NEGATORS = re.compile(
    r"\b(?:not|no|never|cannot|can't|won't|don't|doesn't|isn't|aren't|wouldn't|shouldn't|neither|nor"  # en
    r"|ne|n'|pas|jamais|aucun|aucune|non"  # fr
    r"|nunca|jamás|tampoco|ningún|ninguna|ni"  # es
    r"|nicht|kein|keine|keinen|keinem|keiner|nie|niemals|weder)\b",  # de
    re.IGNORECASE,
)
# Function words never make useful evidence on their own, in any of the corpus languages.
_EVIDENCE_STOPWORDS = frozenset(
    "a an the and or but of to in on for with at by from as is are was were be been it its this that these those "
    "i we you he she they our your my their me us not no will would can could shall should have has had do does "
    "le la les un une des et ou de du au aux en dans pour par sur ce cette ces je nous vous il elle ils est sont "
    "ne pas que qui el los las y o del al con por para es son lo se su sus yo nosotros no que "
    "der die das ein eine und oder von zu im in mit für auf ist sind ich wir sie es nicht kein dass".split()
)
_TOKEN = re.compile(r"\w+(?:'\w+)?", re.UNICODE)
_CLAUSE_END = re.compile(r"[.;:!?,\n]")
_NEGATION_SCOPE = 3


def normalise(text: str) -> str:
    """Lower-case, NFKC, truncated, control characters dropped, so any input is safe to vectorise."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS])
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return text.lower()


def mark_negation(text: str) -> str:
    """Prefix the tokens after a negator (up to the clause end) with ``neg_``."""
    out: list[str] = []
    for clause in _CLAUSE_END.split(normalise(text)):
        remaining = 0
        for token in _TOKEN.findall(clause):
            if _NEGATORS.fullmatch(token):
                out.append(token)
                remaining = _NEGATION_SCOPE
            elif remaining:
                out.append("neg_" + token)
                remaining -= 1
            else:
                out.append(token)
        out.append("|")
    return " ".join(out)


TAIL_WORDS = 80


def closing_text(text: str) -> str:
    """The last words of a reply, negation-marked: where long letters put their decision.

    Taken from the end of the text as given, so a letter longer than ``MAX_CHARS`` still shows its close.
    """
    words = normalise(text[-TAIL_WORDS * 50 :]).split()
    return mark_negation(" ".join(words[-TAIL_WORDS:]))


@dataclass(frozen=True)
class PipelineConfig:
    """One candidate in model selection."""

    features: str = "word+char"  # "word", "char", "tail" joined by "+"
    model: str = "logreg"  # "logreg" or "linsvc"
    c: float = 4.0
    calibration: str = "sigmoid"

    @property
    def name(self) -> str:
        return f"{self.features}/{self.model}/C={self.c}"


def _word_features() -> TfidfVectorizer:
    return TfidfVectorizer(
        preprocessor=mark_negation,
        token_pattern=r"[^\s|]+",
        ngram_range=(1, 3),
        min_df=2,
        sublinear_tf=True,
        max_features=40_000,
        dtype=np.float32,
    )


def _char_features() -> TfidfVectorizer:
    return TfidfVectorizer(
        preprocessor=normalise,
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        max_features=60_000,
        dtype=np.float32,
    )


def _tail_features() -> TfidfVectorizer:
    return TfidfVectorizer(
        preprocessor=closing_text, token_pattern=r"[^\s|]+", ngram_range=(1, 2), min_df=2, sublinear_tf=True,
        max_features=20_000, dtype=np.float32,
    )


def build_pipeline(config: PipelineConfig, calibrated: bool = True) -> Pipeline:
    parts = []
    features = config.features.split("+")
    if "word" in features:
        parts.append(("word", _word_features()))
    if "char" in features:
        parts.append(("char", _char_features()))
    if "tail" in features:
        parts.append(("tail", _tail_features()))
    if config.model == "logreg":
        base = LogisticRegression(C=config.c, max_iter=3000, class_weight="balanced", random_state=SEED)
    else:
        base = LinearSVC(C=config.c / 10, class_weight="balanced", random_state=SEED, max_iter=10_000)
    classifier = (
        CalibratedClassifierCV(
            base, method=config.calibration, cv=StratifiedKFold(5, shuffle=True, random_state=SEED), ensemble=False
        )
        if calibrated
        else base
    )
    return Pipeline([("features", FeatureUnion(parts)), ("classifier", classifier)])


# Everything a replydesk artifact may contain; skops refuses to load any other type.
TRUSTED_TYPES = [
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "replydesk.classifier.closing_text",
    "replydesk.classifier.mark_negation",
    "replydesk.classifier.normalise",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.isotonic.IsotonicRegression",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "sklearn.svm._classes.LinearSVC",
    "builtins.slice",
]


@dataclass(frozen=True)
class ModelMeta:
    version: str
    review_margin: float  # a reply whose decision margin is below this needs review
    labels: tuple[str, ...]
    config: str

    @classmethod
    def from_json(cls, data: dict) -> ModelMeta:
        return cls(data["version"], float(data["review_margin"]), tuple(data["labels"]), data["config"])


class ModelLoadError(RuntimeError):
    """The artifact is missing, unreadable or contains types replydesk does not trust."""


class ReplyClassifier:
    """A trained pipeline plus what serving needs: version, review margin, evidence weights."""

    def __init__(self, pipeline: Pipeline, meta: ModelMeta) -> None:
        self.pipeline = pipeline
        self.meta = meta
        self.labels = [Label(str(c)) for c in pipeline.classes_]
        self._evidence = _evidence_weights(pipeline)
        self._names = self._evidence[0].get_feature_names_out() if self._evidence else None

    @property
    def version(self) -> str:
        return self.meta.version

    def classify(self, text: str) -> Classification:
        return self.classify_many([text])[0]

    def classify_many(self, texts: list[str]) -> list[Classification]:
        results: list[Classification | None] = [None] * len(texts)
        todo = [(i, t) for i, t in enumerate(texts) if _has_words(t)]
        for i, text in enumerate(texts):
            if not _has_words(text):
                results[i] = Classification(Label.NO_ACTION, 1.0, self.version, False, ("empty reply",))
        if todo:
            features = self.pipeline.named_steps["features"].transform([t for _, t in todo])
            probabilities, margins = self._scores(features)
            for k, ((i, _), row, margin) in enumerate(zip(todo, probabilities, margins, strict=True)):
                best = int(np.argmax(row))
                results[i] = Classification(
                    label=self.labels[best],
                    confidence=float(row[best]),
                    model_version=self.version,
                    needs_review=bool(margin < self.meta.review_margin),
                    evidence=self._explain(features[k], best),
                )
        return [r for r in results if r is not None]

    def score(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated class probabilities and decision margins of each text."""
        return self._scores(self.pipeline.named_steps["features"].transform(texts))

    def _scores(self, features) -> tuple[np.ndarray, np.ndarray]:
        probabilities = self.pipeline.named_steps["classifier"].predict_proba(features)
        return probabilities, decision_margins(self.pipeline, features)

    def _explain(self, features, class_index: int) -> tuple[str, ...]:
        """The word n-grams of one row of the union's features that pushed ``class_index`` most."""
        if self._evidence is None:
            return ()
        _, weights = self._evidence
        row = features[:, : weights.shape[1]]  # the word block comes first in the feature union
        contributions = row.multiply(weights[class_index]).tocsr()
        if contributions.nnz == 0:
            return ()
        names = self._names
        terms: list[str] = []
        for j in np.argsort(-contributions.data):
            if contributions.data[j] <= 0 or len(terms) == EVIDENCE_TERMS:
                break
            term = names[contributions.indices[j]]
            words = [w.removeprefix("neg_") for w in term.split()]
            if all(w in _EVIDENCE_STOPWORDS or len(w) < 3 for w in words) or "|" in words:
                continue
            readable = _readable(term)
            if not any(readable in kept or kept in readable for kept in terms):
                terms.append(readable)
        return tuple(terms)


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text[:MAX_CHARS])


def _readable(term: str) -> str:
    return re.sub(r"\bneg_", "not ", term)


def _linear_models(pipeline: Pipeline) -> list:
    """The uncalibrated linear model(s) inside the pipeline's final step."""
    classifier = pipeline.named_steps["classifier"]
    return [c.estimator for c in getattr(classifier, "calibrated_classifiers_", [])] or [classifier]


def decision_margins(pipeline: Pipeline, features) -> np.ndarray:
    """Per row, the gap between the two best class scores of the uncalibrated linear model.

    The review flag uses this gap rather than the calibrated confidence: on out-of-fold predictions it
    ranks the model's errors better, because per-class calibration squeezes the top of the scale.
    """
    return top_two_gap(np.mean([model.decision_function(features) for model in _linear_models(pipeline)], axis=0))


def top_two_gap(scores: np.ndarray) -> np.ndarray:
    """Per row of class scores, how far the best class leads the second."""
    top = np.sort(scores, axis=1)
    return top[:, -1] - top[:, -2]


def _evidence_weights(pipeline: Pipeline):
    """Mean coefficients of the word features over the calibrated folds: what pushed each label."""
    union: FeatureUnion = pipeline.named_steps["features"]
    name, word = union.transformer_list[0]
    if name != "word":
        return None
    coefs = np.mean([model.coef_ for model in _linear_models(pipeline)], axis=0)
    width = len(word.get_feature_names_out())
    return word, np.asarray(coefs[:, :width])


def save(pipeline: Pipeline, meta: dict, directory: Path) -> Path:
    import skops.io as sio

    directory.mkdir(parents=True, exist_ok=True)
    for _, vectorizer in pipeline.named_steps["features"].transformer_list:
        if hasattr(vectorizer, "stop_words_"):
            del vectorizer.stop_words_  # the pruned-term set: large, and only kept for introspection
        if hasattr(vectorizer, "_stop_words_id"):
            del vectorizer._stop_words_id  # an id() cache that differs from run to run; rebuilt when needed
        # numpy ints would each become a separate array in the skops file; plain ints stay one JSON map
        vectorizer.vocabulary_ = {term: int(index) for term, index in vectorizer.vocabulary_.items()}
    path = directory / ARTIFACT_NAME
    sio.dump(pipeline, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    _make_reproducible(path)
    (directory / META_NAME).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


_ARRAY_FILE = re.compile(r'"(\d+)\.npy"')
_OBJECT_ID = re.compile(r'"__id__": (\d+)')


def _make_reproducible(path: Path) -> None:
    """Rewrite a skops file so the same model gives the same bytes.

    skops names array files and marks shared objects with their ``id()``, which changes from run to
    run, and stamps the time on every zip entry; here both kinds of id are renumbered in the order
    the schema mentions them (same id, same number: shared objects stay shared) and times are fixed.
    """
    with zipfile.ZipFile(path) as archive:
        schema = archive.read("schema.json").decode("utf-8")
        stored = set(archive.namelist())
        names: dict[str, str] = {}
        for match in _ARRAY_FILE.finditer(schema):
            if f"{match.group(1)}.npy" in stored:
                names.setdefault(f"{match.group(1)}.npy", f"{len(names):04d}.npy")
        schema = _ARRAY_FILE.sub(lambda m: f'"{names.get(m.group(1) + ".npy", m.group(1) + ".npy")}"', schema)
        ids: dict[str, str] = {}
        schema = _OBJECT_ID.sub(lambda m: f'"__id__": {ids.setdefault(m.group(1), str(len(ids) + 1))}', schema)
        if len(names) != len(stored) - 1:
            raise ValueError("skops file holds arrays its schema does not name")
        arrays = {names[name]: archive.read(name) for name in stored if name in names}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in [*sorted(arrays.items()), ("schema.json", schema.encode("utf-8"))]:
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


@cache
def load(path: str) -> ReplyClassifier:
    """Load once per process (a Lambda container keeps it warm between invocations)."""
    import skops.io as sio

    artifact = Path(path)
    meta_path = artifact.with_name(META_NAME)
    if not artifact.is_file() or not meta_path.is_file():
        raise ModelLoadError(f"no model at {artifact} (and {meta_path.name} beside it)")
    from skops.io.exceptions import UntrustedTypesFoundException

    try:  # skops checks every type against the list before it builds anything, in the same pass
        pipeline = sio.load(artifact, trusted=TRUSTED_TYPES)
    except UntrustedTypesFoundException as exc:
        raise ModelLoadError(f"model artifact contains untrusted types: {exc}") from exc
    try:
        meta = ModelMeta.from_json(json.loads(meta_path.read_text(encoding="utf-8")))
    except (KeyError, ValueError, TypeError) as exc:
        raise ModelLoadError(f"{meta_path.name} is incomplete or from an older replydesk ({exc}): retrain") from exc
    return ReplyClassifier(pipeline, meta)

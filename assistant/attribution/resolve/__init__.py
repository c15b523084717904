"""Speaker resolution: the mention of each quote resolved to a person or organisation of the article.

:mod:`.article` runs it over all quotes (pass 6 of the pipeline);
:mod:`.mention` finds a quote's mention; :mod:`.dispatch` tries the
resolvers per mention kind in one written order: :mod:`.pronoun`,
:mod:`.generic` (unnamed officials), :mod:`.name`, :mod:`.document`,
:mod:`.description`, :mod:`.organisation`, :mod:`.title`; :mod:`.salience`
finds antecedents.
"""

from __future__ import annotations

from .article import resolve_all

__all__ = ["resolve_all"]

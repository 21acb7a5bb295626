"""The approved documents of every module, for the installation's W3 statistics.

A module contributes its texts that passed review (a verified completion report, a signed-off document):

    from zhongshu.checking import corpus
    corpus.register("tracking", closed_item_texts)   # a callable returning an iterable of texts

`checking.rebuild_stats` (a daily job) collects them all with `collect()` and rebuilds the statistics when
they changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

TextSource = Callable[[], Iterable[str]]

_SOURCES: dict[str, TextSource] = {}


def register(name: str, source: TextSource) -> None:
    """Add (or replace) the approved texts of a module under `name`."""
    _SOURCES[name] = source


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def sources() -> dict[str, TextSource]:
    return dict(_SOURCES)


def collect() -> dict[str, list[str]]:
    """Every source's non-empty texts, stripped, by source name."""
    return {name: [t.strip() for t in source() if t and t.strip()] for name, source in sorted(_SOURCES.items())}

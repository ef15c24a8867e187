"""Evacuation movements from news text: sentences, figures, places, and the rules joining them.

See :func:`extract_movements`; the parts are :mod:`~evacmap.extract.sentences`,
:mod:`~evacmap.extract.numbers`, :mod:`~evacmap.extract.places`,
:mod:`~evacmap.extract.dates` and :mod:`~evacmap.extract.rules`.
"""

from __future__ import annotations

from evacmap.extract.core import Extractor, extract_movements
from evacmap.extract.numbers import NumberMention, find_numbers, parse_number_words
from evacmap.extract.result import Excluded, Extraction, PlaceMention, to_record
from evacmap.extract.sentences import split_sentences

__all__ = [
    "Excluded",
    "Extraction",
    "Extractor",
    "NumberMention",
    "PlaceMention",
    "extract_movements",
    "find_numbers",
    "parse_number_words",
    "split_sentences",
    "to_record",
]

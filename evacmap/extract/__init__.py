"""Evacuation movements from news text: sentences, figures, places, and the rules joining them."""

from __future__ import annotations

from evacmap.extract.numbers import NumberMention, find_numbers, parse_number_words
from evacmap.extract.sentences import split_sentences

__all__ = ["NumberMention", "find_numbers", "parse_number_words", "split_sentences"]

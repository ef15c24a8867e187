"""The fuzzy pre-filter never drops a key that reaches the cutoff (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from evacmap.gazetteer._fuzzykeys import FuzzyKeys, key_arrays

# Latin, Arabic and a few characters 64 code points apart (the same mask bit).
letters = st.sampled_from(list("abcdeiklmnoqrsuyz '-") + list("حمصدرعزقيو") + ["\x41", "\x81"])
keys_ = st.text(alphabet=letters, min_size=0, max_size=14)


@settings(max_examples=200, deadline=None)
@given(st.lists(keys_, min_size=1, max_size=40, unique=True), keys_,
       st.sampled_from([50.0, 70.0, 84.0]))
def test_every_key_reaching_the_cutoff_survives_the_filter(keys, query, cutoff):
    keys = sorted(keys)
    assume(keys != [""])  # a blob cannot tell one empty key from none, in either path
    blob = np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8)
    fk = FuzzyKeys(blob, key_arrays(blob, chunk=7))
    idx, subset = fk.near(query, cutoff)
    assert subset == [keys[i] for i in idx.tolist()]  # in the keys' own order
    assert {k for k in keys if fuzz.ratio(query, k) >= cutoff} <= set(subset)
    assert fk.decode(np.arange(len(keys))) == keys

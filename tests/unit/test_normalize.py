from __future__ import annotations

import pytest

from evacmap.gazetteer.normalize import name_key, skeleton_key, split_generic


@pytest.mark.parametrize(
    "variants",
    [
        ["El Waer", "Al Waer", "al-Wa'er", "al-Wa’er", "AL-WAER", "Waer", "al Waer"],
        ["Idlib", "idlib", "IDLIB"],
        ["Ḩimş", "Hims", "ḥimṣ"],
        ["Qal‘at al Maḑīq", "Qal`at al Madiq", "Qal'at al-Madiq", "Qalat el Madiq"],
        ["Ar Rastan", "Al-Rastan", "Er Rastan", "ar-Rastan"],
        ["Deir ez-Zor", "Deir-ez-Zor", "Deir al Zor", "Deir az Zor"],
        ["إدلب", "ادلب", "إِدْلِب"],
        ["الوعر", "وعر", "ٱلوعر"],
        ["حماة", "حماه"],
    ],
)
def test_spelling_variants_share_a_tier1_key(variants):
    assert len({name_key(v) for v in variants}) == 1


@pytest.mark.parametrize(
    "variants",
    [
        ["Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour", "Dair az-Zaur"],
        ["Darayya", "Daraya", "Dārayyā"],
        ["Hamah", "Hama", "Ḩamāh"],
        ["Kalaat el Moudiq", "Qalaat el Moudiq"],
        ["Jarabulus", "Djarabulus"],
    ],
)
def test_transliteration_variants_share_a_skeleton(variants):
    assert len({skeleton_key(v) for v in variants}) == 1


def test_different_places_keep_different_keys():
    assert name_key("Homs") != name_key("Hama")
    assert skeleton_key("Homs") != skeleton_key("Hama")
    assert name_key("Rural Damascus") != name_key("Damascus")
    assert skeleton_key("Idlib") != skeleton_key("Jarablus")


def test_article_alone_is_kept_and_empty_names_give_empty_keys():
    assert name_key("Al") == "al"
    assert name_key("-- '") == ""
    assert skeleton_key("") == ""


def test_split_generic_gives_kind_hints():
    assert split_generic(name_key("Idlib Province")) == ("idlib", ("governorate",))
    assert split_generic(name_key("Homs city")) == ("homs", ("city", "town"))
    assert split_generic(name_key("Bab al-Hawa border crossing")) == ("bab al hawa", ("crossing",))
    assert split_generic(name_key("Governorate of Idlib"))[0] == "idlib"
    assert split_generic(name_key("Rural Damascus"))[0] == "rural damascus"
    assert split_generic(name_key("Camp")) == ("camp", ())

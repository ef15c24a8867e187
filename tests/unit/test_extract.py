"""extract_movements: the reference article, and one test per phrasing family of issue 9."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from evacmap.extract import Extractor, extract_movements, find_numbers, split_sentences
from evacmap.flows import FlowGraph
from evacmap.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "extract"
REFERENCE = DATA / "reference" / "homs-al-waer-2017.txt"


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(Gazetteer.world(), country="SY")


@pytest.fixture(scope="module")
def anywhere() -> Extractor:
    """No story country: for sentences from stories about different countries."""
    return Extractor(Gazetteer.world())


def one(ex: Extractor, text: str, date: str | None = None):
    r = ex.extract(text, date=date, source="t.txt")
    assert len(r.movements) == 1, [m.route for m in r.movements]
    return r.movements[0]


# -- the reference article (issue 9, Done when) ---------------------------------------
@pytest.fixture(scope="module")
def reference(ex):
    return ex.extract(REFERENCE.read_text(encoding="utf-8"), date="2017-05-20", source="homs.txt")


def test_reference_final_convoy(reference):
    m = reference.movements[0]
    assert m.origin.id == "evacmap:al-waer"
    assert [d.id for d in m.destinations] == ["pcode:SY07", "geonames:169179"]
    assert (m.count, m.count_kind.value, m.groups, m.stage) == (450, "reported", (("fighters", 193),), "final")
    assert not m.split_reported
    assert m.date_start == dt.date(2017, 5, 20)


def test_reference_planned_total(reference):
    m = reference.movements[1]
    assert m.origin.id == "evacmap:al-waer"
    assert (m.count, m.count_max, m.count_kind.value) == (None, 20000, "planned")
    assert {d.name for d in m.destinations} == {"Idleb governorate", "Jarablus"}


def test_reference_rebels_low_confidence_no_destination(reference):
    m = reference.movements[2]
    assert m.origin.id == "evacmap:al-waer" and m.destinations == ()
    assert m.groups == (("fighters", 3700),)
    assert m.confidence is not None and m.confidence <= 0.4
    assert len(reference.movements) == 3


def test_reference_left_out_with_reasons(reference):
    reasons = {x.text: x.reason for x in reference.excluded}
    assert "stay" in reasons["some 1,150"]
    assert "background" in reasons["more than 11 million"]
    assert all(m.count != 1150 and m.count_min != 11_000_000 for m in reference.movements)


def test_reference_evidence_spans(reference):
    text = REFERENCE.read_text(encoding="utf-8")
    m = reference.movements[0]
    ev = m.evidence[0]
    assert text[ev.start : ev.end] == ev.text
    assert ev.text.startswith("A group of 450 people")
    parts = {k: text[a:b] for k, a, b in ev.parts}
    assert parts["count"] == "450" and parts["origin"] == "El Waer district"
    assert parts["group"] == "193 militants" and parts["stage"] == "the final stage"
    carried = m.evidence[1]
    assert [text[a:b] for k, a, b in carried.parts if k == "destination"] == ["Idlib province", "Jarablus"]
    assert carried.location.source == "homs.txt"


# -- numbers --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "low", "high", "approx"),
    [
        ("3,700 rebels", 3700, None, None, False),
        ("3.700 rebels", 3700, None, None, False),
        ("two thousand people", 2000, None, None, False),
        ("hundreds of civilians", None, 200, None, True),
        ("dozens of wounded", None, 24, None, True),
        ("some 450 people", 450, None, None, True),
        ("nearly 4,000 people", 4000, None, None, True),
        ("between 10,000 and 15,000 people", None, 10000, 15000, False),
        ("as many as 20,000 people", None, None, 20000, False),
        ("more than 25,000 people", None, 25000, None, False),
        ("up to 2,500 fighters", None, None, 2500, False),
        ("at least 700 people", None, 700, None, False),
        ("eight to ten thousand residents", None, 8000, 10000, False),  # the scale written once
        ("5 to 7 thousand people", None, 5000, 7000, False),
        ("300 to 400 people", None, 300, 400, False),
    ],
)
def test_numbers(text, value, low, high, approx):
    (n,) = find_numbers(text)
    assert (n.value, n.low, n.high, n.approx) == (value, low, high, approx)
    assert text[n.start : n.end] == n.text


def test_years_are_not_figures():
    assert [n.value for n in find_numbers("In 2016, 300 families left")] == [300]


# -- sentences ------------------------------------------------------------------------
def test_sentence_spans_cover_the_text_and_know_abbreviations():
    text = "Mr. Barazi said 1,150 stayed. The U.N. said 450 left.\n\nHeadline here"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["Mr. Barazi said 1,150 stayed.", "The U.N. said 450 left.", "Headline here"]


# -- who --------------------------------------------------------------------------------
def test_families_keep_their_unit(ex):
    m = one(ex, "Around 300 families were evacuated from Daraya to Kisweh.")
    assert (m.count, m.unit, m.count_kind.value) == (300, "families", "estimated")


def test_breakdown_is_part_of_the_total(ex):
    m = one(ex, "Some 900 people, among them 120 wounded and 200 children, left Jobar for Idlib.")
    assert m.count == 900 and dict(m.groups) == {"wounded": 120, "children": 200}


def test_fighters_head_is_a_group(ex):
    m = one(ex, "About 400 fighters and their families left Wadi Barada for Idlib.")
    assert m.groups == (("fighters and families", 400),)


# -- origins, destinations, waypoints ---------------------------------------------------
def test_several_destinations_keep_the_total_once(ex):
    m = one(ex, "The 1,000 evacuees were headed for Jarablus or al-Bab.")
    assert m.origin is None and {d.name for d in m.destinations} == {"Jarablus", "al-Bab"}
    assert not m.split_reported


def test_destination_countryside(ex):
    m = one(ex, "A convoy carrying 3.700 rebels moved out of Qalaat al-Madiq to the northern countryside of Aleppo.")
    assert m.origin.name == "Qalaat al-Madiq" and m.destinations[0].id == "pcode:SY02"


def test_waypoints(ex):
    m = one(ex, "Nearly 4,000 people left Deir ez-Zor and arrived in Tabqa via Raqqa.")
    assert [w.name for w in m.waypoints] == ["Ar Raqqah"] and m.destinations[0].name != "Ar Raqqah"


def test_split_reported_pairs_counts_with_destinations(ex):
    r = ex.extract("Of those who left Yarmouk camp, 1,000 went to Idlib and 500 to Jarablus.")
    assert [(m.count, m.destinations[0].name) for m in r.movements] == [(1000, "Idlib"), (500, "Jarablus")]


def test_unknown_ends_stay_unknown(ex):
    left = one(ex, "5,000 people left Harasta.")
    assert left.origin.name == "Ḩarastā" and left.destinations == ()
    arrived = one(ex, "2,000 arrived in Idlib.")
    assert arrived.origin is None and arrived.destinations[0].name == "Idlib"


def test_unresolved_place_is_reported_never_guessed(ex):
    r = ex.extract("Some 1,300 fighters left Ain Tarma for Idlib on Monday.")
    (m,) = r.movements
    assert m.origin is None
    (tarma,) = [p for p in r.places if p.text == "Ain Tarma"]
    assert tarma.place is None and tarma.role == "origin" and "Ain Tarma" in tarma.reason


def test_transliterations(ex):
    m = one(ex, "The sixth convoy left Al-Wa'er with 2,010 individuals for Jarabulus.")
    assert (m.origin.id, m.destinations[0].id) == ("evacmap:al-waer", "geonames:169179")


# -- stages, dates, kinds -------------------------------------------------------------
def test_stage_and_weekday(ex):
    m = one(ex, "The fifth batch of evacuees, 1,250 people, left Douma on Monday.", date="2018-04-11")
    assert (m.stage, m.date_start) == ("5", dt.date(2018, 4, 9))


def test_no_date_without_an_anchor(ex):
    assert one(ex, "1,250 people left Douma on Monday.").date_start is None


def test_planned(ex):
    m = one(ex, "Between 10,000 and 15,000 people are expected to leave eastern Ghouta for Idlib.")
    assert (m.count_min, m.count_max, m.count_kind.value) == (10000, 15000, "planned")


def test_bringing_the_total(ex):
    r = ex.extract("1,250 people left Douma, bringing the total number evacuated from the town to 8,600.")
    assert [(m.count, m.count_kind.value) for m in r.movements] == [(1250, "reported"), (8600, "cumulative")]


def test_so_far_is_cumulative(ex):
    assert one(ex, "So far, 4,500 people have been evacuated from Madaya.").count_kind.value == "cumulative"


# -- what is not a movement -------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("About 600 others chose to stay in Madaya under an amnesty.", "stay"),
        ("Around 1,500 militants surrendered in Beit Jinn.", "surrender"),
        ("The offensive has killed at least 300 civilians in Douma.", "casualties"),
        ("The civil war has displaced more than 11 million people.", "background"),
        ("In 2016, some 35,000 people left Aleppo.", "historical"),
        ("The crossings receive an average of 500 persons per day from Lebanon.", "rate"),
        ("IOM has provided shelter to 1,400 families displaced from Hudaydah.", "aid"),
        ("An UNRWA school in Gaza city sheltering thousands of displaced people was hit.", "sheltered"),
        ("Umm Mohammed, who fled Khan Sheikhoun, now lives with 11 relatives in a tent.", "household"),
        ("More than 240 were taken hostage into Gaza.", "captives"),
    ],
)
def test_not_movements(ex, text, reason):
    # figures of people who did not move are left out, with the reason
    r = ex.extract(text, date="2018-01-01", source="t.txt")
    assert r.movements == ()
    assert reason in r.excluded[0].reason, [x.reason for x in r.excluded]


# -- several articles -------------------------------------------------------------------
def test_same_convoy_in_two_articles_counts_once(ex):
    text = "Some 450 people left al-Waer for Jarablus on Saturday."
    a = ex.extract(text, date="2017-05-20", source="a.txt").movements
    b = ex.extract(text, date="2017-05-21", source="b.txt").movements
    g = FlowGraph.from_movements([*a, *b]).merge_duplicates()
    assert len(g) == 1 and set(g.movements[0].sources) == {"a.txt", "b.txt"}


def test_empty_and_default_gazetteer():
    assert extract_movements("", gazetteer=Gazetteer.curated()).movements == ()


# -- the evaluation floor -----------------------------------------------------------------
def _bench():
    spec = importlib.util.spec_from_file_location("extract_accuracy", ROOT / "bench" / "extract_accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_accuracy"] = module
    spec.loader.exec_module(module)
    return module


def test_accuracy_floor(ex):
    scores = _bench().evaluate(extractor=ex)
    passages = len(list((DATA / "dev").glob("*.txt"))) + len(list((DATA / "heldout").glob("*.txt")))
    assert passages >= 25
    # Floors a little below today's figures (dev 1.000, held-back 0.966, all 0.992), so a
    # regression fails but one new hard passage does not.
    assert scores["dev"].f1 >= 0.93
    # h16-h23 (extract2) were added unseen and scored 0.48 alone before any rule change.
    assert scores["heldout"].f1 >= 0.85
    assert scores["reference"].f1 == 1.0
    assert scores["all"].counts_exact >= 0.9 * scores["all"].routes


def test_accuracy_floor_on_whole_reports():
    # Whole reports, each with its own country: far harder than the passages. "long" (59)
    # scored 0.20 on first sight and 0.33 after tuning, "long-heldout" (21) 0.12 then 0.23,
    # "long-unseen" (16, never tuned on) 0.37. The floors catch a regression.
    # "long-h" (14) 0.36 on first sight, then tuned on; "long-final" (14, never tuned on) 0.32;
    # "long-j" (12) 0.375, then tuned on; "long-k" (12, never tuned on) 0.38. "long-l" (12)
    # 0.295 on first sight, then tuned on; "long-m" (12, never tuned on) 0.356. When the
    # gazetteer gained the world camps layer, ends the writers had left empty were filled
    # (tests/data/extract/README.md): "long-unseen" then asked for Hammam al-Alil twice (0.32),
    # which "arrived there" / "at the site" gave back (0.37).
    # "long-n" (12) 0.278 on first sight, then tuned on; "long-o" (12, never tuned on) 0.21,
    # 0.18 once the third round of camps made more of its routes scorable; "long-p" and "long-q"
    # (12 each, never tuned on) 0.28 and 0.20.
    scores = _bench().evaluate(["long", "long-heldout", "long-unseen", "long-h", "long-final", "long-j", "long-k",
                                "long-l", "long-m", "long-n", "long-o", "long-p", "long-q"])
    assert len(list((DATA / "long").glob("*.txt"))) >= 50
    assert scores["long"].f1 >= 0.38
    assert scores["long-heldout"].f1 >= 0.22
    assert scores["long-unseen"].f1 >= 0.34
    assert scores["long-h"].f1 >= 0.44
    assert scores["long-final"].f1 >= 0.27
    assert scores["long-j"].f1 >= 0.33
    assert scores["long-k"].f1 >= 0.35
    assert scores["long-l"].f1 >= 0.29  # its writer gave 18,359 who "abandoned their homes in" four
    # towns the towns where shelters filled as destinations; the extractor reads them as origins
    assert scores["long-m"].f1 >= 0.32
    assert scores["long-n"].f1 >= 0.34
    assert scores["long-o"].f1 >= 0.16
    assert scores["long-p"].f1 >= 0.26
    assert scores["long-q"].f1 >= 0.17
    assert scores["long"].excluded_found >= 0.6 * scores["long"].excluded_expected


# -- robustness -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "1.5 billion people left Homs for Idlib.",
        "999999999999999 people left Homs.",
        "Up to 20,000 people, including 30,000 fighters, left Homs for Idlib.",
        "10 people left Homs for Homs.",
        "On 31 February 2017, 300 people left Homs.",
        "300 people left Homs and Homs for Idlib and Idlib and Idleb.",
        "left from to via through . . .",
    ],
)
def test_odd_text_never_raises_and_spans_hold(ex, text):
    r = ex.extract(text, date="2017-05-20")
    for m in r.movements:
        for e in m.evidence:
            assert text[e.start : e.end] == e.text
            assert all(0 <= a <= b <= len(text) for _, a, b in e.parts)


def test_shuffled_sentences_keep_spans(ex):
    import random

    rng = random.Random(7)
    sentences = [s for p in sorted(DATA.glob("*/*.txt")) for s in p.read_text(encoding="utf-8").split(". ")]
    for _ in range(40):
        text = ". ".join(rng.sample(sentences, 6))
        for m in ex.extract(text, date="2018-01-01").movements:
            ev = m.evidence[0]
            assert text[ev.start : ev.end] == ev.text
            count = [text[a:b] for k, a, b in ev.parts if k == "count"]
            assert count and any(ch.isdigit() or ch.isalpha() for ch in count[0])


def test_countryside_is_the_governorate_and_media_are_not_places(ex):
    m = one(ex, "Around 3,000 people left Harasta towards the northern Hama countryside.")
    assert m.destinations[0].kind.value == "governorate"
    r = ex.extract("More than 1,000 people were evacuated from Douma to Jarablus, Anadolu Agency reported.")
    assert [p.text for p in r.places if "Anadolu" in p.text] == []
    assert [(m.route, m.count_min) for m in r.movements] == [("Dūmā → Jarablus", 1000)]


@pytest.mark.parametrize(
    "text",
    [
        "At least 50 people were killed in air strikes on Douma on Monday.",
        "Turkey hosts some 3.6 million Syrian refugees, more than any other country.",
        "About 200 trucks carrying aid entered Douma via the Wafideen crossing.",
        "The group, which has about 10,000 fighters, controls much of Idlib.",
        "Some 500 displaced families are living in tents near Azaz.",
        "Hundreds of people protested in Idlib on Friday against the deal.",
        "Mobile teams carried out 1,650 consultations for IDPs who fled Harasta.",
        "Volunteers handed out 3,000 hot meals to evacuees arriving from Douma.",
        "The evacuees, of 32 nationalities, arrived in Jeddah from Port Sudan.",
        "Members of 16 Air Assault Brigade had been stationed at Kabul airport.",
        "There are currently 38 evacuation centers in Douma housing displaced families.",
        "Fewer than one in five displaced families in Douma has received shelter.",
        "On Monday, 106 trucks carrying aid entered Douma, bringing the total since March to 756.",
        "The number uprooted is close to a quarter of Douma's 140,000 residents.",
        "The ministry sent 300 tents and food baskets for 5,000 families to the camps near Idlib.",
        "WFP dispatched food parcels for an estimated 15,000 people to Idlib and Azaz.",
        "A U.N. official put the number of buses leaving Aleppo at 50, with two ambulances.",
        "A mortar round hit the road used by people fleeing Douma, killing about eight people.",
    ],
)
def test_figures_that_are_not_movements(ex, text):
    assert ex.extract(text, date="2018-04-09").movements == ()


# -- generality round (extract2): failure kinds seen on unseen passages -------------------
def test_recent_span_is_not_history(ex):
    m = one(ex, "More than 2,000 people had fled Harasta over the previous 24 hours, aid workers said.")
    assert (m.count_min, m.count_kind.value) == (2000, "reported")


def test_range_is_estimated(ex):
    m = one(ex, "Between 1,500 and 2,000 people left Douma for Jarablus on Monday.")
    assert (m.count_min, m.count_max, m.count_kind.value) == (1500, 2000, "estimated")


def test_fighters_and_members_of_their_families_are_not_all_fighters(ex):
    m = one(ex, "Twenty buses carrying 800 gunmen and members of their families left Douma for Jarablus.")
    assert m.count == 800
    assert dict(m.groups).get("fighters") is None


def test_thousands_more_expected_is_a_planned_bound(ex):
    r = ex.extract("Some 300 people left Harasta on Friday. Thousands more are expected to leave Harasta.")
    planned = [m for m in r.movements if m.count_kind.value == "planned"]
    assert [(m.origin.id, m.count, m.count_min) for m in planned] == [("geonames:169897", None, 2000)]


def test_who_fled_the_group_in_x_is_the_origin(ex):
    m = one(ex, "Some 600 civilians who fled the abuses of the armed group in Manbij have arrived in Azaz.")
    assert m.route.startswith("Manbij") and m.destinations[0].id == "geonames:172082"


def test_displaced_takes_the_story_origin(ex):
    r = ex.extract("Some 2,000 people fled Eastern Ghouta on Monday. Since 3 March, some 40,000 people have been "
                   "displaced, the UN said.", date="2018-03-20")
    assert [(m.origin.id, m.count, m.count_kind.value) for m in r.movements][1:] == [
        ("evacmap:eastern-ghouta", 40000, "cumulative")]


def test_figureless_route_goes_to_the_next_sentence(ex):
    text = ("The fourth batch of fighters and their families left Douma on Friday heading to Jarablus. "
            "Thirty buses carrying 1,100 people exited the town via the Wafideen crossing.")
    m = one(ex, text)
    assert (m.route, m.count, m.stage) == ("Dūmā → Jarablus", 1100, "4")
    assert len(m.evidence) == 2 and m.confidence < 0.9


def test_back_reference_names_the_convoy_origin(ex):
    text = ("The first convoy of people displaced from the Homs countryside set off on Monday carrying about 900 "
            "people. The convoy, which left from the town of Talbiseh, is heading to Jarablus.")
    m = one(ex, text, date="2018-05-07")
    assert m.origin.id == "geonames:163779" and [d.id for d in m.destinations] == ["geonames:169179"]


def test_places_in_a_country_refine_a_country_destination():
    ex_lb = Extractor(Gazetteer.world(), country="LB")
    text = ("Some 250 refugees left Arsal on Monday to return to Syria. "
            "The refugees were to be taken to Qarah, an official said.")
    r = ex_lb.extract(text)
    assert [[d.id for d in m.destinations] for m in r.movements] == [["geonames:166111"]]


def test_hundreds_of_named_fighters_is_a_bound(ex):
    m = one(ex, "Hundreds of Jaish al-Islam fighters left Douma for Jarablus on Monday.")
    assert (m.count, m.count_min, m.count_kind.value, dict(m.groups)) == (None, 200, "estimated", {"fighters": 200})


def test_were_to_be_taken_is_planned(ex):
    assert one(ex, "The 1,200 evacuees were to be taken to Idlib.").count_kind.value == "planned"


def test_from_the_city_refers_to_the_place_named_before(ex):
    m = one(ex, "Heavy shelling hit the town of Douma. About 4,000 people were evacuated from the town on Monday.")
    assert m.origin.id == "geonames:170592" and m.confidence < 0.9 and len(m.evidence) == 2


def test_a_total_over_days_is_cumulative(ex):
    m = one(ex, "A total of 9,000 people left Douma for Jarablus over two days.")
    assert m.count_kind.value == "cumulative"
    assert one(ex, "A total of 9,000 people left Douma for Jarablus on Monday.").count_kind.value != "cumulative"


def test_other_origins_are_noted_not_summed(ex):
    text = "Some 2,000 people left Madaya and Zabadani for Idlib on Friday."
    m = one(ex, text)
    assert m.count == 2000 and m.origin.id != "geonames:169389"
    (a, b), = [(x, y) for k, x, y in m.evidence[0].parts if k == "other origin"]
    assert text[a:b] == "Zabadani"


def test_possessive_without_s_gives_the_role_to_the_place_after(ex):
    m = one(ex, "Some 900 rebels were evacuated from Damascus' Qaboun neighborhood toward Idlib.")
    assert m.origin.id == "evacmap:qaboun"


def test_arrived_in_the_city_refers_to_the_destination_named_before(ex):
    text = ("Hundreds of families returned to Jarablus on Wednesday. "
            "Officials said 600 families had arrived in the city from Manbij since last week.")
    r = ex.extract(text, date="2019-10-23")
    m = r.movements[-1]
    assert (m.count, m.unit, m.count_kind.value) == (600, "families", "cumulative")
    assert [d.id for d in m.destinations] == ["geonames:169179"]


def test_left_the_hills_outside_x_is_the_origin_and_camps_near_x_the_destination(ex):
    m = one(ex, "Some 300 fighters left the barren hills outside Qaboun for Idlib.")
    assert m.origin.id == "evacmap:qaboun"
    m = one(ex, "Some 300 people left Douma and were moved to camps near Jarablus.")
    assert [d.name for d in m.destinations] == ["Jarablus"]  # readers of the reports map it there
    m = one(ex, "Some 300 people left Douma and were moved to a point near the road.")
    assert m.destinations == ()


def test_the_number_expected_to_reach_is_planned(ex):
    text = "Some 500 people left Douma on Monday. Officials expected the number of those evacuated from the town to reach 4,000."
    kinds = [(m.count, m.count_kind.value) for m in ex.extract(text).movements]
    assert kinds == [(500, "estimated"), (4000, "planned")]


def test_a_military_target_is_no_destination_and_the_district_refers_to_it():
    ex_iq = Extractor(Gazetteer.world(), country="IQ")
    r = ex_iq.extract("Since operations to recapture Hawija began, some 9,000 people have fled the district.")
    assert [(m.origin.id, m.destinations, m.count_kind.value) for m in r.movements] == [
        ("geonames:390188", (), "cumulative")]


def test_camps_south_of_x_are_not_x(ex):
    r = ex.extract("Some 800 people left Douma on Monday. They were taken to camps north of Jarablus.")
    assert [m.destinations for m in r.movements] == [()]


def test_the_number_has_risen_to_is_a_running_total(ex):
    m = one(ex, "The number of civilians who have left Douma since the corridor opened has risen to 12,000.")
    assert (m.count, m.count_kind.value) == (12000, "cumulative")


def test_the_number_rose_to_is_a_running_total_without_a_perfect_tense(ex):
    m = one(ex, "The number of people who reached Idlib over the past week rose to 12,000, the UN said.")
    assert (m.count, m.count_kind.value, m.origin) == (12000, "cumulative", None)
    assert [d.name for d in m.destinations] == ["Idlib"]


def test_had_left_over_the_past_month_is_a_running_total(ex):
    m = one(ex, "It said more than 100,000 civilians had left Douma over the past month.")
    assert (m.count_min, m.count_kind.value) == (100000, "cumulative")


def test_a_convoy_in_an_evacuation_story_borrows_its_origin(ex):
    r = ex.extract("Thousands of people were evacuated from Madaya on Thursday. The first convoy, of 20 buses "
                   "carrying 951 people, including 108 wounded, crossed government lines at dusk.")
    m = next(m for m in r.movements if m.count == 951)
    assert m.origin is not None and m.origin.name == "Maḑāyā" and dict(m.groups) == {"wounded": 108}
    assert m.stage == "1" and m.confidence < 0.9


def test_rebel_fighters_and_their_families_are_not_all_fighters(ex):
    m = one(ex, "Some 5,000 rebel fighters and their families left Douma.")
    assert dict(m.groups) == {"fighters and families": 5000}


def test_taken_to_in_a_story_borrows_its_origin(ex):
    text = ("Buses carrying fighters out of the besieged town of Madaya left on Friday. "
            "About 500 fighters went to Idlib, while some 900 civilians will be taken to Kisweh.")
    r = ex.extract(text)
    assert {m.count: m.origin.id for m in r.movements} == {500: "geonames:167558", 900: "geonames:167558"}


def test_towns_of_an_area_are_the_ends_and_a_camp_in_a_province_is_one_end():
    ex_lb = Extractor(Gazetteer.world(), country="LB")
    r = ex_lb.extract("Some 900 Syrians fled fighting in Homs. Most went to the Bekaa valley towns of Zahle and Baalbek.")
    # where most went is not where all 900 went: the towns stay mentions, not the figure's ends
    assert [[d.name for d in m.destinations] for m in r.movements] == [[]]
    assert {p.text for p in r.places if p.role == "destination"} == {"Zahle", "Baalbek"}
    r = ex_lb.extract("Some 900 Syrians fled Homs to Lebanon. Most went to the Bekaa valley towns of Zahle and Baalbek.")
    assert [[d.name for d in m.destinations] for m in r.movements] == [["Zahlé", "Baalbek"]]  # where in Lebanon


def test_a_camp_in_a_province_is_one_destination_and_is_is_not_iceland(ex):
    m = one(ex, "More than 2,000 people left the last IS pocket in Baghouz for al-Hol camp in Hasakah province.")
    assert [d.id for d in m.destinations] == ["evacmap:al-hol-camp"]
    assert m.origin.country == "SY"


def test_for_after_a_place_is_a_cue_not_an_organisation_name(ex):
    m = one(ex, "Around 700 civilians left Tabqa for Ain Issa on Friday.")
    assert [d.id for d in m.destinations] == ["geonames:172134"]


def test_had_gone_is_a_movement_sharing_the_clause_origin(ex):
    r = ex.extract("About 400 civilians left Tabqa for Ain Issa on Friday, adding that another 300 had gone to Raqqa.")
    assert [(m.origin.id, m.destinations[0].id, m.count) for m in r.movements] == [
        ("geonames:172374", "geonames:172134", 400), ("geonames:172374", "geonames:172955", 300)]


def test_a_long_description_before_the_place_keeps_the_cue(ex):
    m = one(ex, "Hundreds of people from the besieged government-held towns of Nubl and Zahraa arrived in Aleppo.")
    assert m.origin.id == "geonames:166331"


def test_a_place_that_received_people_is_their_destination():
    ex_lb = Extractor(Gazetteer.world(), country="LB")
    r = ex_lb.extract("Officials in Nabatieh said they had received more than 200 displaced families since Sunday.")
    assert [([d.name for d in m.destinations], m.count_min, m.unit, m.count_kind.value) for m in r.movements] == [
        (["Nabatîyé et Tahta"], 200, "families", "cumulative")]


def test_places_before_a_left_out_figure_still_say_where_people_went():
    ex_lb = Extractor(Gazetteer.world(), country="LB")
    text = ("Some 600 Syrian refugees left Arsal on Saturday. They were to return to their villages of Flita "
            "and Qarah, adding that a similar convoy in June had taken 400 people.")
    r = ex_lb.extract(text, date="2018-09-29")
    assert [([d.id for d in m.destinations], m.count) for m in r.movements] == [
        (["evacmap:flitah", "geonames:166111"], 600)]


# -- long reports: restatements, list lines, headings, bracketed figures ----------------
def test_a_figure_restated_later_in_the_article_is_one_movement(ex):
    text = ("Hundreds leave Homs district\n\nSome 450 people left al-Waer for Idlib on Saturday, the governor "
            "said.\n\nTalal Barazi said the 450 people, including 193 fighters, left al-Waer on buses. "
            "Another 450 are due to leave on Monday.")
    r = ex.extract(text, date="2017-05-20", source="t.txt")
    moved = [m for m in r.movements if m.count_kind.value != "planned"]
    assert [(m.count, dict(m.groups), [d.name for d in m.destinations]) for m in moved] == [
        (450, {"fighters": 193}, ["Idlib"])]
    assert len(moved[0].evidence) == 2  # both sentences, so a reader can check
    assert [m.count for m in r.movements if m.count_kind.value == "planned"] == [450]  # "another": new


def test_a_vague_figure_takes_the_figure_stated_later(ex):
    text = ("Thousands of people left Madaya on Thursday. About 3,000 people had left Madaya by the "
            "afternoon, the ICRC said.")
    r = ex.extract(text, source="t.txt")
    assert [(m.count, m.count_min) for m in r.movements] == [(3000, None)]


def test_same_figure_for_two_origins_is_two_movements(ex):
    r = ex.extract("1,000 people left Madaya on Friday. Later, 1,000 people left Zabadani.", source="t.txt")
    assert len(r.movements) == 2


def test_list_lines_under_a_heading_are_destinations():
    text = ("Flash update\n\nSince 16 December, 235,000 people have been displaced from Maarat al-Numan.\n\n"
            "IDP arrivals by community (people):\n- Dana: 38,000\n- Sarmada: 12,500\n\n"
            "Funding requirements by sector:\n- Shelter: 38,000")
    r = extract_movements(text, gazetteer=Gazetteer.world(), country="SY", source="t.txt")
    listed = {m.destinations[0].name: (m.count, m.origin.name if m.origin else None)
              for m in r.movements if m.count in (38000, 12500)}
    assert listed == {"Ad Dānā": (38000, "Ma‘arrat an Nu‘mān"), "Sarmada": (12500, "Ma‘arrat an Nu‘mān")}


def test_bullets_and_short_lines_are_sentences_of_their_own():
    text = "KEY FIGURES\n18,787 people have left Rukban\n381 people remaining\n\nHIGHLIGHTS\n• One.\n• Two\nThen prose."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "KEY FIGURES", "18,787 people have left Rukban", "381 people remaining", "HIGHLIGHTS", "• One.",
        "• Two", "Then prose."]
    wrapped = "A long hard-wrapped line of prose that goes on and on until the\nmargin, then goes on. Next."
    assert [wrapped[a:b] for a, b in split_sentences(wrapped)] == [
        "A long hard-wrapped line of prose that goes on and on until the\nmargin, then goes on.", "Next."]


def test_figures_in_brackets_after_places_are_one_movement_each(ex):
    r = ex.extract("Smaller numbers have gone to Lattakia (445), Rural Damascus (320) and Hama (310).",
                   source="t.txt")
    assert [(m.count, [d.name for d in m.destinations]) for m in r.movements] == [
        (445, ["Latakia"]), (320, ["Rural Damascus governorate"]), (310, ["Hama"])]


def test_a_place_receiving_people_is_their_destination_and_x_residents_their_origin(ex):
    m = one(ex, "Azaz has received 3,000 Madaya residents.")
    assert (m.origin.name, [d.name for d in m.destinations], m.count) == ("Maḑāyā", ["Azaz"], 3000)


def test_where_a_correspondent_is_is_not_where_people_moved(ex):
    r = ex.extract("The first batch left Harasta on Thursday night. According to the agency's correspondent "
                   "in Hama, 3,124 people arrived aboard 57 buses.", source="t.txt")
    (m,) = r.movements
    assert m.origin.name == "Ḩarastā" and m.count == 3124 and m.stage == "1"


def test_a_figureless_route_gives_its_origin_stage_and_day_to_the_next_sentence(ex):
    r = ex.extract("The first batch left Harasta on Thursday night. It comprised 1,580 people, among them 413 "
                   "fighters, and arrived at Qalaat al-Madiq on Friday morning.", date="2018-03-24", source="t.txt")
    (m,) = r.movements
    assert (m.origin.name, m.count, dict(m.groups), m.stage) == ("Ḩarastā", 1580, {"fighters": 413}, "1")


def test_rural_governorates_answer_to_rif():
    gaz = Gazetteer.world()
    assert gaz.geocode("Rif Dimashq", country="SY").place.pcode == "SY03"


@pytest.mark.parametrize(("text", "value"), [
    ("a quarter of a million people", 250_000), ("half a million people", 500_000),
    ("some three-quarters of a million people", 750_000), ("two-thirds of a million", 666_667),
])
def test_fractions_of_a_scale(text, value):
    (n,) = find_numbers(text)
    assert value in (n.value, n.low)


def test_a_large_household_figure_is_still_a_movement():
    m = one(Extractor(Gazetteer.world(), country="MZ"),
            "The ferry arrived in Pemba from Palma with around 1,400 people on board.")
    assert m.count == 1400


def test_the_storys_own_country_is_an_end_only_when_no_other_place_is():
    lb = Extractor(Gazetteer.world(), country="LB")
    m = one(lb, "More than 400,000 people have crossed from Lebanon into Syria since 23 September.")
    assert (m.origin.name, [d.name for d in m.destinations]) == ("Lebanon", ["Syria"])
    m = one(lb, "Some 5,000 people fled Nabatieh in southern Lebanon for Beirut.")
    assert m.origin.name != "Lebanon"


def test_a_running_total_restated_with_another_date_is_one_movement(ex):
    text = ("More than 400,000 have crossed into Lebanon since Sept. 23, officials say\n\n"
            "More than 400,000 people have crossed into Lebanon in the two weeks since the escalation, "
            "officials said on Monday.")
    r = ex.extract(text, date="2024-10-07", source="t.txt")
    assert [m.count_min for m in r.movements] == [400000]


def test_where_people_were_says_where_they_left_when_the_places_they_left_are_unknown():
    mz = Extractor(Gazetteer.world(), country="MZ")
    r = mz.extract("In Montepuez, about 4,000 people fled the villages of Mararange and Nacololo.")
    assert [(m.route, m.count) for m in r.movements] == [("Montepuez → ?", 4000)]
    assert {p.text for p in r.places if p.place is None} == {"Mararange", "Nacololo"}  # still reported
    r = mz.extract("Attacks in Cabo Delgado province displaced 91,239 people in the district of Chiure "
                   "and 5,719 in Macomia, the IOM said.")
    assert [(m.route, m.count) for m in r.movements] == [("Chiúre → ?", 91239), ("Macomia → ?", 5719)]


def test_where_an_organisation_is_based_is_not_an_end(ex):
    r = ex.extract("The Syrian Human Rights Committee, an opposition group based in London, said 1,450 people "
                   "had left Khan al-Shih for Idlib.")
    assert [m.origin.name for m in r.movements] == ["Khan al-Shih"]
    r = ex.extract("An opposition group based in London said 1,450 people fled the villages of Mararange.")
    assert all(m.origin is None or m.origin.country == "SY" for m in r.movements)


def test_the_neighbourhood_refers_to_the_neighbourhood_not_the_city(ex):
    text = ("Last SDF fighters leave Aleppo\n\nFighting resumed around Sheikh Maqsoud on Friday. "
            "Roughly 850 civilians have left the neighbourhood through the corridor since Friday.")
    r = ex.extract(text, source="t.txt")
    assert [(m.origin.name, m.count) for m in r.movements] == [("Sheikh Maqsoud", 850)]


def test_other_parts_of_a_place_take_the_cue_before_them():
    iq = Extractor(Gazetteer.world(), country="IQ")
    r = iq.extract("At least 7,011 families have been displaced from Ramadi to other locations within Anbar Governorate.")
    assert [(m.route, m.count_min) for m in r.movements] == [("Ramadi → Al Anbar", 7011)]
    r = iq.extract("Some 3,000 people fled from several parts of Mosul to Erbil.")
    assert [m.route for m in r.movements] == ["Mosul → Erbil"]


def test_people_who_remain_in_a_place_are_not_a_movement():
    ua = Extractor(Gazetteer.world(), country="UA")
    r = ua.extract("The UN seeks safe passage from Azovstal and other parts of Mariupol, where an estimated "
                   "100,000 people remain.")
    assert r.movements == () and [x.text for x in r.excluded] == ["an estimated 100,000"]


def test_a_list_of_places_with_figures_in_brackets_goes_on_past_semicolons(ex):
    text = ("People who left Rukban have arrived in Al Bab (75) in Aleppo governorate; Thawra and Tell Abyad "
            "(460) in Ar-Raqqa; and Mahmoudli camp (23) in Ar-Raqqa.")
    r = ex.extract(text)
    assert [(m.count, len(m.destinations)) for m in r.movements] == [(75, 1), (460, 2), (23, 1)]
    assert {m.origin.name for m in r.movements} == {"Rukban camp"}


def test_a_facility_the_gazetteer_lacks_is_in_the_place_it_is_named_after():
    rw = Extractor(Gazetteer.world(), country="RW")
    r = rw.extract("The first group, consisting of 660 people, arrived at Kigali Pele Stadium on Monday.")
    assert [([d.name for d in m.destinations], m.count) for m in r.movements] == [(["Kigali"], 660)]
    from evacmap.extract.places import PlaceFinder

    finder = PlaceFinder(Gazetteer.curated())
    text = "They flew out of Hamid Karzai International Airport."
    (c,) = finder.candidates(text, 0, len(text))
    assert c.fallbacks == ("Hamid Karzai",)  # never the first name alone


def test_they_will_be_heading_to_speaks_of_the_people_before(ex):
    text = ("Around 43 injured people were escorted out of al-Foua on Wednesday. They will be heading to "
            "Damascus and Latakia. At the same time, 40 people were brought out of Madaya. They will be "
            "leaving for Idlib province.")
    r = ex.extract(text, source="t.txt")
    assert [(m.origin.name, sorted(d.name for d in m.destinations), m.count) for m in r.movements] == [
        ("al-Fu'ah", ["Damascus", "Latakia"], 43), ("Maḑāyā", ["Idleb governorate"], 40)]


def test_who_tells_it_is_not_where_people_went(ex):
    lb = Extractor(Gazetteer.world(), country="LB")
    r = lb.extract("Buses left Arsal for Syria on Monday. Around 700 people were on board 16 buses, including "
                   "about 300 militants, according to a reporter from China's Xinhua news agency.")
    assert [(m.origin.country, [d.name for d in m.destinations], m.count) for m in r.movements] == [
        ("LB", ["Syria"], 700)]


def test_iraqi_kurdistan_is_the_kurdistan_region_not_the_iranian_province(ex):
    r = ex.extract("Some 1,500 people crossed from Ras al-Ain into Iraq's Kurdistan region.")
    assert [(d.name, d.country) for m in r.movements for d in m.destinations] == [("Kurdistan Region", "IQ")]


def test_where_a_few_went_is_not_where_the_figure_went():
    ht = Extractor(Gazetteer.world(), country="HT")
    text = "Some 33,000 people left Port-au-Prince in March. Smaller numbers were bound for Artibonite."
    assert [[d.name for d in m.destinations] for m in ht.extract(text).movements] == [[]]
    text = "Some 33,000 people left Port-au-Prince in March. They were bound for Artibonite."
    assert [[d.name for d in m.destinations] for m in ht.extract(text).movements] == [["Artibonite"]]


def test_a_running_total_counts_what_the_number_of_names(ex):
    text = ("Some 30,000 people have fled Fallujah in the past three days, bringing the number of people "
            "displaced since the offensive began nearly a month ago to more than 60,000.")
    r = Extractor(Gazetteer.world(), country="IQ").extract(text)
    assert sorted((m.count or m.count_min, m.count_kind.value) for m in r.movements) == [
        (30000, "estimated"), (60000, "cumulative")]


def test_a_country_named_with_a_direction_is_that_country():
    ss = Extractor(Gazetteer.world(), country="SS")
    r = ss.extract("More than 438,000 people have arrived in South Sudan to escape the conflict in Sudan.")
    assert [m.route for m in r.movements] == ["Sudan → South Sudan"]


def test_safety_in_a_place_and_arrivals_registered_there_are_destinations():
    sd = Extractor(Gazetteer.world(), country="SD")
    r = sd.extract("More than 100,000 others have fled Sudan for safety in eastern Chad since April.")
    assert [m.route for m in r.movements] == ["Sudan → Chad"]
    ua = Extractor(Gazetteer.world(), country="UA")
    r = ua.extract("Authorities in Zaporizhzhia registered some 26,000 people arriving from Mariupol.")
    assert [(m.origin.name, [d.name for d in m.destinations]) for m in r.movements] == [
        ("Mariupol", ["Zaporizhzhya"])]


def test_a_part_of_a_figure_is_the_movement_and_the_whole_is_not(ex):
    r = ex.extract("By late afternoon, around 400 of the approximately 1,200 people believed to be in the "
                   "old city of Homs had left.")
    assert [(m.count, m.origin.name) for m in r.movements] == [(400, "Homs")]


def test_a_past_year_dates_a_figure_even_when_people_stayed_after_moving():
    lb = Extractor(Gazetteer.world(), country="LB")
    r = lb.extract("During the 2006 war between Israel and Hezbollah, some 250,000 Lebanese fled to Syria, many "
                   "staying with host families.", date="2024-10-05")
    assert r.movements == () and [x.reason for x in r.excluded] == ['historical comparison ("2006")']


def test_another_figure_in_a_place_after_taking_refuge_is_a_destination(ex):
    r = ex.extract("Since Monday, 800 families have taken refuge in the city of Hasakeh and another 150 in Qamishli.")
    assert [([d.name for d in m.destinations], m.origin) for m in r.movements] == [
        (["Al Ḩasakah"], None), (["Al Qāmishlī"], None)]


def test_people_named_by_where_they_are_from_are_counted():
    cd = Extractor(Gazetteer.world(), country="CD")
    r = cd.extract("Some 7,661 Burundians have arrived in Uvira since the beginning of April.")
    assert [(m.count, [d.name for d in m.destinations]) for m in r.movements] == [(7661, ["Uvira"])]


def test_a_part_travelling_on_elsewhere_is_a_movement_of_its_own(ex):
    text = ("Some 2,250 residents of Homs have moved to Hama in the past three days, with around 300 of them "
            "travelling on towards Idlib, officials said.")
    r = ex.extract(text)
    assert sorted((m.count, tuple(d.name for d in m.destinations)) for m in r.movements) == [
        (300, ("Idlib",)), (2250, ("Hama",))]
    assert all(300 not in dict(m.groups).values() for m in r.movements)  # not a group of the whole


def test_due_to_a_cause_is_no_plan_and_out_of_a_whole_is_no_movement(ex):
    r = ex.extract("On 30 August, due to further clashes, some 4,500 families out of an original 9,500 families "
                   "fled Taybat al-Imam towards Hama city.")
    assert [(m.count, m.count_kind.value) for m in r.movements] == [(4500, "estimated")]
    r = ex.extract("Some 500 people are due to leave Douma on Monday.")
    assert [m.count_kind.value for m in r.movements] == ["planned"]


def test_the_extent_of_an_area_is_not_a_route(ex):
    ps = Extractor(Gazetteer.world(), country="PS")
    r = ps.extract("Some 5,000 people fled Rafah for a zone stretching from Khan Younis to Deir al-Balah.")
    assert [m.route for m in r.movements] == ["Rafaḩ → ?"]
    r = ps.extract("Some 5,000 people fled from Rafah to Khan Younis.")
    assert [m.route for m in r.movements] == ["Rafaḩ → Khān Yūnis"]


def test_the_day_of_a_date_is_not_a_figure(anywhere):
    r = anywhere.extract("Some 100,000 people were told to leave Rafah on May 6 to Khan Younis.", source="t.txt")
    assert [m.count for m in r.movements] == [100000]
    r = anywhere.extract("About 300 people left Douma on Sept. 23 and 12 more on Sept. 24.", source="t.txt")
    assert sorted(m.count for m in r.movements) == [12, 300]


def test_a_headline_figure_restated_as_a_running_total_is_one_movement(ex):
    text = ("More than 56,000 flee Sudan into Egypt\n\n"
            "More than 56,000 people have crossed from Sudan into Egypt since fighting erupted three weeks "
            "ago, the UN refugee agency said on Friday.")
    r = ex.extract(text, date="2023-05-05", source="t.txt")
    assert [(m.count_min, m.count_kind.value, len(m.evidence)) for m in r.movements] == [(56000, "cumulative", 2)]
    # a different figure is another movement, whatever its kind
    r = ex.extract(text.replace("56,000 people", "60,000 people"), date="2023-05-05", source="t.txt")
    assert sorted(m.count_min for m in r.movements) == [56000, 60000]


def test_acronyms_are_not_places(ex):
    r = ex.extract("• Aden: 118 HHs\n• Ibb: 286 HHs", source="t.txt")
    assert all(p.text not in ("HHs",) for p in r.places)
    r = ex.extract("Arrivals by governorate:\n• Aden: 118 HHs\n• Ibb: 286 HHs", source="t.txt")
    assert all(p.text not in ("HHs",) for p in r.places)
    assert {p.text for p in r.places if p.place is not None} == {"Aden", "Ibb"}  # the places are read
    assert sorted((m.count, m.unit) for m in r.movements) == [(118, "families"), (286, "families")]


@pytest.mark.parametrize("text", [
    "Some 300 families, or about 1,500 people, left Harasta for Idlib on Sunday.",
    "Some 300 households (about 1,500 individuals) left Harasta for Idlib on Sunday.",
    "About 1,500 people in 300 families left Harasta for Idlib on Sunday.",
])
def test_a_figure_stated_in_two_units_counts_once_as_people(ex, text):
    m = one(ex, text)
    assert (m.count, m.unit) == (1500, "people")


def test_a_region_destination_is_made_precise_by_the_villages_in_it(ex):
    r = ex.extract("Nearly 1,000 Syrian refugees left Arsal on Saturday, heading to the Qalamoun region of "
                   "Syria. They were to return to their villages of Flita and Qarah, a source said.", source="t.txt")
    (m,) = r.movements
    assert sorted(d.name for d in m.destinations) == ["Flitah", "Qārah"]


@pytest.mark.parametrize(("country", "text", "count"), [
    ("SY", "IOM has moved more than 105,000 people out of Douma by river and another 59,000 by plane.", 59000),
    ("SS", "In Malakal, 850 are due to be airlifted to Wau before the end of the month.", 850),
    ("SY", "Al-Watan said 3,000 more would follow from Madaya in a second convoy later on Friday.", 3000),
    ("SY", "The activists say the deal aims to displace 12,000 al-Waer residents.", 12000),
    ("LB", "On Friday the Red Crescent put the number of people who crossed into Lebanon at over 185,000.", None),
    ("AF", "That brings to approximately 58,700 the number of people evacuated from Kabul.", 58700),
    ("UA", "In the town of Manhush, a further 58 people from Mariupol joined the convoy.", 58),
    ("SY", "About 3,500 civilians have escaped Raqqa in the past week.", 3500),
])
def test_more_ways_of_stating_who_moved(country, text, count):
    r = Extractor(Gazetteer.world(), country=country).extract(text, source="t.txt")
    assert count in [m.count for m in r.movements] or (count is None and [m.count_min for m in r.movements])
    if count is None:
        assert [m.count_min for m in r.movements] == [185000]


def test_staying_somewhere_is_not_staying_behind(anywhere):
    r = anywhere.extract("Russia said it had evacuated 126 civilians from Mariupol in recent days, and that some had "
                   "chosen to stay. Some 120 families staying at the Pemba transit centre are due to be "
                   "relocated to Metuge.", source="t.txt")
    assert sorted(m.count for m in r.movements) == [120, 126]


def test_each_figure_goes_to_the_place_right_after_it_and_the_total_to_none(ex):
    r = ex.extract("To date, 18,500 people have returned – 2,500 to Qamishli city in Al-Hasakeh and 16,000 to "
                   "Tel Abiad in Ar-Raqqa governorate.", source="t.txt")
    assert {m.count: [d.name for d in m.destinations] for m in r.movements} == {
        2500: ["Al Qāmishlī"], 16000: ["Tall Abyaḑ"]}
    assert any("18,500" in x.text for x in r.excluded)  # no end at all: left out, with the reason


def test_an_onward_plan_does_not_become_where_people_went(ex):
    r = ex.extract("3,124 people from Harasta arrived at Qalaat al-Madiq aboard 57 buses. They are to be "
                   "transferred to shelters in Idlib and Aleppo.", source="t.txt")
    (m,) = r.movements
    assert [d.name for d in m.destinations] == ["Qalaat al-Madiq"]


def test_where_others_went_is_not_where_the_figure_went(ex):
    r = ex.extract("Civilians would be moved to Hrajela, the council said. Others were taken to Qudsaya. "
                   "By nightfall some 800 gunmen had left Daraya.", source="t.txt")
    (m,) = r.movements
    assert m.count == 800 and m.destinations == ()


def test_a_country_is_dropped_beside_a_place_inside_it(ex):
    m = one(ex, "More than 7,100 refugees from Hasakah have crossed into Iraq, to the Bardarash camp.")
    assert [d.name for d in m.destinations] != [] and all(d.kind.value != "country" for d in m.destinations)


def test_sentences_end_after_short_words_but_not_after_abbreviations():
    t = ('ALEPPO, Dec. 19 (Reuters) - Buses left at 3 a.m. on Monday. "We left everything." He wept. '
         "Gen. Ali said the U.S. and J. Smith agreed. It was a long day. Gaza. Then 20 more came.")
    assert [t[a:b] for a, b in split_sentences(t)] == [
        "ALEPPO, Dec. 19 (Reuters) - Buses left at 3 a.m. on Monday.", '"We left everything."', "He wept.",
        "Gen. Ali said the U.S. and J. Smith agreed.", "It was a long day.", "Gaza.", "Then 20 more came."]


@pytest.mark.parametrize(("text", "reason"), [
    ("Humanitarian partners estimate that up to 385,000 people could be displaced towards Marib.", "projection"),
    ("Some 950 residents of Ain Issa were traced to Al-Hol camp, whose population now stands at about 68,000 "
     "people.", "sheltered"),
    ("Before the offensive, an estimated 120,000 ethnic Armenians lived in Stepanakert.", "lived"),
    ("Egypt, already home to an estimated four million Sudanese, received more.", "sheltered"),
    ("Officials said 70 people, mostly women and children, were killed when vehicles fleeing Gaza were hit.",
     "casualties"),
])
def test_stocks_projections_and_the_dead_are_not_movements(ex, text, reason):
    r = ex.extract(text, source="t.txt")
    assert not [m for m in r.movements if m.count in (385000, 68000, 120000, 4000000, 70) or m.count_max == 385000]
    assert any(reason in x.reason for x in r.excluded), [x.reason for x in r.excluded]


def test_bylines_and_datelines_are_not_where_people_moved(ex):
    text = ("Buses evacuate thousands from besieged towns\n\nBy Omar Kadour with Maher Mounes in Damascus\n\n"
            "RASHIDIN, Syria, April 14, 2017 (AFP) - Thousands of civilians left on Friday under the deal. "
            "About 5,000 people arrived in Aleppo.")
    r = ex.extract(text, source="t.txt")
    assert all(m.origin is None or m.origin.name not in ("Damascus", "Ar Rāshidīn") for m in r.movements)


def test_arrived_then_a_time_then_at_is_the_destination(ex):
    m = one(ex, "The second batch of 3,124 people from Harasta arrived on Saturday morning, 24 March, at Qalaat "
                "al-Madiq.")
    assert [d.name for d in m.destinations] == ["Qalaat al-Madiq"]


def test_an_article_reads_the_same_whatever_was_read_before():
    # One extractor reading the Syrian reports in turn must resolve each as a fresh one does
    # (its names were once cached from earlier articles, so "Hay'at" changed with the order).
    gaz = Gazetteer.world()
    used = Extractor(gaz, country="SY")
    for path in sorted((DATA / "long").glob("s1*.txt")):
        text = path.read_text(encoding="utf-8")
        seen = [(p.start, p.place.id if p.place else None) for p in used.extract(text, source=path.name).places]
        fresh = Extractor(gaz, country="SY").extract(text, source=path.name)
        assert seen == [(p.start, p.place.id if p.place else None) for p in fresh.places], path.name


def test_a_bare_running_count_restates_the_movement_before(ex):
    r = ex.extract("More than 65,000 people have fled Madaya for Idlib since Sunday. On Wednesday evening the "
                   "government had put the number at about 50,000.", source="t.txt")
    m = next(m for m in r.movements if m.count == 50000)
    assert (m.origin.name, [d.name for d in m.destinations], m.count_kind.value) == (
        "Maḑāyā", ["Idlib"], "cumulative")


@pytest.mark.parametrize("text", [
    "Rohingya influx now 409,000 after more fled Myanmar to Bangladesh.",
    "The number of people who fled Madaya for Idlib passed 20,000 on Sunday.",
])
def test_a_running_count_passing_a_figure(ex, text):
    (m,) = ex.extract(text, source="t.txt").movements
    assert 409000 in (m.count, m.count_min) or 20000 in (m.count, m.count_min)


def test_among_those_on_board_is_a_breakdown_of_the_figure_before(anywhere):
    r = anywhere.extract("A train carrying the first 100 residents of Kherson arrived in Khmelnytskyi on Friday. Among "
                   "those on board were 26 children and seven bedridden patients.", source="t.txt")
    (m,) = r.movements
    assert (m.count, dict(m.groups)) == (100, {"children": 26, "wounded": 7})


def test_a_sum_per_person_is_a_rate(ex):
    r = ex.extract("Evacuees from Kherson will receive 2,000 hryvnias per adult and 3,000 per child in Khmelnytskyi.",
                   source="t.txt")
    assert r.movements == ()  # sums of money are no one's count
    r = ex.extract("Some 300 people per train left Kherson for Khmelnytskyi.", source="t.txt")
    assert r.movements == () and [x.reason for x in r.excluded] == ['a rate ("per train"), not a total']


def test_people_leave_the_camp_not_the_crossing_of_the_same_name(ex):
    m = one(ex, "Some 18,787 people have left Rukban since March, the UN said.")
    assert m.origin.kind.value == "camp"


def test_a_bound_and_the_figure_it_rounds_are_one_movement(anywhere):
    r = anywhere.extract("More than 43,000 people have fled Darnah, the IOM said. The agency said an estimated 43,059 "
                   "people had fled Darnah by Thursday.", source="t.txt")
    assert [(m.count, m.count_min) for m in r.movements] == [(43059, None)]


def test_a_place_the_gazetteer_lacks_inside_one_it_knows_gives_the_known_one(ex):
    r = ex.extract("Local responders evacuated 30 injured people from Ras al-Ain to Roj Hospital in Tel Tamr.",
                   source="t.txt")
    (m,) = r.movements
    assert [d.name for d in m.destinations] == ["Tall Tamr"]
    assert any(p.text == "Roj Hospital" and p.place is None for p in r.places)  # still reported


def test_days_of_a_month_are_dates_not_figures():
    assert [n.value for n in find_numbers("between 1 and 12 February alone, 142,000 fled")] == [142000]
    assert [n.value for n in find_numbers("On 8 November, 600 moved")] == [600]


@pytest.mark.parametrize("text", [
    "Three batches of evacuees from Tal Rifaat arrived in Tabqa.",
    "221,726 people from Raqqa reached with food assistance in October.",
    "More than a million people had sought refuge in Rafah before the operation began.",
])
def test_batches_aid_and_the_time_before_are_not_movements(anywhere, text):
    r = anywhere.extract(text, source="t.txt")
    assert r.movements == ()
    assert any(p.place is not None for p in r.places)  # read, and its place found: only the figure is refused
    figure = text.split()[0] if text[0].isdigit() else "a million"
    assert text.startswith("Three") or any(figure in x.text for x in r.excluded), [x.text for x in r.excluded]


def test_elliptic_arrivals_each_in_its_country():
    sd = Extractor(Gazetteer.world(), country="SD")
    r = sd.extract("It said more than 132,000 had arrived in Egypt, 80,000 in Chad and 69,000 in South Sudan.",
                   source="t.txt")
    assert {m.count or m.count_min: [d.name for d in m.destinations] for m in r.movements} == {
        132000: ["Egypt"], 80000: ["Chad"], 69000: ["South Sudan"]}


def test_armed_groups_and_vague_parts_of_the_country_are_not_ends(ex):
    af = Extractor(Gazetteer.world(), country="AF")
    r = af.extract("Some 8,000 Afghans at risk from the Taliban were flown out of Kabul.", source="t.txt")
    assert all(p.text != "Taliban" or p.place is None for p in r.places)
    m = one(ex, "A total of 45 armed men left Daraa by bus for northern Syria on Thursday.")
    assert m.destinations == ()
    r = ex.extract("Nearly 450,000 have fled Rafah in a week, as fighting returns to Gaza's north.", source="t.txt")
    assert all("Gaza" not in [d.name for d in m.destinations] for m in r.movements)


@pytest.mark.parametrize(("text", "reason"), [
    ("Ben Wallace acknowledged that around 1,100 eligible Afghans were left behind in Kabul.", "stayed"),
    ("The assessment found 659 families in need of shelter in Aden.", "in need"),
    ("Qudsaya had swelled to an estimated 250,000 people during the war.", "sheltered"),
])
def test_left_behind_in_need_and_swollen_towns_are_not_movements(ex, text, reason):
    r = ex.extract(text, source="t.txt")
    assert r.movements == () and any(reason in x.reason for x in r.excluded), [x.reason for x in r.excluded]


def test_where_people_are_originally_from_is_not_where_they_left(ex):
    r = ex.extract("Some 700 fighters left Moadamiyeh for Idlib; roughly 200 of them were originally from "
                   "Daraya.", source="t.txt")
    assert all(m.origin is None or m.origin.name != "Dārayyā" for m in r.movements)


def test_a_bare_name_where_people_went_is_the_province_the_article_names(ex):
    r = ex.extract("Fighters were taken to the northern province of Idlib on Friday. Later, about 700 gunmen left "
                   "Daraya for Idlib.", source="t.txt")
    m = next(m for m in r.movements if m.count == 700)
    assert [d.pcode for d in m.destinations] == ["SY07"]
    m = one(ex, "About 700 gunmen left Daraya for Idlib.")
    assert [d.kind.value for d in m.destinations] == ["city"]  # no province named: the city


def test_a_country_possessive_before_a_direction_qualifies_the_place_after(ex):
    m = one(ex, "A first convoy of 500 evacuees from Syria's southwestern Quneitra province arrived in Idlib.")
    assert (m.origin.pcode, [d.name for d in m.destinations]) == ("SY14", ["Idlib"])


def test_the_damascus_countryside_is_rural_damascus(ex):
    m = one(ex, "Some 4,000 civilians from Daraya will be taken to shelters in the Damascus countryside.")
    assert [d.pcode for d in m.destinations] == ["SY03"]
    m = one(ex, "Some 700 people from Daraya left for the countryside of Aleppo.")
    assert [d.pcode for d in m.destinations] == ["SY02"]


@pytest.mark.parametrize("text", [
    "Dana: 12,000; " * 22 + "x",  # took 15 s in the first list-line pattern (doubling with each pair)
    "Dana: 12,000; " * 3000 + "x",
    "IDP arrivals by community:\n" + "• Dana: 12,000 people, mostly into camps\n" * 2000,
    "Mr. " * 5000 + "Homs.", "KEY FIGURES\n" + "1 2 3\n" * 3000, "between 1 and " * 2000 + "3 February",
    "a quarter of " * 3000 + "a million", "(" * 5000 + "450) people left Homs",
], ids=["22-pairs", "3000-pairs", "2000-items", "abbreviations", "short-lines", "dates", "fractions", "brackets"])
def test_hostile_long_texts_are_read_in_linear_time(ex, text):
    import time

    t0 = time.perf_counter()
    r = ex.extract(text, source="t.txt")
    assert time.perf_counter() - t0 < 5.0, "a pattern backtracks"
    assert all(0 <= x.start <= x.end <= len(text) for x in r.excluded)


def test_a_later_vague_figure_adds_no_places_to_the_figure_it_restates(ex):
    r = ex.extract("The last buses carrying rebels out of Khan al-Shih arrived in Idlib province on Friday. "
                   "Activists said about 4,500 people left aboard 60 buses. Idlib province, already packed "
                   "with people displaced from across Syria, has received thousands of evacuees this year.",
                   source="t.txt")
    (m,) = r.movements
    assert (m.origin.name, m.count) == ("Khan al-Shih", 4500)
    assert len(m.evidence) >= 3  # the vague sentence is still cited


def test_the_story_country_is_no_origin_of_a_move_within_it(ex):
    m = one(ex, "Some 2,000 people displaced from across Syria arrived in Idlib province last week.")
    assert m.origin is None and [d.name for d in m.destinations] == ["Idleb governorate"]
    m = one(ex, "Some 2,000 people fled Syria to Lebanon last week.")
    assert m.origin.name == "Syria"  # a country left for another is an origin


def test_a_camp_where_refugees_are_is_where_they_went_not_where_they_left():
    ex = Extractor(Gazetteer.world(), country="BI")
    r = ex.extract("KEY FIGURES\n16,000 refugees in Mahama refugee camp in Rwanda\n\n"
                   "Refugees are received at reception centres and are then relocated to the newly established "
                   "camp. Some 16,000 refugees have been relocated to Mahama so far.", source="t.txt")
    assert [(m.origin, [d.name for d in m.destinations], m.count) for m in r.movements] == [
        (None, ["Mahama camp"], 16000)]
    assert all("origin" not in {k for k, _, _ in e.parts} for e in r.movements[0].evidence)


def test_arrived_there_and_at_the_site_name_the_place_the_sentence_before_named():
    ex = Extractor(Gazetteer.world(), country="IQ")
    r = ex.extract("Most people who fled were transported by the military to the Hammam al-Alil screening site, "
                   "25 km south of Mosul. At least 6,380 IDPs from Telafar arrived at the site between 11 and 15 "
                   "August. On 10 August alone, some 953 individuals arrived there from Telafar.", source="t.txt")
    assert [(m.count or m.count_min, [d.name for d in m.destinations]) for m in r.movements] == [
        (6380, ["Hammam al-Alil"]), (953, ["Hammam al-Alil"])]
    # "there" as a sentence's subject is no place
    r = ex.extract("There were 500 people who fled Telafar on Monday.", source="t.txt")
    assert [d.name for m in r.movements for d in m.destinations] == []


def test_people_forced_to_abandon_their_homes_in_a_place_left_it(ex):
    m = one(ex, "At least 1,800 people have been forced to abandon their homes in Kafr Nabl since Thursday.")
    assert m.origin.name == "Kafr Nabl" and m.destinations == ()


@pytest.mark.parametrize("background", [
    "Another 7.6 million are displaced inside Syria, according to UN figures.",
    "More than seven million people are displaced in the DR Congo, the IOM says.",
])
def test_a_countrys_displaced_population_is_background(ex, background):
    r = ex.extract("Some 1,200 people fled Hasakah on Monday. " + background, source="t.txt")
    assert [m.count for m in r.movements] == [1200]
    assert any(x.reason.startswith("background figure") for x in r.excluded)


def test_places_of_more_people_are_not_given_to_the_figure_before():
    ex = Extractor(Gazetteer.world(), country="SD")
    r = ex.extract("The UN refugee agency says some 73,000 people have already left Sudan since fighting erupted. "
                   "Inside the country, tens of thousands more are on the move out of the capital towards Gezira, "
                   "White Nile and River Nile states.", source="t.txt")
    m = next(m for m in r.movements if m.count == 73000)
    assert m.origin.name == "Sudan" and m.destinations == ()


def test_people_who_fled_the_country_left_the_storys_country():
    ex = Extractor(Gazetteer.world(), country="SD")
    r = ex.extract("UN says 73,000 have fled the country as fighting rages in Khartoum\n\n"
                   "The UN refugee agency says some 73,000 people have already left Sudan since 15 April.",
                   source="t.txt")
    assert [(m.origin.name, m.count) for m in r.movements] == [("Sudan", 73000)]
    r = ex.extract("UN says 73,000 have fled the country as fighting rages in Khartoum.", source="t.txt")
    assert r.movements == ()  # the article never names the country: no origin is invented


def test_a_list_of_key_figures_is_one_sentence_per_line():
    from evacmap.extract.sentences import split_sentences

    text = ("KEY FIGURES\n\n35,129 estimated new arrivals received in Kisoro district from the DRC since 28 March\n"
            "12,930 individuals remaining at the Nyakabande holding and transit centre as of 30 June\n"
            "910 individuals relocated from Kisoro to Nakivale refugee settlement during the week\n")
    assert [text[a:b][:6] for a, b in split_sentences(text)] == ["KEY FI", "35,129", "12,930", "910 in"]
    signs = ("KEY FIGURES\n185,000 internally displaced in and around Las Anod\n~100,000 refugees estimated to "
             "have crossed into Ethiopia\n13+ locations hosting new arrivals\nOver 1,000 families relocated\n")
    assert [signs[a:b][:6] for a, b in split_sentences(signs)] == ["KEY FI", "185,00", "~100,0", "13+ lo", "Over 1"]
    wrapped = "The agency said that some\n450 people, most of them fighters, had left the district by\nnightfall."
    assert len(split_sentences(wrapped)) == 1  # wrapped prose keeps its sentence


def test_people_wounded_in_a_place_were_taken_from_it(ex):
    m = one(ex, "Ambulances ferried 85 people wounded in Qusair to hospitals in Homs on Sunday.")
    assert m.origin.name == "Al Quşayr" and [d.name for d in m.destinations] == ["Homs"]


def test_a_figure_restated_in_families_after_a_dash_is_one_movement():
    ex = Extractor(Gazetteer.world(), country="IQ")
    r = ex.extract("On Saturday approximately 6,120 people - 1,200 families - fled the centre of Mosul under "
                   "mortar shelling.", source="t.txt")
    assert [(m.count, m.unit) for m in r.movements] == [(6120, "people")]


def test_a_camp_on_the_road_to_a_city_does_not_send_people_to_the_city():
    ex = Extractor(Gazetteer.world(), country="IQ")
    m = one(ex, "Some 6,120 people fled Mosul, many of them heading to a camp on the road to Erbil.")
    assert m.origin.name == "Mosul" and m.destinations == ()


def test_a_warning_after_the_figure_does_not_make_it_a_plan(ex):
    m = one(ex, "Some 5,000 people have fled Hasakeh, the United Nations said, warning the exodus could swell "
                "if fighting spreads.")
    assert m.count_kind.value in ("reported", "estimated")


def test_arrivals_abroad_came_from_the_storys_country_where_the_article_names_it():
    ex = Extractor(Gazetteer.world(), country="SD")
    r = ex.extract("Fighting in Sudan has entered its sixth week. The IOM said more than 132,000 had arrived "
                   "in Egypt and 80,000 in Chad.", source="t.txt")
    assert sorted((m.origin.name, m.destinations[0].name) for m in r.movements) == [
        ("Sudan", "Chad"), ("Sudan", "Egypt")]
    assert all(len(m.evidence) == 2 for m in r.movements)  # the sentence that names Sudan is quoted too
    r = ex.extract("The IOM said more than 132,000 had arrived in Egypt and 80,000 in Chad.", source="t.txt")
    assert all(m.origin is None for m in r.movements)  # the article never names Sudan: no origin invented
    r = ex.extract("Fighting in Sudan goes on. Some 3,000 refugees from the Central African Republic crossed "
                   "into Chad.", source="t.txt")
    assert [(m.origin.name, [d.name for d in m.destinations]) for m in r.movements] == [
        ("Central African Republic", ["Chad"])]  # a stated origin is never replaced by the story's country


def test_figures_after_a_move_from_several_places_borrow_none_of_them(ex):
    r = ex.extract("From May to August, an estimated 400,000 people were displaced from northern Hama, southern "
                   "Idleb and western Aleppo governorates.\n\nPartners reported the following arrivals:\n"
                   "• Ariha: about 14,500 people\n• Dana: 41,000 people\n", source="t.txt")
    arrivals = [m for m in r.movements if m.count in (14500, 41000)]
    assert len(arrivals) == 2 and all(m.origin is None for m in arrivals)
    r = ex.extract("Some 4,000 people were displaced from Halfaya.\n\nPartners reported the following arrivals:\n"
                   "• Ariha: about 14,500 people\n", source="t.txt")
    assert next(m for m in r.movements if m.count == 14500).origin.name == "Ḩalfāyā"  # one place: borrowed


def test_where_people_go_in_the_next_section_is_not_given_to_a_figure_before_its_heading(ex):
    text = ("A pause in the airstrikes enabled the safe passage of 3,000 people from Saraqab.\n\n"
            "DISPLACEMENT\n\nThe majority of the newly displaced are moving to Idleb city and Ariha.")
    m = next(m for m in ex.extract(text, source="t.txt").movements if m.count == 3000)
    assert m.destinations == ()
    m = next(m for m in ex.extract(text.replace("DISPLACEMENT\n\n", ""), source="t.txt").movements
             if m.count == 3000)
    assert [d.name for d in m.destinations] == ["Idlib", "Arīḩā"]  # same section: the route goes on


def test_a_namesake_far_abroad_is_not_an_end():
    ye = Extractor(Gazetteer.world(), country="YE")
    r = ye.extract("Most have moved closer to Arak in Sirwah, while 482 households have gone to Marib city.",
                   source="t.txt")
    arak = next(p for p in r.places if p.text == "Arak")
    assert arak.place is None and "namesake in IR" in arak.reason  # reported as unresolved, not put in Iran
    r = ye.extract("Some 500 Yemenis who had fled to Djibouti were later flown to Arak in Iran.", source="t.txt")
    assert any(p.text == "Arak" and p.place is not None and p.place.country == "IR" for p in r.places)
    r = Extractor(Gazetteer.world(), country="SY").extract("Some 2,000 people fled Qusayr to Arsal.", source="t.txt")
    assert [d.country for m in r.movements for d in m.destinations] == ["LB"]  # a neighbour's town stays


def test_who_were_in_a_convoy_after_a_dash_are_its_breakdown(ex):
    m = one(ex, "The convoy that arrived in the Idlib countryside was carrying 2,939 people - 1,450 men, 589 women "
                "and 900 children - accompanied by 25 ambulances.")
    assert m.count == 2939 and dict(m.groups) == {"men": 1450, "women": 589, "children": 900}
    m = one(ex, "Around half of the 2,400 evacuees - 1,200 people - continued on to Jarablus on Monday.")
    assert m.count == 1200 and m.groups == ()  # a restatement, not a breakdown


def test_a_group_a_source_named_in_quotes_is_still_a_group(ex):
    m = one(ex, 'Buses carried 3,010 people out of Khan al-Shih, among them 1,846 "militants" and 1,164 family '
                "members.")
    assert m.count == 3010 and dict(m.groups)["fighters"] == 1846


def test_unnamed_sites_near_a_town_send_people_to_the_town_but_a_named_camp_is_its_own_end():
    cd = Extractor(Gazetteer.world(), country="CD")
    m = one(cd, "Earlier in the month, fighting around Sake displaced some 2,000 families to sites near Goma.")
    assert [d.name for d in m.destinations] == ["Goma"]
    iq = Extractor(Gazetteer.world(), country="IQ")
    m = one(iq, "Some 7,100 Syrian Kurds fled to the Bardarash camp near Dohuk.")
    assert [d.name for d in m.destinations] == ["Bardarash"]


def test_growing_numbers_heading_somewhere_are_some_of_the_people_before():
    ly = Extractor(Gazetteer.world(), country="LY")
    r = ly.extract("More than 43,000 people have been displaced from Derna by the floods. Growing numbers are "
                   "also heading west, to Tripoli and Misrata.", source="t.txt")
    assert [(m.count_min, m.destinations) for m in r.movements] == [(43000, ())]


def test_people_staying_at_a_place_and_moved_on_left_it(ex):
    m = one(ex, "Some 120 Lebanese families staying at the Jdeidet Yabous border point are due to be relocated "
                "to a hosting centre in Rural Damascus in the coming days.")
    assert m.origin.kind.value == "crossing" and [d.name for d in m.destinations] == ["Rural Damascus governorate"]
    m = one(ex, "Some 300 families who fled Aleppo are now staying in Idlib.")
    assert m.origin.name == "Aleppo"  # where they stay, with no move after it, is not where they left


def test_a_province_or_country_named_earlier_is_not_borrowed_as_where_a_later_figure_left(ex):
    r = ex.extract("Some 500 people left Idlib governorate on Monday.\n\nSome 3,000 people fled on Tuesday, "
                   "officials said.", source="t.txt")
    assert [(m.count, m.origin.name) for m in r.movements] == [(500, "Idleb governorate")]
    r = ex.extract("Some 500 people left Syria on Monday.\n\nSome 3,000 people fled on Tuesday, officials said.",
                   source="t.txt")
    assert [m.count for m in r.movements] == [500]
    r = ex.extract("Some 500 people left Douma on Monday.\n\nSome 3,000 people fled on Tuesday, officials said.",
                   source="t.txt")
    assert [(m.count, m.origin.name) for m in r.movements] == [(500, "Dūmā"), (3000, "Dūmā")]  # a town: borrowed


def test_where_people_are_from_yields_to_where_the_clause_says_they_left():
    ua = Extractor(Gazetteer.world(), country="UA")
    m = one(ua, "On Tuesday, 142 residents of Donetsk region, among them 19 children, left Pokrovsk by train for Lviv.")
    assert (m.origin.name, [d.name for d in m.destinations]) == ("Pokrovsk", ["Lviv"])
    m = one(ua, "On Tuesday, 142 residents of Pokrovsk left by train for Lviv.")
    assert m.origin.name == "Pokrovsk"  # the only place they left


def test_people_moved_to_hotels_in_a_city_went_to_the_city():
    il = Extractor(Gazetteer.world(), country="IL")
    m = one(il, "In the south, the entire city of Sderot was evacuated this week, with most of its roughly 30,000 "
                "residents moved to hotels in Eilat.")
    assert (m.origin.name, [d.name for d in m.destinations]) == ("Sderot", ["Eilat"])


def test_the_provinces_of_two_places_are_two_provinces(ex):
    m = one(ex, "Over 5,000 militants departed from Yalda for the northern provinces of Aleppo and Idlib.")
    assert [d.kind.value for d in m.destinations] == ["governorate", "governorate"]
    m = one(ex, "Over 5,000 militants departed from Yalda for the towns of Aleppo and Idlib.")
    assert [d.kind.value for d in m.destinations] == ["city", "city"]


def test_of_these_is_a_part_of_the_people_the_sentence_before_counted(ex):
    r = ex.extract("An estimated 18,787 people departed Rukban between March and September. Of these, 17,964 "
                   "residents travelled towards Homs in 26 organized batches.", source="t.txt")
    part = next(m for m in r.movements if m.count == 17964)
    assert part.origin.kind.value == "camp" and len(part.evidence) == 2
    r = ex.extract("An estimated 18,787 people departed Rukban between March and September. Later, 17,964 "
                   "residents travelled towards Homs in 26 organized batches.", source="t.txt")
    assert next(m for m in r.movements if m.count == 17964).origin is None  # no "of these": not said


def test_a_town_and_then_villages_are_all_destinations(ex):
    m = one(ex, "About 3,000 citizens have returned to al-Mayadin city and to the villages of Muhasan and al-Quriyah.")
    assert [d.name for d in m.destinations] == ["Al Mayādīn", "Al-Muhasan", "Al-Quriyah"]
    m = one(ex, "Some 300 families fled Qusayr to the Bekaa valley towns of Zahle and Baalbek.")
    assert [d.name for d in m.destinations] == ["Zahlé", "Baalbek"]  # the valley only says where the towns are


def test_a_line_label_is_the_end_its_line_does_not_name(ex):
    r = ex.extract("Some 49,414 people have been evacuated under local agreements:\n"
                   "- Harasta: 4,595 people, including 1,413 fighters, evacuated to Idleb governorate in two convoys;\n"
                   "- Douma: 4,000 people arrived from Qaboun.\n", source="t.txt")
    routes = {m.count: (m.origin.name if m.origin else None, [d.name for d in m.destinations]) for m in r.movements}
    assert routes[4595] == ("Ḩarastā", ["Idleb governorate"])
    assert routes[4000] == ("Qaboun", ["Dūmā"])


def test_the_place_a_sentence_opens_with_is_where_people_are_moved_on_from():
    ss = Extractor(Gazetteer.world(), country="SS")
    m = one(ss, "In Malakal, the transit site hosts some 6,700 people awaiting onward transport, and 850 are due "
                "to be airlifted to Aweil and Wau before the end of the month.")
    assert (m.origin.name, m.count) == ("Malakal", 850)
    ph = Extractor(Gazetteer.world(), country="PH")
    r = ph.extract("In Bacacay, 119 families or 548 persons were moved to one evacuation center.", source="t.txt")
    assert all(m.origin is None for m in r.movements)  # no place named where they went: not an origin


def test_lines_of_place_and_figure_under_a_heading_are_one_sentence_each():
    text = ("As IDPs continue to arrive, increases were noted in:\nMueda: 6,401\nNangade: 4,917\nPemba: 3,251\n\n"
            "People continue to move by bus from Nangade to Mueda, Montepuez and Pemba.")
    assert [text[a:b] for a, b in split_sentences(text)][1:4] == ["Mueda: 6,401", "Nangade: 4,917", "Pemba: 3,251"]
    r = Extractor(Gazetteer.world(), country="MZ").extract(text, source="t.txt")
    routes = {m.count: [d.name for d in m.destinations] for m in r.movements}
    assert routes[6401] == ["Mueda"] and routes[3251] == ["Pemba"]
    assert 4917 not in routes  # its line names a place the gazetteer lacks: no other line's places


def test_a_running_total_takes_no_destinations_from_a_later_sentence_unless_it_speaks_of_them(ex):
    r = ex.extract("In all, 2,150 people have left Wadi Barada since Sunday. On Tuesday buses headed for Idlib "
                   "and Sarmada.", source="t.txt")
    assert [m.destinations for m in r.movements if m.count == 2150] == [()]
    r = ex.extract("In all, 2,150 people have left Wadi Barada since Sunday. They were taken to Idlib.",
                   source="t.txt")
    assert [[d.name for d in m.destinations] for m in r.movements if m.count == 2150] == [["Idlib"]]


def test_a_deal_that_aimed_to_move_people_states_a_plan(ex):
    m = one(ex, "The deal had aimed to move 1,160 armed men out of Qalamoun.")
    assert m.count_kind.value == "planned"

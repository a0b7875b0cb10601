import json
import random
from pathlib import Path

import pytest

from annotator.domain.passages import (
    WINDOW,
    PassageCluster,
    _bucket_pairs,
    carried_cluster_spans,
    carried_spans,
    paragraphs,
    passage_clusters,
)

FIXTURES = Path(__file__).parents[2] / "fixtures"
SEEDS = {path.name[:3]: path.read_text(encoding="utf-8") for path in FIXTURES.glob("seeds/*.txt")}
(SINCE_APRIL,) = [p for p in SEEDS["000"].split("\n") if p.startswith("Since late April")]
FILLER = "A report on an entirely different matter, with nothing in common with the rest at all."


def first_words(cluster: PassageCluster, count: int = 4) -> list[str]:
    return [
        " ".join(SEEDS[doc_id][start:end].split()[:count]) for doc_id, start, end in cluster.members
    ]


def demo_spans(name: str, annotator: str = "annotator1") -> list[tuple]:
    """The demo annotator's spans on a seed, as (start, end, label, attributes)."""
    demo = json.loads((FIXTURES / "demo_annotations.json").read_text(encoding="utf-8"))
    (article,) = [key for key in demo if key.startswith(name)]
    text, spans = SEEDS[name], []
    for phrase, occurrence, label, attributes in demo[article][annotator]:
        start = -1
        for _ in range(occurrence):
            start = text.index(phrase, start + 1)
        spans.append((start, start + len(phrase), label, attributes))
    return spans


def test_paragraphs_are_the_non_blank_lines_trimmed_in_code_points():
    text = "  Title 😀 here \r\n\r\n\tBody with Ma’arat al-Num’an.  \n \nLast"
    found = paragraphs(text)
    assert [p.text for p in found] == ["Title 😀 here", "Body with Ma’arat al-Num’an.", "Last"]
    assert all(text[p.start : p.end] == p.text for p in found)


def test_the_seeds_share_four_paragraphs_all_between_000_and_001():
    clusters = passage_clusters(SEEDS.items())
    assert [cluster.documents for cluster in clusters] == [["000", "001"]] * 4
    assert [first_words(cluster)[0] for cluster in clusters] == [
        "The latest assault has",
        "Since late April, the",
        "More than 30 medical",
        "The Russian-regime offensive, to",
    ]
    # Two word for word; "Hama’s" became "Hama Province’s", and a place was added.
    assert [cluster.exact for cluster in clusters] == [True, False, True, False]
    for cluster in clusters:
        assert first_words(cluster, 8)[0] == first_words(cluster, 8)[1]


def test_a_lower_threshold_adds_the_paragraph_001_extends_with_a_sentence():
    clusters = passage_clusters(SEEDS.items(), threshold=0.7)
    assert len(clusters) == 5
    assert first_words(clusters[0]) == ["On Monday, as the"] * 2


@pytest.mark.parametrize(
    "variant",
    [
        SINCE_APRIL.replace("about 700", "about 750"),
        SINCE_APRIL.replace("Hama’s", "Hama's"),
        SINCE_APRIL.replace(" — ", " - ").replace(", ", " "),
        SINCE_APRIL.replace(" ", "  ").replace("attacks", "attacks\t"),
        SINCE_APRIL.upper(),
    ],
    ids=["a word changed", "apostrophe", "punctuation", "white space", "case"],
)
def test_near_duplicates_are_one_cluster(variant):
    documents = [("a", FILLER + "\n" + SINCE_APRIL), ("b", variant), ("c", SEEDS["003"])]
    (cluster,) = passage_clusters(documents)
    assert cluster.documents == ["a", "b"]
    assert cluster.members[0][1:] == (len(FILLER) + 1, len(FILLER) + 1 + len(SINCE_APRIL))
    assert not cluster.exact


def test_exact_copies_are_one_exact_cluster_whatever_the_number_of_documents():
    documents = [(n, f"Byline {n}\n\n{SINCE_APRIL}\n") for n in range(5)]
    (cluster,) = passage_clusters(documents)
    assert cluster.exact
    assert cluster.documents == [0, 1, 2, 3, 4]
    assert len(cluster.members) == 5


def test_short_lines_and_paragraphs_on_other_events_are_not_shared():
    shared = "Syria\nBy our correspondent\nSee Syria Daily, July 23\n"
    documents = [(1, shared + SEEDS["002"]), (2, shared + SEEDS["003"])]
    # Both say "The offensive has killed … civilians" of different counts on different days.
    assert passage_clusters(documents) == []


def test_a_paragraph_repeated_within_one_document_only_is_not_shared():
    assert passage_clusters([(1, SINCE_APRIL + "\n" + SINCE_APRIL), (2, FILLER)]) == []


def test_the_same_documents_in_another_order_give_the_same_clusters():
    documents = list(SEEDS.items())
    assert passage_clusters(documents) == passage_clusters(reversed(documents))


def test_near_duplicates_at_the_threshold_are_found_among_many_paragraphs():
    rng = random.Random(7)
    vocabulary = [f"word{n}" for n in range(3000)]
    documents, expected = [], {}
    for n in range(300):
        words = rng.choices(vocabulary, k=60)
        copy = list(words)
        copy[rng.randrange(3, 57)] = "changed"  # Jaccard 57/63 of the 3-grams, about 0.9
        documents += [(f"{n}a", " ".join(words)), (f"{n}b", " ".join(copy))]
        expected[f"{n}a"] = [f"{n}a", f"{n}b"]
    clusters = passage_clusters(documents)
    assert sorted(cluster.documents for cluster in clusters) == sorted(expected.values())


def test_carried_spans_land_on_the_same_words():
    clusters = passage_clusters([("000", SEEDS["000"]), ("001", SEEDS["001"])])
    since_april = clusters[1]
    (_, target_start, target_end), (_, source_start, source_end) = since_april.members
    gold = demo_spans("001")
    in_paragraph = [span for span in gold if source_start <= span[0] < source_end]
    carried = carried_spans(
        SEEDS["001"],
        (source_start, source_end),
        SEEDS["000"],
        (target_start, target_end),
        gold,
    )
    assert [SEEDS["000"][start:end] for start, end, *_ in carried] == [
        "about 700 civilians",
        "more than 150 children",
        "More than 2,200 people",
        "at least 330,000",
    ]
    assert [span[2:] for span in carried] == [span[2:] for span in in_paragraph]
    # 000 is shorter before these words: the offsets moved.
    assert [span[0] for span in carried] != [span[0] for span in in_paragraph]


def test_carried_spans_follow_inserted_words_and_leave_changed_ones_behind():
    source = "Warplanes attacked Binnish, with seven people killed in Idlib city and six in Ariha."
    target = (
        "Warplanes attacked Binnish at dawn, with 7 people killed in Idlib city and six in Ariha."
    )
    spans = [
        (source.index("Binnish"), source.index("Binnish") + 7, "LOCATION"),
        (source.index("seven people"), source.index("seven people") + 12, "CASUALTY_FIGURE"),
        (source.index("Idlib"), source.index("Idlib") + 5, "LOCATION"),
        (source.index("six"), source.index("six") + 3, "CASUALTY_FIGURE"),
    ]
    carried = carried_spans(source, (0, len(source)), target, (0, len(target)), spans)
    assert [(target[start:end], label) for start, end, label in carried] == [
        ("Binnish", "LOCATION"),
        ("Idlib", "LOCATION"),
        ("six", "CASUALTY_FIGURE"),
    ]


def test_carried_spans_keep_apostrophe_variants_as_written_in_the_target():
    source = "On Monday, as the Pope’s envoy met Bashar al-Assad in Damascus, they talked."
    target = "On Monday, as the Pope's envoy met Bashar al-Assad in Damascus, they talked."
    start = source.index("Pope’s envoy")
    carried = carried_spans(
        source, (0, len(source)), target, (0, len(target)), [(start, start + 12, "ACTOR")]
    )
    assert [target[s:e] for s, e, _ in carried] == ["Pope's envoy"]


def test_gold_of_one_document_is_offered_in_the_shared_paragraphs_of_another():
    clusters = passage_clusters(SEEDS.items(), threshold=0.7)
    gold = {"001": demo_spans("001")}
    suggested = [
        (SEEDS["000"][start:end], label)
        for cluster in clusters
        for start, end, label, _ in carried_cluster_spans(cluster, SEEDS, gold, "000")
    ]
    assert suggested == [
        ("at least 59 people", "CASUALTY_FIGURE"),
        ("more than 100", "CASUALTY_FIGURE"),
        ("about 700 civilians", "CASUALTY_FIGURE"),
        ("more than 150 children", "CASUALTY_FIGURE"),
        ("More than 2,200 people", "CASUALTY_FIGURE"),
        ("at least 330,000", "CASUALTY_FIGURE"),
    ]
    # No gold of its own is offered back to a document.
    assert all(carried_cluster_spans(c, SEEDS, gold, "001") == [] for c in clusters)


def test_a_threshold_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="threshold"):
        passage_clusters(SEEDS.items(), threshold=1.5)


def test_rows_of_marks_between_passages_do_not_tie_documents():
    separator = "* * * * * * * * * *"
    assert passage_clusters([(1, f"{separator}\nOne."), (2, f"{separator}\nTwo.")]) == []


def test_hundreds_of_near_copies_are_one_cluster_compared_in_a_window():
    # A template filled in by an outlet: every copy shares most bands with every other, so
    # comparing all pairs would grow with the square of the copies.
    template = (
        "Local sources said the strike on the crowded market in {} killed civilians and "
        "wounded many more people, most of them women and children queuing for bread there, "
        "according to rescue workers who reached the area hours after the first of the raids."
    )
    towns = [f"town{n}" for n in range(300)]
    documents = [(n, template.format(town)) for n, town in enumerate(towns)]

    (cluster,) = passage_clusters(documents)

    assert set(cluster.documents) == set(range(300))
    assert len(list(_bucket_pairs(list(range(300))))) < 300 * WINDOW

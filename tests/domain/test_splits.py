from pathlib import Path

import pytest

from annotator.domain.passages import passage_clusters
from annotator.domain.splits import SPLITS, assign_splits

SEEDS = sorted((Path(__file__).parents[2] / "fixtures" / "seeds").glob("*.txt"))


def distinct_text(number: int) -> str:
    return f"Report number {number} tells of shelling in a town far from any other town here."


def test_the_two_seed_articles_that_share_paragraphs_land_in_one_split():
    texts = {seed.name: seed.read_text(encoding="utf-8") for seed in SEEDS}
    first, second = sorted(texts)[:2]
    assert passage_clusters([(first, texts[first]), (second, texts[second])])
    documents = list(texts.items()) + [(n, distinct_text(n)) for n in range(40)]
    for seed in range(20):
        splits = assign_splits(documents, seed=seed)
        assert splits[first] == splits[second]


def test_short_shared_lines_do_not_tie_documents():
    shared = "Syria\nBy our correspondent\n"
    assert passage_clusters([(1, shared + distinct_text(1)), (2, shared + distinct_text(2))]) == []


def test_documents_sharing_a_near_duplicate_paragraph_land_in_one_split():
    paragraph = (
        "The Russian-regime offensive, to retake part of the last major opposition area in "
        "Syria, began on May 6. It took several towns and villages in the first two weeks, but "
        "was then checked by Turkish-backed rebels of the National Liberation Front."
    )
    edited = paragraph.replace("several", "many").replace(", began", " began")
    documents = [("a", paragraph + "\n" + distinct_text(1)), ("b", edited)]
    documents += [(n, distinct_text(n)) for n in range(40)]
    for seed in range(20):
        splits = assign_splits(documents, seed=seed)
        assert splits["a"] == splits["b"]


def test_sizes_follow_the_ratios():
    splits = assign_splits([(n, distinct_text(n)) for n in range(1000)], (0.8, 0.1, 0.1), seed=3)
    sizes = {name: list(splits.values()).count(name) for name in SPLITS}
    assert sizes == {"train": 800, "dev": 100, "test": 100}


def test_the_same_seed_gives_the_same_splits_whatever_the_input_order():
    documents = [(n, distinct_text(n)) for n in range(50)]
    assert assign_splits(documents, seed=5) == assign_splits(list(reversed(documents)), seed=5)
    assert assign_splits(documents, seed=5) != assign_splits(documents, seed=6)


def test_a_zero_share_gets_no_documents():
    splits = assign_splits([(n, distinct_text(n)) for n in range(20)], (1, 0, 1))
    assert "dev" not in splits.values()


@pytest.mark.parametrize("ratios", [(0.5, 0.5), (-1, 1, 1), (0, 0, 0)])
def test_bad_ratios_are_refused(ratios):
    with pytest.raises(ValueError, match="ratios"):
        assign_splits([(1, "text")], ratios)

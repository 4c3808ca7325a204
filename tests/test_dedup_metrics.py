"""The dedup benchmark's scoring helpers on hand-made partitions, and the syndication corpus
generator's reproducibility and truth file."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from html import escape
from pathlib import Path

import pytest

from bench.dedup_metrics import (
    Scores,
    adjusted_rand_index,
    direction_accuracy,
    link_scores,
    pairwise_scores,
    unrelated_links,
)
from bench.quote_corpus import generate as generate_quotes
from bench.syndication_corpus import generate


def labels(*clusters: str) -> dict[str, str]:
    """labels("ab", "c") == {"a": "0", "b": "0", "c": "1"}: one string of one-letter items per cluster."""
    return {item: str(n) for n, cluster in enumerate(clusters) for item in cluster}


def test_identical_partitions_score_one_whatever_the_label_names() -> None:
    truth = labels("abc", "de", "f")
    renamed = {item: f"x{label}" for item, label in truth.items()}
    assert pairwise_scores(truth, renamed) == Scores(1.0, 1.0, 1.0, 4, 4, 4)
    assert adjusted_rand_index(truth, renamed) == 1.0


def test_degenerate_identical_partitions_have_ari_one() -> None:
    assert adjusted_rand_index(labels("a", "b", "c"), labels("a", "b", "c")) == 1.0
    assert adjusted_rand_index(labels("abc"), labels("abc")) == 1.0
    assert adjusted_rand_index({}, {}) == 1.0
    assert adjusted_rand_index({"a": "1"}, {"a": "2"}) == 1.0


def test_everything_merged_is_full_recall_low_precision() -> None:
    truth = labels("abc", "de", "f")  # 3 + 1 true pairs out of 15
    scores = pairwise_scores(truth, labels("abcdef"))
    assert (scores.true_pairs, scores.predicted_pairs, scores.correct_pairs) == (4, 15, 4)
    assert scores.recall == 1.0
    assert scores.precision == pytest.approx(4 / 15)
    assert scores.f1 == pytest.approx(2 * (4 / 15) / (1 + 4 / 15))
    assert adjusted_rand_index(truth, labels("abcdef")) == 0.0


def test_everything_split_predicts_no_pairs() -> None:
    truth = labels("abc", "de", "f")
    scores = pairwise_scores(truth, labels(*"abcdef"))
    assert scores == Scores(1.0, 0.0, 0.0, 4, 0, 0)
    assert adjusted_rand_index(truth, labels(*"abcdef")) == 0.0


def test_known_ari_values() -> None:
    # scikit-learn's documented example: adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) == 4/7.
    assert adjusted_rand_index(labels("ab", "cd"), labels("ab", "c", "d")) == pytest.approx(4 / 7)
    # Symmetric, and worse than chance goes negative: [0, 0, 1, 1] vs [0, 1, 0, 1] → -0.5.
    assert adjusted_rand_index(labels("ab", "c", "d"), labels("ab", "cd")) == pytest.approx(4 / 7)
    assert adjusted_rand_index(labels("ab", "cd"), labels("ac", "bd")) == pytest.approx(-0.5)
    # Hand count: truth {abc}{def}, predicted {ab}{cd}{ef}: pairs 6 / 3 / 2 correct, n = 6 (15 pairs).
    expected = 6 * 3 / 15
    ari = (2 - expected) / ((6 + 3) / 2 - expected)
    assert adjusted_rand_index(labels("abc", "def"), labels("ab", "cd", "ef")) == pytest.approx(ari)
    assert pairwise_scores(labels("abc", "def"), labels("ab", "cd", "ef")) == Scores.from_counts(6, 3, 2)


def test_items_must_match() -> None:
    with pytest.raises(ValueError, match=r"missing from predicted: c"):
        pairwise_scores(labels("abc"), labels("ab"))
    with pytest.raises(ValueError, match=r"missing from truth: z"):
        adjusted_rand_index(labels("ab"), labels("abz"))


def test_link_scores_are_directed() -> None:
    truth = {("post1", "src1"), ("post2", "src2"), ("post3", "src3")}
    predicted = {("post1", "src1"), ("src2", "post2")}
    scores = link_scores(truth, predicted)
    assert scores == Scores.from_counts(3, 2, 1)
    assert (scores.precision, scores.recall) == (0.5, pytest.approx(1 / 3))
    assert link_scores(set(), set()) == Scores(1.0, 1.0, 1.0, 0, 0, 0)


def files_of(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_small_corpus_is_reproducible_and_its_truth_consistent(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", stories=8, seed=3)
    second = generate(tmp_path / "b", stories=8, seed=3)
    assert first == second
    files = files_of(tmp_path / "a")
    assert files == files_of(tmp_path / "b")
    assert generate(tmp_path / "a", stories=8, seed=3) == first  # a previous corpus is replaced
    assert files_of(tmp_path / "a") == files

    truth = json.loads(files["truth.json"])
    assert (truth["seed"], truth["stories_requested"]) == (3, 8)
    articles, variants = truth["articles"], truth["url_variants"]
    listed = [a["file"] for a in articles] + [v["file"] for v in variants]
    assert sorted(listed) == sorted(set(files) - {"truth.json"})  # every page listed, once
    assert first["pages"] == len(listed)

    urls = {a["url"]: a for a in articles}
    assert len(urls) == len(articles)
    stories = Counter(a["story"] for a in articles)
    assert first["stories"] == len(stories)
    assert all(label.startswith("s") for label in stories)
    originals = Counter(a["story"] for a in articles if a["role"] == "original")
    assert len(originals) == 8 and set(originals.values()) == {1}
    for a in articles:
        assert a["role"] in {"original", "copy", "quote_post", "same_topic", "followup", "boilerplate_negative"}
        if a["role"] == "copy":
            assert a["story"] in originals
        elif a["role"] != "original":
            assert stories[a["story"]] == 1  # quote posts and negatives are singletons
        html = files[a["file"]].decode()
        canonical = a["declares_canonical_of"] or a["url"]
        assert f'<link rel="canonical" href="{canonical}">' in html
        assert f'<meta property="og:url" content="{a["url"]}">' in html
        assert f'<meta property="article:published_time" content="{a["published"]}">' in html
        if a["declares_canonical_of"]:
            source = urls[a["declares_canonical_of"]]
            assert (source["role"], source["story"]) == ("original", a["story"])
    for v in variants:
        assert urls[v["same_as"]]["story"] == v["story"]
        assert escape(v["url"]) in files[v["file"]].decode()  # tracking URLs carry "&"

    assert truth["quotes"], "a corpus with quote posts"
    for q in truth["quotes"]:
        post, source = urls[q["post"]], urls[q["source"]]
        assert post["role"] == "quote_post"
        assert source["role"] in ("original", "copy") and source["story"] == q["source_story"]
        assert 0 < q["fraction"] < 1
    for f in truth["followups"]:
        assert urls[f["post"]]["role"] == "followup" and urls[f["reuses"]]["story"] == f["source_story"]
    for n in truth["negatives"]:
        assert urls[n["a"]]["story"] != urls[n["b"]]["story"]


def test_direction_counts_right_and_reversed_links_only() -> None:
    truth = {("post", "S"), ("post2", "S")}
    story = {"post": "P", "post2": "P2", "orig": "S", "copy": "S", "other": "O"}
    links = {("post", "orig"), ("orig", "post2"), ("copy", "post"), ("other", "orig")}
    assert direction_accuracy(truth, story, links) == (1, 2)


def test_unrelated_links_are_those_only_a_shared_block_explains() -> None:
    story = {"a": "1", "b": "2", "c": "2", "d": "3", "e": "4"}
    holders = {"a", "b", "c", "d"}
    links = {("a", "b"), ("b", "c"), ("d", "a"), ("e", "a")}
    # b-c are one story, d quotes a's story, e holds no block.
    assert unrelated_links(links, holders, story, {("d", "1")}) == [("a", "b")]


def test_quote_corpus_has_dated_urls_same_day_quotes_and_a_shared_block(tmp_path: Path) -> None:
    counts = generate_quotes(tmp_path / "q", stories=12, seed=3)
    truth = json.loads((tmp_path / "q" / "truth.json").read_text())
    urls = {a["url"]: a for a in truth["articles"]}
    assert counts["pages"] == len(urls)
    assert len({url.split("/")[2] for url in urls}) <= 8
    assert all(re.search(r"/20\d\d/\d\d/\d\d/", url) for url in urls)
    for q in truth["quotes"]:
        post, source = urls[q["post"]], urls[q["source"]]
        assert 0.3 <= q["fraction"] <= 0.5 and post["url"].split("/")[2] != source["url"].split("/")[2]
        later = datetime.fromisoformat(post["published"]) - datetime.fromisoformat(source["published"])
        assert 1 <= later.total_seconds() / 3600 <= 8  # the same day, a few hours apart
    holders = truth["block_holders"]
    assert 0.05 <= len(holders) / len(urls) <= 0.1
    assert len({urls[h]["story"] for h in holders}) == len(holders)  # unrelated to each other
    assert len({h.split("/")[2] for h in holders}) >= 3

"""Scores for a dedup run against the syndication corpus's truth: pairwise precision/recall/F1
and the adjusted Rand index over clusterings, and precision/recall/F1 over directed quote links.

Pure functions, no I/O. Cluster scores come from the contingency table (pair counts are
n·(n-1)/2 per cell), so a corpus of thousands of articles costs O(n), not O(n²) pairs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 over pairs, with the counts they come from.

    With no predicted pairs precision is 1.0 (nothing wrong was claimed); with no true pairs
    recall is 1.0 (nothing was missed). F1 is 0.0 when both precision and recall are 0.
    """

    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @classmethod
    def from_counts(cls, true_pairs: int, predicted_pairs: int, correct_pairs: int) -> Scores:
        precision = correct_pairs / predicted_pairs if predicted_pairs else 1.0
        recall = correct_pairs / true_pairs if true_pairs else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1, true_pairs, predicted_pairs, correct_pairs)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _check_same_items(truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> None:
    missing = sorted(set(truth) - set(predicted))
    extra = sorted(set(predicted) - set(truth))
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"{len(missing)} item(s) missing from predicted: {', '.join(missing[:5])}")
        if extra:
            parts.append(f"{len(extra)} item(s) missing from truth: {', '.join(extra[:5])}")
        raise ValueError("truth and predicted must label the same items; " + "; ".join(parts))


def _contingency(truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> tuple[int, int, int, int]:
    """(n, same-cluster pairs in truth, in predicted, in both) for two labelings of the same items."""
    _check_same_items(truth, predicted)
    cells = Counter((label, predicted[item]) for item, label in truth.items())
    both = sum(_pairs(count) for count in cells.values())
    in_truth = sum(_pairs(count) for count in Counter(truth.values()).values())
    in_predicted = sum(_pairs(count) for count in Counter(predicted.values()).values())
    return len(truth), in_truth, in_predicted, both


def pairwise_scores(truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> Scores:
    """Pairwise precision/recall/F1 of ``predicted`` clusters against ``truth`` clusters.

    Both map item → cluster label over the same items (labels need not match between the
    two; only which items share a label counts). A pair is correct when both mappings put
    its two items in one cluster. Raises ValueError naming the items only one side has.
    """
    _, in_truth, in_predicted, both = _contingency(truth, predicted)
    return Scores.from_counts(in_truth, in_predicted, both)


def adjusted_rand_index(truth: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> float:
    """Hubert–Arabie adjusted Rand index of two clusterings of the same items.

    1.0 for identical partitions (including the degenerate all-singletons and all-one-cluster
    cases, where the chance-corrected formula is 0/0), about 0.0 for chance agreement, and
    negative below chance.
    """
    n, in_truth, in_predicted, both = _contingency(truth, predicted)
    total = _pairs(n)
    if total == 0:
        return 1.0
    expected = in_truth * in_predicted / total
    maximum = (in_truth + in_predicted) / 2
    if maximum == expected:
        # Only when both sides are all singletons or both one cluster, i.e. identical.
        return 1.0
    return (both - expected) / (maximum - expected)


def link_scores(truth_pairs: set[tuple[str, str]], predicted_pairs: set[tuple[str, str]]) -> Scores:
    """Precision/recall/F1 of directed links, e.g. (quoting post, quoted source).

    Direction matters: (a, b) and (b, a) are different links.
    """
    return Scores.from_counts(len(truth_pairs), len(predicted_pairs), len(truth_pairs & predicted_pairs))


def direction_accuracy(
    truth_quotes: set[tuple[str, str]], story: Mapping[str, str], predicted_links: set[tuple[str, str]]
) -> tuple[int, int]:
    """(right, reversed) among predicted quote links (post, quoted) that join a true quote pair.

    ``truth_quotes`` holds (post, quoted story); ``story`` maps every item to its story. A
    link is right when its post quotes its target's story, reversed when the target is
    the post that quotes the link's post's story; links joining no true pair count in neither.
    """
    right = reversed_ = 0
    for post, quoted in predicted_links:
        if (post, story[quoted]) in truth_quotes:
            right += 1
        elif (quoted, story[post]) in truth_quotes:
            reversed_ += 1
    return right, reversed_


def unrelated_links(
    links: set[tuple[str, str]], holders: set[str], story: Mapping[str, str], truth_quotes: set[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Links between two ``holders`` (of a shared block) that nothing else relates:
    not one story, and neither quoting the other's story."""
    return sorted(
        (a, b)
        for a, b in links
        if a in holders
        and b in holders
        and story[a] != story[b]
        and (a, story[b]) not in truth_quotes
        and (b, story[a]) not in truth_quotes
    )

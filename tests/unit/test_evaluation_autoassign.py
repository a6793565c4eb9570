"""The automatic assignment rule (app/evaluation/assignment.plan) on hand-made data: coverage, load cap, balance,
conflicts, preferences (−2 only as a last resort), determinism, what stays uncovered."""
from app.evaluation.assignment import plan


def reviewers_of(result, cid):
    return sorted(rid for c, rid in result.pairs if c == cid)


def test_every_candidacy_gets_its_reviewers_balanced():
    result = plan([1, 2, 3], [10, 20, 30], per_candidacy=2, max_load=6)
    assert all(len(reviewers_of(result, cid)) == 2 for cid in (1, 2, 3))
    assert sorted(result.load.values()) == [2, 2, 2]
    assert result.uncovered == {}


def test_the_same_data_gives_the_same_plan():
    args = dict(per_candidacy=2, max_load=3, preferences={(2, 30): 1}, conflicts={(1, 10)})
    assert plan([3, 1, 2], [30, 10, 20], **args).pairs == plan([1, 2, 3], [10, 20, 30], **args).pairs


def test_conflicted_and_taken_pairs_are_never_chosen():
    result = plan([1, 2], [10, 20, 30], per_candidacy=2, max_load=6, conflicts={(1, 10)}, taken={(2, 20)})
    assert 10 not in reviewers_of(result, 1)
    assert 20 not in reviewers_of(result, 2)
    assert reviewers_of(result, 1) == [20, 30]


def test_existing_live_assignments_count_for_coverage_and_load():
    result = plan([1, 2], [10, 20, 30], per_candidacy=2, max_load=6, live={1: {10, 20}})
    assert reviewers_of(result, 1) == []
    assert reviewers_of(result, 2) == [30, 10] or sorted(reviewers_of(result, 2)) == [10, 30]
    assert result.load[30] == 1  # the least loaded came first


def test_max_load_is_never_exceeded_and_the_shortfall_is_reported():
    result = plan([1, 2, 3], [10, 20], per_candidacy=2, max_load=2)
    assert all(load <= 2 for load in result.load.values())
    assert len(result.pairs) == 4
    assert sum(result.uncovered.values()) == 2


def test_higher_preference_wins_among_equally_loaded():
    result = plan([1], [10, 20, 30], per_candidacy=1, max_load=6, preferences={(1, 30): 2, (1, 20): 1})
    assert reviewers_of(result, 1) == [30]


def test_minus_two_only_when_nobody_else_is_possible():
    # 10 said −2 and is the least loaded: still, 20 (more loaded) is chosen.
    result = plan([1], [10, 20], per_candidacy=1, max_load=6, live={9: {20}}, preferences={(1, 10): -2})
    assert reviewers_of(result, 1) == [20]
    # nobody else is possible: the −2 is used rather than leaving the candidacy uncovered
    result = plan([1], [10, 20], per_candidacy=2, max_load=6, preferences={(1, 10): -2})
    assert reviewers_of(result, 1) == [10, 20]
    assert result.uncovered == {}


def test_the_most_constrained_candidacy_is_served_first():
    # Only 10 may review candidacy 2; with a cap of 1 it must not be used up on candidacy 1.
    result = plan([1, 2], [10, 20], per_candidacy=1, max_load=1, conflicts={(2, 20)})
    assert reviewers_of(result, 2) == [10]
    assert reviewers_of(result, 1) == [20]
    assert result.uncovered == {}


def test_no_reviewers_leaves_everything_uncovered():
    result = plan([1, 2], [], per_candidacy=2, max_load=6)
    assert result.pairs == [] and result.uncovered == {1: 2, 2: 2}

"""The agreement coefficients against independent implementations, on seeded random data.

The oracles are test-only dependencies, imported here at the top on purpose: a missing oracle
fails this module loudly instead of skipping it. `krippendorff` is GPL-3.0 and is never imported
by the application; scikit-learn and statsmodels are BSD-3-Clause.
"""

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

from annotator.domain.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha

TRIALS = range(25)


def reliability_data(rng, level):
    """Coders × units with about a quarter of the values missing, at least two distinct."""
    while True:
        coders, units = rng.integers(2, 6), rng.integers(3, 60)
        if level == "interval":
            values = np.round(rng.normal(10, 4, size=(coders, units)), 2)
        else:
            values = rng.integers(0, rng.integers(2, 8), size=(coders, units)).astype(float)
        values[rng.random(size=values.shape) < 0.25] = np.nan
        pairable = values[:, (~np.isnan(values)).sum(axis=0) >= 2]
        if len(np.unique(pairable[~np.isnan(pairable)])) >= 2:
            return values


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", TRIALS)
def test_krippendorff_alpha_matches_the_krippendorff_package(level, seed):
    values = reliability_data(np.random.default_rng([seed, len(level)]), level)
    expected = krippendorff.alpha(reliability_data=values, level_of_measurement=level)
    with_none = [[None if np.isnan(value) else value for value in row] for row in values.tolist()]
    assert krippendorff_alpha(with_none, level) == pytest.approx(expected, abs=1e-9)
    assert krippendorff_alpha(values, level) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", TRIALS)
def test_nominal_alpha_on_labels_matches_the_krippendorff_package(seed):
    rng = np.random.default_rng([seed, 99])
    values = reliability_data(rng, "nominal")
    labels = [
        ["CLA"[int(value) % 3] + str(int(value)) if value == value else None for value in row]
        for row in values.tolist()
    ]
    expected = krippendorff.alpha(
        reliability_data=[[np.nan if label is None else label for label in row] for row in labels],
        level_of_measurement="nominal",
    )
    assert krippendorff_alpha(labels) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", TRIALS)
def test_cohen_kappa_matches_scikit_learn(seed):
    rng = np.random.default_rng([seed, 1])
    items = rng.integers(5, 300)
    categories = ["CASUALTY_FIGURE", "LOCATION", "ACTOR", None][: rng.integers(2, 5)]
    first = [categories[i] for i in rng.integers(0, len(categories), size=items)]
    # The second coder copies the first most of the time, so kappa spans a useful range.
    second = [
        value if rng.random() < 0.6 else categories[rng.integers(0, len(categories))]
        for value in first
    ]
    as_text = [str(value) for value in first], [str(value) for value in second]
    assert cohen_kappa(first, second) == pytest.approx(cohen_kappa_score(*as_text), abs=1e-9)


@pytest.mark.parametrize("seed", TRIALS)
def test_fleiss_kappa_matches_statsmodels(seed):
    rng = np.random.default_rng([seed, 2])
    counts = np.zeros((1, 1))
    while np.count_nonzero(counts.sum(axis=0)) < 2:  # one category used: both are 0/0
        items, raters, categories = rng.integers(2, 40), rng.integers(2, 15), rng.integers(2, 7)
        weights = rng.dirichlet(np.ones(categories))
        counts = np.array([rng.multinomial(raters, weights) for _ in range(items)])
    expected = statsmodels_fleiss_kappa(counts, method="fleiss")
    assert fleiss_kappa(counts.tolist()) == pytest.approx(expected, abs=1e-9)

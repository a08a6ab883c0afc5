//! Builders for the small scenarios the analysis tests use, assembled directly from model
//! types so that the tests do not depend on the scenario file format.

use crate::model::{
    Information, Issue, IssueKind, Party, Preferences, Scenario, ScenarioParts, StrategySpec,
    TimeDependentFamily, ValueFn,
};

/// A continuous issue on `[min, max]`.
pub(crate) fn continuous(id: &str, min: f64, max: f64) -> Issue {
    Issue::new(id.into(), id.into(), IssueKind::Continuous { min, max, unit: String::new() })
}

/// An ordinal issue with `n_levels` levels named `l0`, `l1`, ...
pub(crate) fn ordinal(id: &str, n_levels: usize) -> Issue {
    let levels = (0..n_levels).map(|i| format!("l{i}")).collect();
    Issue::new(id.into(), id.into(), IssueKind::Ordinal { levels })
}

/// A party with a linear time-dependent strategy, no discounting, and the given preferences.
pub(crate) fn party(id: &str, reservation: f64, weights: &[f64], values: Vec<ValueFn>) -> Party {
    let strategy =
        StrategySpec::TimeDependent { exponent: 1.0, family: TimeDependentFamily::Linear };
    Party::new(
        id.into(),
        id.into(),
        reservation,
        1.0,
        strategy,
        weights.to_vec(),
        Preferences::new(weights, values),
    )
}

/// A scenario with these issues and parties and neutral protocol settings.
pub(crate) fn scenario(issues: Vec<Issue>, parties: Vec<Party>) -> Scenario {
    Scenario::from_parts(ScenarioParts {
        name: "test".into(),
        description: String::new(),
        max_rounds: 10,
        seed: 0,
        order: (0..parties.len()).collect(),
        breakdown_risk: 0.0,
        information: Information::Complete,
        issues,
        parties,
        events: Vec::new(),
        observed: None,
        assumptions: Vec::new(),
        sweeps: Vec::new(),
    })
}

/// The number of cases of a property test: `default`, or `ACCORD_PROPTEST_CASES` when set
/// (the heavier check the docs name).
pub(crate) fn proptest_cases(default: u32) -> u32 {
    std::env::var("ACCORD_PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

/// The configuration of the property tests: [`proptest_cases`] cases (`default`, or
/// `ACCORD_PROPTEST_CASES`), and no failure files written into the source tree.
pub(crate) fn proptest_config(default: u32) -> proptest::prelude::ProptestConfig {
    proptest::prelude::ProptestConfig {
        cases: proptest_cases(default),
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    }
}

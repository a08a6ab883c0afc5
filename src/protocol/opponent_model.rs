//! Learned opponent models: estimating another party's preferences from its offers.
//!
//! Used under `information = "learned"`. All offers are public, so after a party's first
//! offer every observer holds the same estimate of it; before that, each observer assumes
//! the party wants the opposite of what the observer wants.
//!
//! The estimate of party `q` from its offers `o_1 .. o_k`:
//! - ideal: `q`'s first offer (parties open with their best), with the default "tent"
//!   value function around it;
//! - weights: `w_i ∝ 1.1 - m_i`, where `m_i` is the average distance of `q`'s offers from
//!   its first offer on issue `i`, as a fraction of the issue's range. Issues a party gives
//!   ground on are taken to matter less to it (the frequency heuristic of the ANAC agents,
//!   in a form that also works for continuous issues); the 0.1 keeps every weight positive.

use crate::model::{Issue, Outcome, Preferences, ValueFn};

/// The prior estimate of another party, held by an observer with preferences `own`:
/// uniform weights, ideal at the value farthest from the observer's own best.
pub fn prior(issues: &[Issue], own: &Preferences) -> Preferences {
    let mine = own.best_outcome();
    let ideal: Vec<f64> = issues
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            let x = mine.get(i);
            if x - issue.lower() >= issue.upper() - x { issue.lower() } else { issue.upper() }
        })
        .collect();
    tents(issues, &vec![1.0; issues.len()], &ideal)
}

/// The estimate of a party from its offers so far (oldest first, at least one).
pub fn estimate<'a>(issues: &[Issue], offers: impl Iterator<Item = &'a Outcome>) -> Preferences {
    let mut first: Option<&Outcome> = None;
    let mut moved = vec![0.0; issues.len()];
    let mut n = 0usize;
    for offer in offers {
        let opening = *first.get_or_insert(offer);
        for (i, issue) in issues.iter().enumerate() {
            moved[i] += (offer.get(i) - opening.get(i)).abs() / (issue.upper() - issue.lower());
        }
        n += 1;
    }
    let first = first.expect("estimate needs at least one offer");
    let weights: Vec<f64> = moved.iter().map(|m| 1.1 - m / n as f64).collect();
    tents(issues, &weights, first.values())
}

fn tents(issues: &[Issue], weights: &[f64], ideal: &[f64]) -> Preferences {
    let values = issues
        .iter()
        .zip(ideal)
        .map(|(issue, x)| {
            if issue.is_ordinal() {
                ValueFn::tent_levels(issue.levels().len(), x.round() as usize)
            } else {
                ValueFn::tent(issue.lower(), issue.upper(), *x)
            }
        })
        .collect();
    Preferences::new(weights, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IssueKind;

    fn issues() -> Vec<Issue> {
        vec![
            Issue::new(
                "a".into(),
                "a".into(),
                IssueKind::Continuous { min: 0.0, max: 10.0, unit: String::new() },
            ),
            Issue::new(
                "b".into(),
                "b".into(),
                IssueKind::Continuous { min: 0.0, max: 10.0, unit: String::new() },
            ),
        ]
    }

    #[test]
    fn prior_assumes_opposed_interests() {
        let own = Preferences::new(
            &[1.0, 1.0],
            vec![ValueFn::tent(0.0, 10.0, 10.0), ValueFn::tent(0.0, 10.0, 2.0)],
        );
        let belief = prior(&issues(), &own);
        assert_eq!(belief.best_outcome(), Outcome::new(vec![0.0, 10.0]));
        assert_eq!(belief.weights(), &[0.5, 0.5]);
    }

    #[test]
    fn issues_a_party_concedes_on_weigh_less() {
        let offers = [
            Outcome::new(vec![0.0, 0.0]),
            Outcome::new(vec![5.0, 0.0]),
            Outcome::new(vec![10.0, 1.0]),
        ];
        let belief = estimate(&issues(), offers.iter());
        assert_eq!(belief.best_outcome(), Outcome::new(vec![0.0, 0.0]));
        assert!(belief.weights()[1] > belief.weights()[0]);
    }
}

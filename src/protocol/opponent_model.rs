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

/// The estimate of one party kept up to date offer by offer: the running sums behind
/// [`estimate`], so that each new offer costs one pass over the issues whatever the length
/// of the history. Its estimates are the same numbers as [`estimate`]'s on the same offers
/// (the sums are taken in the same order).
#[derive(Clone, Debug, Default)]
pub struct Learner {
    first: Vec<f64>,
    moved: Vec<f64>,
    n: usize,
    weights: Vec<f64>,
}

/// What one more offer changed in a [`Learner`]'s estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    /// The first offer: the estimate is new (build it with [`Learner::estimate`]).
    First,
    /// Only the weights changed (read them with [`Learner::raw_weights`]).
    Weights,
}

impl Learner {
    /// Forgets every offer (keeps the buffers).
    pub fn clear(&mut self) {
        self.first.clear();
        self.moved.clear();
        self.weights.clear();
        self.n = 0;
    }

    /// Takes the party's next offer into account.
    pub fn observe(&mut self, issues: &[Issue], offer: &Outcome) -> Update {
        let update = if self.n == 0 {
            self.first.clear();
            self.first.extend_from_slice(offer.values());
            self.moved.clear();
            self.moved.resize(issues.len(), 0.0);
            Update::First
        } else {
            Update::Weights
        };
        for (i, issue) in issues.iter().enumerate() {
            self.moved[i] += (offer.get(i) - self.first[i]).abs() / (issue.upper() - issue.lower());
        }
        self.n += 1;
        let n = self.n as f64;
        self.weights.clear();
        self.weights.extend(self.moved.iter().map(|m| 1.1 - m / n));
        update
    }

    /// The raw (unnormalized) weights of the current estimate.
    pub fn raw_weights(&self) -> &[f64] {
        &self.weights
    }

    /// The current estimate (after at least one offer).
    pub fn estimate(&self, issues: &[Issue]) -> Preferences {
        tents(issues, &self.weights, &self.first)
    }
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

    #[test]
    fn the_running_estimate_is_the_estimate_from_scratch() {
        let offers = [
            Outcome::new(vec![0.0, 0.0]),
            Outcome::new(vec![5.0, 0.0]),
            Outcome::new(vec![10.0, 1.0]),
            Outcome::new(vec![3.3, 7.1]),
        ];
        let mut learner = Learner::default();
        let mut running: Option<Preferences> = None;
        for (k, offer) in offers.iter().enumerate() {
            match learner.observe(&issues(), offer) {
                Update::First => running = Some(learner.estimate(&issues())),
                Update::Weights => {
                    running.as_mut().unwrap().set_weights(learner.raw_weights());
                }
            }
            let scratch = estimate(&issues(), offers[..=k].iter());
            assert_eq!(running.as_ref(), Some(&scratch), "after {} offers", k + 1);
        }
    }
}

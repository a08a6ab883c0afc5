//! Trade-off offers: meet one's own target utility while giving the others as much as possible.
//!
//! The problem is: choose a value for every issue to maximize the others' total utility
//! `B(x) = sum_i b_i(x_i)` subject to one's own utility `A(x) = sum_i a_i(x_i) >= target`,
//! where `a_i` and `b_i` are the issue's weighted value contributions. It is a knapsack in
//! which own utility is the budget spent on the others.
//!
//! Method (greedy by ratio, the classic fractional-knapsack solution):
//! 1. On each issue list candidate values: for continuous issues every point where some
//!    party's value function bends (plus the ends), for ordinal issues every level. Between
//!    two neighbouring candidates of a continuous issue every contribution is linear.
//! 2. Start every issue at the value best for oneself (ties: best for the others, then the
//!    lowest value).
//! 3. On each issue build the concave chain of moves away from that start, each move with
//!    its ratio of others' gain to own loss (a gift-wrapping walk over the candidates).
//! 4. Take moves across all issues in order of decreasing ratio (ties: earlier issue in the
//!    file, then chain order) while the own-utility slack lasts. When a move does not fit,
//!    the issue is frozen there; on a continuous issue the best point of the issue's real
//!    curve that still fits is taken instead (a partial move).
//! 5. Spend any slack left on single-issue improvements (issues in file order).
//!
//! For linear value functions on continuous issues this is exact (it is the fractional
//! knapsack optimum). With ordinal levels or bent value functions it is the standard greedy
//! approximation: optimal up to the one move that did not fit.

use crate::model::{Issue, Outcome, Preferences};

/// Offers a [`Plan`] remembers, by target (a direct-mapped table: a target takes the slot its
/// bits hash to, replacing what was there).
const REMEMBERED_OFFERS: usize = 512;

/// Offers a [`Plan`] makes before it starts remembering them: a plan rebuilt at every turn
/// (learned beliefs change after every offer) would only pay for the table.
const OFFERS_BEFORE_REMEMBERING: u32 = 32;

/// Slack below which a move is taken to fit (absorbs rounding in sums of contributions).
const EPS: f64 = 1e-12;

/// The offer reaching at least `target` own utility that maximizes the sum of `others`'
/// utilities (see the module docs for the method and its exactness).
///
/// Builds a [`Plan`] and asks it once; callers that offer repeatedly against the same
/// preferences keep the plan instead (the engine does, per party).
pub fn tradeoff_offer(
    issues: &[Issue],
    own: &Preferences,
    others: &[&Preferences],
    target: f64,
) -> Outcome {
    Plan::new(issues, own, others).offer(target)
}

/// Everything about trade-off offers that does not depend on the target: each issue's
/// candidates and contributions (steps 1–2 of the module docs), the start, and every
/// issue's concave chain of moves merged in the order the greedy takes them (steps 3–4).
/// Valid while the own and the others' (believed) preferences stay as they were; an offer
/// is then one pass over the sorted moves, with no allocation but the offer itself.
///
/// [`Plan::offer`] does exactly what building the curves and moves afresh would do, in the
/// same arithmetic order, so its offers are the same numbers bit for bit. A plan that has
/// made a few dozen offers also remembers its latest ones by target (an offer is a function
/// of the target alone): the engine keeps a plan across runs whose issues and preferences
/// are the same, and in a sweep that varies one party's reservation the other party aims at
/// the same targets run after run.
#[derive(Clone, Debug)]
pub struct Plan {
    curves: Vec<Curve>,
    start: Vec<Position>,
    /// Own utility at the start, summed in issue order.
    start_a: f64,
    moves: Vec<Move>,
    /// Scratch for [`Plan::offer`].
    pos: Vec<Position>,
    frozen: Vec<bool>,
    /// Offers made so far (counted up to [`OFFERS_BEFORE_REMEMBERING`]).
    offers: u32,
    /// Remembered offers: per slot the target's bits (`None`: empty) and the offer's values
    /// at `slot * n_issues`.
    remembered: Vec<Option<u64>>,
    remembered_values: Vec<f64>,
}

impl Plan {
    /// Prepares trade-off offers of the party with preferences `own` to `others`.
    pub fn new(issues: &[Issue], own: &Preferences, others: &[&Preferences]) -> Plan {
        let curves: Vec<Curve> =
            issues.iter().enumerate().map(|(i, issue)| Curve::new(i, issue, own, others)).collect();
        let start: Vec<Position> = curves.iter().map(Curve::start).collect();
        let start_a = start.iter().map(|p| p.a).sum::<f64>();
        let mut moves: Vec<Move> = Vec::new();
        for (i, curve) in curves.iter().enumerate() {
            curve.chain(i, start[i].idx, &mut moves);
        }
        moves.sort_by(|x, y| {
            y.ratio.total_cmp(&x.ratio).then(x.issue.cmp(&y.issue)).then(x.seq.cmp(&y.seq))
        });
        let n = curves.len();
        Plan {
            curves,
            pos: start.clone(),
            start,
            start_a,
            moves,
            frozen: vec![false; n],
            offers: 0,
            remembered: Vec::new(),
            remembered_values: Vec::new(),
        }
    }

    /// The offer reaching at least `target` own utility that is best for the others.
    pub fn offer(&mut self, target: f64) -> Outcome {
        self.offer_into(target, Vec::new())
    }

    /// [`Plan::offer`], written into `buffer` (its contents are replaced): a caller that
    /// offers many times reuses the buffers of offers it no longer needs.
    pub fn offer_into(&mut self, target: f64, mut buffer: Vec<f64>) -> Outcome {
        buffer.clear();
        if self.offers < OFFERS_BEFORE_REMEMBERING {
            self.offers += 1;
            self.compute(target, &mut buffer);
            return Outcome::new(buffer);
        }
        let n = self.curves.len();
        let bits = target.to_bits();
        let slot = (bits ^ (bits >> 32)).wrapping_mul(0x9E37_79B9_7F4A_7C15) as usize
            >> (usize::BITS - REMEMBERED_OFFERS.trailing_zeros());
        if self.remembered.is_empty() {
            self.remembered = vec![None; REMEMBERED_OFFERS];
            self.remembered_values = vec![0.0; REMEMBERED_OFFERS * n];
        }
        let values = &mut self.remembered_values[slot * n..(slot + 1) * n];
        if self.remembered[slot] == Some(bits) {
            buffer.extend_from_slice(values);
            return Outcome::new(buffer);
        }
        self.compute(target, &mut buffer);
        self.remembered[slot] = Some(bits);
        self.remembered_values[slot * n..(slot + 1) * n].copy_from_slice(&buffer);
        Outcome::new(buffer)
    }

    /// The offer for `target`, computed (steps 4–5 of the module docs), appended to
    /// `buffer`.
    #[inline]
    fn compute(&mut self, target: f64, buffer: &mut Vec<f64>) {
        let Plan { curves, start, start_a, moves, pos, frozen, .. } = self;
        pos.copy_from_slice(start);
        let mut slack = *start_a - target;

        if slack > EPS {
            frozen.fill(false);
            for mv in moves.iter() {
                let i = mv.issue;
                if frozen[i] {
                    continue;
                }
                let curve = &curves[i];
                let loss = pos[i].a - curve.a[mv.to];
                if loss <= slack + EPS {
                    slack -= loss;
                    pos[i] = curve.at(mv.to);
                } else {
                    frozen[i] = true;
                    if let Some(better) = curve.best_within(&pos[i], slack) {
                        slack -= pos[i].a - better.a;
                        pos[i] = better;
                    }
                }
            }
            for (i, curve) in curves.iter().enumerate() {
                if slack <= EPS {
                    break;
                }
                if let Some(better) = curve.best_within(&pos[i], slack) {
                    slack -= pos[i].a - better.a;
                    pos[i] = better;
                }
            }
        }
        buffer.extend(pos.iter().map(|p| p.x));
    }
}

/// Where an issue currently stands: its value, own and others' contributions, and the
/// candidate index if it sits on a candidate.
#[derive(Clone, Copy, Debug)]
struct Position {
    x: f64,
    a: f64,
    b: f64,
    idx: Option<usize>,
}

/// One move along an issue's concave chain.
#[derive(Clone, Debug)]
struct Move {
    issue: usize,
    seq: usize,
    to: usize,
    ratio: f64,
}

/// An issue's candidate values with own (`a`) and others' (`b`) contributions.
#[derive(Clone, Debug)]
struct Curve {
    xs: Vec<f64>,
    a: Vec<f64>,
    b: Vec<f64>,
    continuous: bool,
}

impl Curve {
    fn new(i: usize, issue: &Issue, own: &Preferences, others: &[&Preferences]) -> Curve {
        let mut xs = own.values()[i].breakpoints();
        if !issue.is_ordinal() {
            xs.push(issue.lower());
            xs.push(issue.upper());
            for other in others {
                xs.extend(other.values()[i].breakpoints());
            }
            xs.retain(|x| *x >= issue.lower() && *x <= issue.upper());
            xs.sort_by(f64::total_cmp);
            xs.dedup();
        }
        let a = xs.iter().map(|x| own.contribution(i, *x)).collect();
        let b = xs.iter().map(|x| others.iter().map(|o| o.contribution(i, *x)).sum()).collect();
        Curve { xs, a, b, continuous: !issue.is_ordinal() }
    }

    fn at(&self, k: usize) -> Position {
        Position { x: self.xs[k], a: self.a[k], b: self.b[k], idx: Some(k) }
    }

    /// Best for oneself; ties to the best for the others, then to the lowest value.
    fn start(&self) -> Position {
        let mut best = 0;
        for k in 1..self.xs.len() {
            if self.a[k] > self.a[best] || (self.a[k] == self.a[best] && self.b[k] > self.b[best]) {
                best = k;
            }
        }
        self.at(best)
    }

    /// Appends the concave chain of moves from candidate `from` (gift wrapping: each step
    /// goes to the candidate with the best ratio of others' gain to own loss; equal ratios
    /// go to the farther candidate).
    fn chain(&self, issue: usize, from: Option<usize>, moves: &mut Vec<Move>) {
        let Some(mut cur) = from else { return };
        let mut seq = 0;
        loop {
            let mut next: Option<(usize, f64)> = None;
            for k in 0..self.xs.len() {
                let gain = self.b[k] - self.b[cur];
                let loss = self.a[cur] - self.a[k];
                if gain <= EPS || loss < 0.0 {
                    continue;
                }
                let ratio = if loss <= EPS { f64::INFINITY } else { gain / loss };
                let better = match next {
                    None => true,
                    Some((best, best_ratio)) => {
                        ratio > best_ratio * (1.0 + 1e-12)
                            || (ratio >= best_ratio * (1.0 - 1e-12) && self.a[k] < self.a[best])
                    }
                };
                if better {
                    next = Some((k, ratio));
                }
            }
            let Some((k, ratio)) = next else { return };
            moves.push(Move { issue, seq, to: k, ratio });
            seq += 1;
            cur = k;
        }
    }

    /// The position best for the others among those losing at most `slack` own contribution
    /// relative to `cur`, if it is strictly better for them. On a continuous issue the whole
    /// curve between candidates is searched (contributions are linear between them).
    fn best_within(&self, cur: &Position, slack: f64) -> Option<Position> {
        let need = cur.a - slack;
        let mut best = *cur;
        let mut consider = |p: Position| {
            if p.a >= need - EPS
                && (p.b > best.b + EPS || (p.b >= best.b - EPS && p.a > best.a + EPS))
            {
                best = p;
            }
        };
        for k in 0..self.xs.len() {
            consider(self.at(k));
        }
        if self.continuous {
            for k in 1..self.xs.len() {
                let (a0, a1) = (self.a[k - 1], self.a[k]);
                // Only the point where own contribution equals `need` can beat the candidates.
                if (a0 - need) * (a1 - need) < 0.0 {
                    let t = (need - a0) / (a1 - a0);
                    let (x0, x1) = (self.xs[k - 1], self.xs[k]);
                    let (b0, b1) = (self.b[k - 1], self.b[k]);
                    consider(Position {
                        x: x0 + (x1 - x0) * t,
                        a: need,
                        b: b0 + (b1 - b0) * t,
                        idx: None,
                    });
                }
            }
        }
        (best.b > cur.b + EPS).then_some(best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IssueKind, ValueFn};

    fn continuous(id: &str) -> Issue {
        Issue::new(
            id.into(),
            id.into(),
            IssueKind::Continuous { min: 0.0, max: 1.0, unit: String::new() },
        )
    }

    fn linear(weights: &[f64], ideals: &[f64]) -> Preferences {
        Preferences::new(weights, ideals.iter().map(|i| ValueFn::tent(0.0, 1.0, *i)).collect())
    }

    #[test]
    fn single_pie_is_split_exactly_at_the_target() {
        let issues = [continuous("share")];
        let me = linear(&[1.0], &[1.0]);
        let them = linear(&[1.0], &[0.0]);
        let offer = tradeoff_offer(&issues, &me, &[&them], 0.7142857142857143);
        assert!((offer.get(0) - 0.7142857142857143).abs() < 1e-12);
    }

    #[test]
    fn concedes_first_on_the_issue_the_other_side_values_most() {
        let issues = [continuous("a"), continuous("b")];
        let me = linear(&[0.8, 0.2], &[1.0, 1.0]);
        let them = linear(&[0.2, 0.8], &[0.0, 0.0]);
        let offer = tradeoff_offer(&issues, &me, &[&them], 0.8);
        assert_eq!(offer.values(), &[1.0, 0.0]);
        let offer = tradeoff_offer(&issues, &me, &[&them], 0.4);
        assert!((offer.get(0) - 0.5).abs() < 1e-12);
        assert_eq!(offer.get(1), 0.0);
    }

    #[test]
    fn shared_interests_are_given_away_for_free() {
        let issues = [continuous("a"), continuous("shared")];
        let me = Preferences::new(
            &[1.0, 0.0],
            vec![ValueFn::tent(0.0, 1.0, 1.0), ValueFn::tent(0.0, 1.0, 1.0)],
        );
        let them = linear(&[0.5, 0.5], &[0.0, 1.0]);
        let offer = tradeoff_offer(&issues, &me, &[&them], 1.0);
        assert_eq!(offer.values(), &[1.0, 1.0]);
    }

    #[test]
    fn ordinal_moves_that_do_not_fit_leave_slack_for_other_issues() {
        let levels = Issue::new(
            "g".into(),
            "g".into(),
            IssueKind::Ordinal { levels: vec!["none".into(), "full".into()] },
        );
        let issues = [levels, continuous("s")];
        let me = Preferences::new(
            &[0.5, 0.5],
            vec![ValueFn::Levels(vec![1.0, 0.0]), ValueFn::tent(0.0, 1.0, 1.0)],
        );
        let them = Preferences::new(
            &[0.9, 0.1],
            vec![ValueFn::Levels(vec![0.0, 1.0]), ValueFn::tent(0.0, 1.0, 0.0)],
        );
        // Conceding the level costs 0.5 but only 0.2 of slack exists: the continuous issue
        // absorbs it instead.
        let offer = tradeoff_offer(&issues, &me, &[&them], 0.8);
        assert_eq!(offer.get(0), 0.0);
        assert!((offer.get(1) - 0.6).abs() < 1e-12);
        assert!(me.utility(&offer) >= 0.8 - 1e-12);
    }

    #[test]
    fn bent_value_functions_use_the_real_curve_for_partial_moves() {
        let issues = [continuous("s")];
        let me = linear(&[1.0], &[1.0]);
        // The other side's value peaks at 0.5: conceding below 0.5 never helps it.
        let them = Preferences::new(&[1.0], vec![ValueFn::tent(0.0, 1.0, 0.5)]);
        let offer = tradeoff_offer(&issues, &me, &[&them], 0.2);
        assert!((offer.get(0) - 0.5).abs() < 1e-12);
        let offer = tradeoff_offer(&issues, &me, &[&them], 0.75);
        assert!((offer.get(0) - 0.75).abs() < 1e-12);
    }

    /// The trade-off offer as it was computed before plans: curves, chains and the sorted
    /// moves built afresh for every offer (the code of `tradeoff_offer` up to the change
    /// that introduced [`Plan`], verbatim), the reference the plan must reproduce bit for bit.
    fn fresh_offer(
        issues: &[Issue],
        own: &Preferences,
        others: &[&Preferences],
        target: f64,
    ) -> Outcome {
        let curves: Vec<Curve> =
            issues.iter().enumerate().map(|(i, issue)| Curve::new(i, issue, own, others)).collect();
        let mut pos: Vec<Position> = curves.iter().map(Curve::start).collect();
        let mut slack = pos.iter().map(|p| p.a).sum::<f64>() - target;
        if slack > EPS {
            let mut moves: Vec<Move> = Vec::new();
            for (i, curve) in curves.iter().enumerate() {
                curve.chain(i, pos[i].idx, &mut moves);
            }
            moves.sort_by(|x, y| {
                y.ratio.total_cmp(&x.ratio).then(x.issue.cmp(&y.issue)).then(x.seq.cmp(&y.seq))
            });
            let mut frozen = vec![false; curves.len()];
            for mv in &moves {
                let i = mv.issue;
                if frozen[i] {
                    continue;
                }
                let curve = &curves[i];
                let loss = pos[i].a - curve.a[mv.to];
                if loss <= slack + EPS {
                    slack -= loss;
                    pos[i] = curve.at(mv.to);
                } else {
                    frozen[i] = true;
                    if let Some(better) = curve.best_within(&pos[i], slack) {
                        slack -= pos[i].a - better.a;
                        pos[i] = better;
                    }
                }
            }
            for (i, curve) in curves.iter().enumerate() {
                if slack <= EPS {
                    break;
                }
                if let Some(better) = curve.best_within(&pos[i], slack) {
                    slack -= pos[i].a - better.a;
                    pos[i] = better;
                }
            }
        }
        Outcome::new(pos.iter().map(|p| p.x).collect())
    }

    /// A random issue (continuous on [0, 10] or with 2–6 levels) and, per party, a weight
    /// and a value function on it (a tent, a bent piecewise curve or a level table).
    fn random_problem()
    -> impl proptest::strategy::Strategy<Value = (Vec<Issue>, Vec<Preferences>, Vec<f64>)> {
        use proptest::prelude::*;
        (1usize..=4, 2usize..=4).prop_flat_map(|(n_issues, n_parties)| {
            let issue = prop_oneof![Just(0usize), 2usize..=6];
            let value = (0.0f64..=1.0, proptest::collection::vec(0.0f64..=1.0, 6), any::<bool>());
            (
                proptest::collection::vec(issue, n_issues),
                proptest::collection::vec(
                    proptest::collection::vec((0.0f64..=1.0, value), n_issues),
                    n_parties,
                ),
                proptest::collection::vec(0.0f64..=1.0, 12),
            )
                .prop_map(|(kinds, parties, targets)| {
                    let issues: Vec<Issue> = kinds
                        .iter()
                        .enumerate()
                        .map(|(i, levels)| {
                            let kind = if *levels == 0 {
                                IssueKind::Continuous { min: 0.0, max: 10.0, unit: String::new() }
                            } else {
                                IssueKind::Ordinal {
                                    levels: (0..*levels).map(|l| format!("l{l}")).collect(),
                                }
                            };
                            Issue::new(format!("i{i}"), format!("i{i}"), kind)
                        })
                        .collect();
                    let prefs = parties
                        .iter()
                        .map(|per_issue| {
                            let weights: Vec<f64> =
                                per_issue.iter().map(|(w, _)| w + 0.01).collect();
                            let values = per_issue
                                .iter()
                                .zip(&kinds)
                                .map(|((_, (ideal, table, bent)), levels)| {
                                    if *levels > 0 {
                                        ValueFn::Levels(table[..*levels].to_vec())
                                    } else if *bent {
                                        ValueFn::Piecewise(vec![
                                            (0.0, table[0]),
                                            (2.5 + 5.0 * ideal, table[1]),
                                            (10.0, table[2]),
                                        ])
                                    } else {
                                        ValueFn::tent(0.0, 10.0, 10.0 * ideal)
                                    }
                                })
                                .collect();
                            Preferences::new(&weights, values)
                        })
                        .collect();
                    (issues, prefs, targets)
                })
        })
    }

    proptest::proptest! {
        /// A plan kept across offers gives, for every target in any order, exactly the
        /// offer the per-offer computation gave (same bits).
        #[test]
        fn plans_offer_what_fresh_computation_offered((issues, prefs, targets) in random_problem()) {
            let own = &prefs[0];
            let others: Vec<&Preferences> = prefs[1..].iter().collect();
            let mut plan = Plan::new(&issues, own, &others);
            for target in targets {
                let planned = plan.offer(target);
                let fresh = fresh_offer(&issues, own, &others, target);
                let bits = |o: &Outcome| o.values().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                proptest::prop_assert_eq!(bits(&planned), bits(&fresh), "target {}", target);
            }
        }
    }
}

//! Trade-off offers: meet one's own target utility while giving the others as much as possible.
//!
//! The problem is: choose a value for every issue to maximize the others' total utility
//! `B(x) = sum_i b_i(x_i)` subject to one's own utility `A(x) = sum_i a_i(x_i) >= target`,
//! where `a_i` and `b_i` are the issue's weighted value contributions. It is a knapsack in
//! which own utility is the budget spent on the others.
//!
//! Everything that does not depend on the target is prepared once, in a [`Plan`]:
//! 1. On each issue list candidate values: for continuous issues every point where some
//!    party's value function bends (plus the ends), for ordinal issues every level. Between
//!    two neighbouring candidates of a continuous issue every contribution is linear.
//! 2. Start every issue at the value best for oneself (ties: best for the others, then the
//!    lowest value), and build on each issue the concave chain of moves away from that start,
//!    each move with its ratio of others' gain to own loss (a gift-wrapping walk over the
//!    candidates).
//! 3. A continuous issue is *concave* when its real curve walks every move of its chain (the
//!    candidates a move skips lie on the move's segment, in order). Then the best the issue
//!    can give the others for a given own loss is the chain itself. Tents and linear values
//!    always give concave issues when the others' ideals lie on one side of the proposer's;
//!    bent value points or others' ideals on both sides may not.
//! 4. The moves of all concave issues, merged by decreasing ratio (ties: earlier issue in the
//!    file, then chain order), are one concave function `g(slack)`: the others' best gain for
//!    an own-utility budget `slack`, exactly (fractional knapsack over concave chains).
//! 5. Every other issue (ordinal and stepped issues, and continuous issues that are not
//!    concave, through their candidates) is a discrete choice. The Pareto staircase of
//!    `(own, others')` sums over all their combinations is built issue by issue, keeping only
//!    the combinations no other one beats on both (back-pointers rebuild the levels).
//!
//! An offer at a target is then the best, over staircase points `s` that reach the target with
//! the concave issues at their start, of `b_s + g(a_s + A_concave - target)`; the concave
//! issues take their moves in order, the last one partly; any slack still left goes to the
//! non-concave continuous issues, each in file order, to the best point of its real curve.
//! Ties: others' totals within 1e-12 go to the higher own utility, then to the staircase point
//! better for the others (fewer own-utility units spent on the concave issues); equal staircase
//! sums keep the combination found first (issues in file order, lower levels first).
//!
//! Exactness. Without non-concave continuous issues the offer is exact: no outcome reaching the
//! target gives the others more. A non-concave continuous issue is searched at its candidates
//! (and the leftover slack on its real curve); a fractional-knapsack argument (at most one
//! issue of an optimal solution lies strictly between two candidates) bounds the shortfall by
//! the largest change of the others' total across one segment between neighbouring candidates
//! of such an issue along which the proposer loses ([`Plan::shortfall_bound`]).
//!
//! Should the staircase need more than [`MAX_SUMS`] sums in one merge (two stepped issues of
//! over a thousand values each, say), the plan falls back to the greedy of earlier versions:
//! moves of all chains by ratio, freezing an issue whose move does not fit (a continuous
//! issue then takes the best point of its curve that fits), and a last pass spending slack
//! per issue. Its shortfall is at most the others' gain of the one move that did not fit on an
//! ordinal or non-concave issue, and [`Plan::shortfall_bound`] reports the largest such gain.

use crate::model::{Issue, Outcome, Preferences};

/// Offers a [`Plan`] remembers, by target (a direct-mapped table: a target takes the slot its
/// bits hash to, replacing what was there).
const REMEMBERED_OFFERS: usize = 512;

/// Offers a [`Plan`] makes before it starts remembering them: a plan rebuilt at every turn
/// (learned beliefs change after every offer) would only pay for the table.
const OFFERS_BEFORE_REMEMBERING: u32 = 32;

/// Slack below which a move is taken to fit (absorbs rounding in sums of contributions).
const EPS: f64 = 1e-12;

/// Others' totals closer than this are a tie (see the module docs for the tie-breaks).
const TIE: f64 = 1e-12;

/// The most pair sums (points of the staircase so far times one issue's options) one merge of
/// the staircase may span before the plan falls back to the greedy. The merge does not form
/// them all (see [`merge`]), so the limit bounds time, a few ms at most, not memory.
pub const MAX_SUMS: usize = 1 << 20;

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
/// candidates and contributions, the start, the concave issues' merged chain and the
/// staircase of the discrete choices (module docs). Valid while the own and the others'
/// (believed) preferences stay as they were; an offer is then a search of the staircase and
/// one pass over the merged moves, with no allocation but the offer itself.
///
/// A plan that has made a few dozen offers also remembers its latest ones by target (an
/// offer is a function of the target alone): the engine keeps a plan across runs whose issues
/// and preferences are the same, and in a sweep that varies one party's reservation the other
/// party aims at the same targets run after run.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    curves: Vec<Curve>,
    /// Scratch of [`Plan::rebuild`]: each issue's chain of moves and whether it is concave.
    chains: Vec<Vec<Move>>,
    concave: Vec<bool>,
    /// Set by [`Plan::mark_stale`]: the preferences changed, rebuild before the next offer.
    stale: bool,
    start: Vec<Position>,
    /// Own utility at the start, summed in issue order.
    start_a: f64,
    /// The exact method, unless its staircase was too large.
    exact: Option<Exact>,
    /// The greedy fallback's moves: every issue's chain, by decreasing ratio (empty when
    /// `exact` is set).
    moves: Vec<Move>,
    /// See [`Plan::shortfall_bound`].
    bound: f64,
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

/// The exact method's data (steps 3–5 of the module docs).
#[derive(Clone, Debug, Default)]
struct Exact {
    /// Issues in the staircase, in file order.
    discrete: Vec<usize>,
    /// Continuous issues that are not concave (also in `discrete`), in file order.
    bent: Vec<usize>,
    /// `stages[k]` is the staircase of `discrete[..k]`: own sum descending, others' sum
    /// strictly ascending. `stages[0]` is the one empty combination.
    stages: Vec<Vec<Stair>>,
    /// Own contribution of the concave issues at their start.
    concave_a: f64,
    /// The concave issues' moves by decreasing ratio, and the own loss and others' gain
    /// summed over the first `k + 1` of them.
    moves: Vec<Move>,
    cum_loss: Vec<f64>,
    cum_gain: Vec<f64>,
    /// Scratch: one issue's options.
    options: Vec<Stair>,
}

/// One point of a staircase: the sums, the point of the previous stage it extends and the
/// candidate the stage's issue takes.
#[derive(Clone, Copy, Debug)]
struct Stair {
    a: f64,
    b: f64,
    prev: u32,
    cand: u32,
}

impl Plan {
    /// Prepares trade-off offers of the party with preferences `own` to `others`.
    pub fn new(issues: &[Issue], own: &Preferences, others: &[&Preferences]) -> Plan {
        let mut plan = Plan::default();
        plan.rebuild(issues, own, others);
        plan
    }

    /// Marks the plan as built on preferences that changed: [`Plan::is_stale`] says so until
    /// [`Plan::rebuild`].
    pub fn mark_stale(&mut self) {
        self.stale = true;
    }

    /// True if the plan must be rebuilt before its next offer.
    pub fn is_stale(&self) -> bool {
        self.stale
    }

    /// Prepares the plan afresh for `issues`, `own` and `others`, reusing its buffers: the
    /// same plan as [`Plan::new`] would build, with nothing remembered from before.
    pub fn rebuild(&mut self, issues: &[Issue], own: &Preferences, others: &[&Preferences]) {
        let n = issues.len();
        self.curves.truncate(n);
        self.curves.resize_with(n, Curve::default);
        for (i, (curve, issue)) in self.curves.iter_mut().zip(issues).enumerate() {
            curve.rebuild(i, issue, own, others);
        }
        self.start.clear();
        self.start.extend(self.curves.iter().map(Curve::start));
        self.start_a = self.start.iter().map(|p| p.a).sum::<f64>();
        self.chains.truncate(n);
        self.chains.resize_with(n, Vec::new);
        for (i, (curve, chain)) in self.curves.iter().zip(&mut self.chains).enumerate() {
            chain.clear();
            curve.chain(i, self.start[i].idx, chain);
        }
        self.concave.clear();
        self.concave.extend(
            self.curves
                .iter()
                .zip(&self.chains)
                .map(|(curve, chain)| curve.continuous && chain.iter().all(|m| curve.walks(m))),
        );
        let mut exact = self.exact.take().unwrap_or_default();
        let mut bound = 0.0f64;
        self.moves.clear();
        if exact.rebuild(&self.curves, &self.start, &self.chains, &self.concave) {
            for &i in &exact.bent {
                bound = bound.max(self.curves[i].widest_trade());
            }
            self.exact = Some(exact);
        } else {
            for (i, chain) in self.chains.iter().enumerate() {
                if !self.concave[i] {
                    bound = chain.iter().map(|m| m.gain).fold(bound, f64::max);
                }
            }
            self.moves.extend(self.chains.iter().flatten().cloned());
            sort_moves(&mut self.moves);
        }
        self.bound = bound;
        self.pos.clear();
        self.pos.extend_from_slice(&self.start);
        self.frozen.clear();
        self.frozen.resize(n, false);
        self.offers = 0;
        if self.remembered_values.len() == REMEMBERED_OFFERS * n {
            self.remembered.fill(None);
        } else {
            self.remembered.clear();
            self.remembered_values.clear();
        }
        self.stale = false;
    }

    /// How much less, at most, an offer of this plan gives the others than the best outcome
    /// reaching its target: 0 when the plan is exact (no continuous issue that is not
    /// concave, and a staircase within [`MAX_SUMS`]); see the module docs otherwise.
    pub fn shortfall_bound(&self) -> f64 {
        self.bound
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

    /// The offer for `target`, computed, appended to `buffer`.
    #[inline]
    fn compute(&mut self, target: f64, buffer: &mut Vec<f64>) {
        if self.exact.is_some() {
            self.exact_offer(target, buffer)
        } else {
            self.greedy_offer(target, buffer)
        }
    }

    fn exact_offer(&mut self, target: f64, buffer: &mut Vec<f64>) {
        let Plan { curves, start, exact, pos, .. } = self;
        let exact = exact.as_ref().expect("exact plan");
        pos.copy_from_slice(start);
        let stairs = exact.stages.last().expect("stage 0 exists");
        let (idx, mut slack) = exact.choose(target);
        // Rebuild the discrete choices from the back-pointers.
        let mut at = idx;
        for k in (1..exact.stages.len()).rev() {
            let step = exact.stages[k][at];
            let i = exact.discrete[k - 1];
            pos[i] = curves[i].at(step.cand as usize);
            at = step.prev as usize;
        }
        debug_assert!(stairs.len() > idx);
        // The concave issues take their moves in order while the slack lasts, the last partly.
        if slack >= -EPS {
            for mv in &exact.moves {
                let curve = &curves[mv.issue];
                if mv.loss <= slack + EPS {
                    slack -= mv.loss;
                    pos[mv.issue] = curve.at(mv.to);
                } else {
                    if slack > EPS {
                        pos[mv.issue] = curve.along(mv.from, mv.to, curve.a[mv.from] - slack);
                    }
                    slack = 0.0;
                    break;
                }
            }
        }
        // Slack left over (every concave move taken) goes to the non-concave continuous issues.
        for &i in &exact.bent {
            if slack <= EPS {
                break;
            }
            if let Some(better) = curves[i].best_within(&pos[i], slack) {
                slack -= pos[i].a - better.a;
                pos[i] = better;
            }
        }
        buffer.extend(pos.iter().map(|p| p.x));
    }

    fn greedy_offer(&mut self, target: f64, buffer: &mut Vec<f64>) {
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

/// Moves by decreasing ratio; ties to the earlier issue, then to chain order.
fn sort_moves(moves: &mut [Move]) {
    moves.sort_by(|x, y| {
        y.ratio.total_cmp(&x.ratio).then(x.issue.cmp(&y.issue)).then(x.seq.cmp(&y.seq))
    });
}

/// Keeps the points no other point beats on both sums: sorts by own sum descending, then
/// others' sum descending (a stable sort: equal sums keep the order they were made in), and
/// keeps each point whose others' sum exceeds every point's before it.
fn pareto(points: &mut Vec<Stair>) {
    points.sort_by(|x, y| y.a.total_cmp(&x.a).then(y.b.total_cmp(&x.b)));
    let mut best = f64::NEG_INFINITY;
    points.retain(|p| {
        let keep = p.b > best;
        if keep {
            best = p.b;
        }
        keep
    });
}

/// Spans of at most this many sums are merged by forming and sorting them all
/// ([`merge_by_sorting`]), larger ones by [`merge_lists`]; both give the same staircase.
const SORT_BELOW: usize = 256;

/// The staircase of every sum of a point of `last` (a staircase: own sum descending, others'
/// sum strictly ascending) and an option, made first among equal sums.
fn merge(last: &[Stair], options: &[Stair], out: &mut Vec<Stair>) {
    if last.len() * options.len() <= SORT_BELOW {
        merge_by_sorting(last, options, out)
    } else {
        merge_lists(last, options, out)
    }
}

/// [`merge`] by forming every sum, `last`'s points times `options` in order, and keeping
/// the staircase with [`pareto`].
fn merge_by_sorting(last: &[Stair], options: &[Stair], out: &mut Vec<Stair>) {
    out.clear();
    for (p, s) in last.iter().enumerate() {
        for o in options {
            out.push(Stair { a: s.a + o.a, b: s.b + o.b, prev: p as u32, cand: o.cand });
        }
    }
    pareto(out);
}

/// [`merge`] without forming or sorting every sum: exactly what [`merge_by_sorting`] gives.
///
/// Adding an option's own contribution to `last`'s descending own sums keeps them descending
/// (rounding is monotone), so the sums with one option are a list already in order, and the
/// lists are merged by own sum (a heap over the options). Of the sums with equal own sums
/// (compared as [`f64::total_cmp`] does), [`pareto`] keeps, if any, the one with the largest
/// others' sum, made first among equals: the merge takes each such group whole and keeps the
/// same one. A sum that does not give the others more than the last point kept is dropped
/// together with the sums after it in its list that do not either (a binary search: along a
/// list the others' sums only grow), so the work follows the staircase, not all the sums.
fn merge_lists(last: &[Stair], options: &[Stair], out: &mut Vec<Stair>) {
    use std::cmp::Ordering;
    use std::collections::BinaryHeap;

    /// The next sum of one option's list, ordered by own sum (largest first out of the heap).
    struct Head {
        a: f64,
        option: usize,
        p: usize,
    }
    impl PartialEq for Head {
        fn eq(&self, other: &Head) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }
    impl Eq for Head {}
    impl PartialOrd for Head {
        fn partial_cmp(&self, other: &Head) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Head {
        fn cmp(&self, other: &Head) -> Ordering {
            self.a.total_cmp(&other.a).then(other.option.cmp(&self.option))
        }
    }

    let mut heap: BinaryHeap<Head> = options
        .iter()
        .enumerate()
        .filter(|_| !last.is_empty())
        .map(|(option, o)| Head { a: last[0].a + o.a, option, p: 0 })
        .collect();
    out.clear();
    let mut best = f64::NEG_INFINITY;
    while let Some(top) = heap.peek() {
        let a = top.a;
        // The group of sums whose own sum is `a`: the largest others' sum, made first.
        let mut chosen: Option<(f64, usize, usize)> = None;
        while let Some(head) = heap.peek() {
            if head.a.total_cmp(&a) != Ordering::Equal {
                break;
            }
            let Head { option, p, .. } = heap.pop().expect("peeked");
            let o = &options[option];
            let b = last[p].b + o.b;
            if b <= best {
                // Dominated, and so are this list's sums up to the first that gives the
                // others more than `best` (their others' sums only grow along the list).
                let q = skip_dominated(last, p, |s| s.b + o.b <= best);
                if q < last.len() {
                    heap.push(Head { a: last[q].a + o.a, option, p: q });
                }
                continue;
            }
            let better = match chosen {
                None => true,
                Some((cb, cp, co)) => {
                    b.total_cmp(&cb).then((cp, co).cmp(&(p, option))) == Ordering::Greater
                }
            };
            if better {
                chosen = Some((b, p, option));
            }
            if p + 1 < last.len() {
                heap.push(Head { a: last[p + 1].a + options[option].a, option, p: p + 1 });
            }
        }
        if let Some((b, p, option)) = chosen {
            best = b;
            out.push(Stair { a, b, prev: p as u32, cand: options[option].cand });
        }
    }
}

/// The first index from `from` on whose point is not `dominated`, where `dominated` holds on
/// a prefix of `points[from..]` and `points[from]` is dominated: an exponential search, as the
/// prefix is usually short.
fn skip_dominated(points: &[Stair], from: usize, dominated: impl Fn(&Stair) -> bool) -> usize {
    let mut step = 1;
    while from + step < points.len() && dominated(&points[from + step]) {
        step *= 2;
    }
    let lo = from + step / 2 + 1;
    let hi = (from + step).min(points.len());
    lo + points[lo..hi].partition_point(dominated)
}

impl Exact {
    /// Prepares the exact method's data in place, reusing the buffers; false if a merge
    /// would span more than [`MAX_SUMS`] sums.
    fn rebuild(
        &mut self,
        curves: &[Curve],
        start: &[Position],
        chains: &[Vec<Move>],
        concave: &[bool],
    ) -> bool {
        self.discrete.clear();
        self.discrete.extend((0..curves.len()).filter(|i| !concave[*i]));
        self.bent.clear();
        self.bent.extend(self.discrete.iter().copied().filter(|i| curves[*i].continuous));
        self.stages.truncate(self.discrete.len() + 1);
        if self.stages.is_empty() {
            self.stages.push(Vec::new());
        }
        self.stages[0].clear();
        self.stages[0].push(Stair { a: 0.0, b: 0.0, prev: 0, cand: 0 });
        for (k, &i) in self.discrete.iter().enumerate() {
            let curve = &curves[i];
            self.options.clear();
            self.options.extend((0..curve.xs.len()).map(|c| Stair {
                a: curve.a[c],
                b: curve.b[c],
                prev: 0,
                cand: c as u32,
            }));
            pareto(&mut self.options);
            if self.stages[k].len().saturating_mul(self.options.len()) > MAX_SUMS {
                return false;
            }
            if self.stages.len() == k + 1 {
                self.stages.push(Vec::new());
            }
            let (done, next) = self.stages.split_at_mut(k + 1);
            merge(&done[k], &self.options, &mut next[0]);
        }
        self.concave_a = (0..curves.len()).filter(|i| concave[*i]).map(|i| start[i].a).sum::<f64>();
        self.moves.clear();
        self.moves.extend(
            chains
                .iter()
                .enumerate()
                .filter(|(i, _)| concave[*i])
                .flat_map(|(_, c)| c.iter().cloned()),
        );
        sort_moves(&mut self.moves);
        self.cum_loss.clear();
        self.cum_gain.clear();
        let (mut loss, mut gain) = (0.0, 0.0);
        for mv in &self.moves {
            loss += mv.loss;
            gain += mv.gain;
            self.cum_loss.push(loss);
            self.cum_gain.push(gain);
        }
        true
    }

    /// The others' best gain from the concave issues for an own-utility budget `slack`.
    fn g(&self, slack: f64) -> f64 {
        if slack < -EPS {
            return 0.0;
        }
        let k = self.cum_loss.partition_point(|l| *l <= slack + EPS);
        let done = if k == 0 { 0.0 } else { self.cum_gain[k - 1] };
        match self.moves.get(k) {
            Some(mv) if slack > EPS => {
                let spent = if k == 0 { 0.0 } else { self.cum_loss[k - 1] };
                done + mv.gain * ((slack - spent) / mv.loss).clamp(0.0, 1.0)
            }
            _ => done,
        }
    }

    /// The staircase point of the offer at `target` and the slack it leaves for the concave
    /// issues (negative if no point reaches the target: then the proposer's best).
    fn choose(&self, target: f64) -> (usize, f64) {
        let stairs = self.stages.last().expect("stage 0 exists");
        let c = self.concave_a;
        let reach = stairs.partition_point(|s| s.a + c >= target - EPS);
        if reach == 0 {
            return (0, stairs[0].a + c - target);
        }
        let g_max = self.cum_gain.last().copied().unwrap_or(0.0);
        let l_max = self.cum_loss.last().copied().unwrap_or(0.0);
        let mut best: Option<(usize, f64, f64)> = None;
        for j in (0..reach).rev() {
            let s = stairs[j];
            if let Some((_, value, _)) = best
                && s.b + g_max < value - TIE
            {
                break;
            }
            let slack = s.a + c - target;
            let value = s.b + self.g(slack);
            let own = s.a + c - slack.clamp(0.0, l_max);
            let better = match best {
                None => true,
                Some((_, v, o)) => value > v + TIE || (value >= v - TIE && own > o + TIE),
            };
            if better {
                best = Some((j, value, own));
            }
        }
        let (j, _, _) = best.expect("one point reaches the target");
        (j, stairs[j].a + c - target)
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

/// One move along an issue's concave chain: from candidate `from` to candidate `to`, losing
/// `loss` own contribution for `gain` of the others'.
#[derive(Clone, Debug)]
struct Move {
    issue: usize,
    seq: usize,
    from: usize,
    to: usize,
    loss: f64,
    gain: f64,
    ratio: f64,
}

/// An issue's candidate values with own (`a`) and others' (`b`) contributions.
#[derive(Clone, Debug, Default)]
struct Curve {
    xs: Vec<f64>,
    a: Vec<f64>,
    b: Vec<f64>,
    continuous: bool,
}

impl Curve {
    /// Lists issue `i`'s candidates and their contributions, reusing the buffers.
    fn rebuild(&mut self, i: usize, issue: &Issue, own: &Preferences, others: &[&Preferences]) {
        let xs = &mut self.xs;
        xs.clear();
        own.values()[i].breakpoints_into(xs);
        if !issue.is_ordinal() {
            xs.push(issue.lower());
            xs.push(issue.upper());
            for other in others {
                other.values()[i].breakpoints_into(xs);
            }
            xs.retain(|x| *x >= issue.lower() && *x <= issue.upper());
            xs.sort_by(f64::total_cmp);
            xs.dedup();
        }
        self.a.clear();
        self.a.extend(xs.iter().map(|x| own.contribution(i, *x)));
        self.b.clear();
        self.b.extend(xs.iter().map(|x| others.iter().map(|o| o.contribution(i, *x)).sum::<f64>()));
        self.continuous = !issue.is_ordinal();
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
    /// go to the farther candidate). A move's ratio is capped at the ratio of the move before
    /// it, so that the chain stays in order when moves of all issues are sorted by ratio.
    fn chain(&self, issue: usize, from: Option<usize>, moves: &mut Vec<Move>) {
        let Some(mut cur) = from else { return };
        let mut seq = 0;
        let mut cap = f64::INFINITY;
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
            let ratio = ratio.min(cap);
            cap = ratio;
            let (loss, gain) = (self.a[cur] - self.a[k], self.b[k] - self.b[cur]);
            moves.push(Move { issue, seq, from: cur, to: k, loss, gain, ratio });
            seq += 1;
            cur = k;
        }
    }

    /// True if the issue's real curve walks the move: every candidate between its ends lies
    /// on the segment joining them in `(own, others')`, in order. A move that costs nothing
    /// is always taken whole, so it needs no check.
    fn walks(&self, mv: &Move) -> bool {
        if mv.loss <= EPS {
            return true;
        }
        let (f, t) = (mv.from, mv.to);
        let step: isize = if t > f { 1 } else { -1 };
        let mut prev_a = self.a[f];
        let mut k = f as isize + step;
        while k != t as isize {
            let m = k as usize;
            let along = (self.a[f] - self.a[m]) / mv.loss;
            let on_line = (self.b[m] - (self.b[f] + along * mv.gain)).abs() <= 1e-12;
            if !on_line || self.a[m] > prev_a + EPS || !(-EPS..=1.0 + EPS).contains(&along) {
                return false;
            }
            prev_a = self.a[m];
            k += step;
        }
        true
    }

    /// The point of the curve between candidates `from` and `to` (a move it walks) where own
    /// contribution is `need`.
    fn along(&self, from: usize, to: usize, need: f64) -> Position {
        let step: isize = if to > from { 1 } else { -1 };
        let mut k = from;
        loop {
            let next = (k as isize + step) as usize;
            let (a0, a1) = (self.a[k], self.a[next]);
            if a1 <= need || next == to {
                let t = if a0 - a1 > 0.0 { ((a0 - need) / (a0 - a1)).clamp(0.0, 1.0) } else { 1.0 };
                let (x0, x1) = (self.xs[k], self.xs[next]);
                let (b0, b1) = (self.b[k], self.b[next]);
                return Position {
                    x: x0 + (x1 - x0) * t,
                    a: need,
                    b: b0 + (b1 - b0) * t,
                    idx: None,
                };
            }
            k = next;
        }
    }

    /// The largest change of the others' total across one segment between neighbouring
    /// candidates along which own contribution and the others' move in opposite directions.
    fn widest_trade(&self) -> f64 {
        (1..self.xs.len())
            .map(|k| (self.a[k] - self.a[k - 1], self.b[k] - self.b[k - 1]))
            .filter(|(da, db)| da * db < 0.0)
            .map(|(_, db)| db.abs())
            .fold(0.0, f64::max)
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

    fn two_levels(id: &str) -> Issue {
        Issue::new(
            id.into(),
            id.into(),
            IssueKind::Ordinal { levels: vec!["keep".into(), "give".into()] },
        )
    }

    #[test]
    fn a_small_cheap_step_does_not_block_the_step_that_gives_more() {
        // Giving `a` costs 0.1 for 0.2 to the others (ratio 2); giving `b` costs 0.3 for 0.5
        // (ratio 1.67). With 0.3 to spend, the greedy by ratio gives `a` and then cannot afford
        // `b` (0.2 for the others); the best offer gives `b` alone (0.5).
        let issues = [two_levels("a"), two_levels("b")];
        let me = Preferences::new(
            &[0.5, 0.5],
            vec![ValueFn::Levels(vec![1.0, 0.8]), ValueFn::Levels(vec![1.0, 0.4])],
        );
        let them = Preferences::new(
            &[0.5, 0.5],
            vec![ValueFn::Levels(vec![0.0, 0.4]), ValueFn::Levels(vec![0.0, 1.0])],
        );
        let mut plan = Plan::new(&issues, &me, &[&them]);
        assert_eq!(plan.shortfall_bound(), 0.0);
        let offer = plan.offer(0.7);
        assert_eq!(offer.values(), &[0.0, 1.0]);
        // With 0.4 to spend both fit.
        assert_eq!(plan.offer(0.6).values(), &[1.0, 1.0]);
        // Out of reach: the proposer's best.
        assert_eq!(plan.offer(1.5).values(), &[0.0, 0.0]);
    }

    #[test]
    fn curves_that_bend_up_are_searched_at_their_candidates_within_a_bound() {
        let issues = [continuous("s")];
        let me = Preferences::new(&[1.0], vec![ValueFn::tent(0.0, 1.0, 0.5)]);
        // The others gain little from 0.5 down to 0.25 and much below: the chain jumps from
        // 0.5 to 0, a move the real curve does not walk.
        let them = Preferences::new(
            &[1.0],
            vec![ValueFn::Piecewise(vec![(0.0, 1.0), (0.25, 0.1), (0.5, 0.0), (1.0, 0.0)])],
        );
        let mut plan = Plan::new(&issues, &me, &[&them]);
        assert!((plan.shortfall_bound() - 0.9).abs() < 1e-12);
        assert_eq!(plan.offer(0.5).values(), &[0.25]);
        assert_eq!(plan.offer(0.0).values(), &[0.0]);
        // Between candidates the leftover slack is spent on the real curve.
        assert!((plan.offer(0.75).get(0) - 0.375).abs() < 1e-12);
    }

    /// All outcomes of a small problem: every level of ordinal issues, and on continuous
    /// issues every candidate plus an even grid (which can only miss the optimum).
    fn brute_points(issues: &[Issue], prefs: &[Preferences]) -> Vec<Vec<f64>> {
        issues
            .iter()
            .enumerate()
            .map(|(i, issue)| {
                if issue.is_ordinal() {
                    (0..issue.levels().len()).map(|l| l as f64).collect()
                } else {
                    let (lo, hi) = (issue.lower(), issue.upper());
                    let mut xs: Vec<f64> =
                        (0..=40).map(|k| lo + (hi - lo) * k as f64 / 40.0).collect();
                    for p in prefs {
                        xs.extend(p.values()[i].breakpoints());
                    }
                    xs.sort_by(f64::total_cmp);
                    xs.dedup();
                    xs
                }
            })
            .collect()
    }

    /// For each target, the largest others' total of an enumerated outcome worth at least the
    /// target to the proposer (`None` if none is), and the proposer's largest utility.
    fn brute_best(
        issues: &[Issue],
        prefs: &[Preferences],
        targets: &[f64],
    ) -> (Vec<Option<f64>>, f64) {
        let points = brute_points(issues, prefs);
        let mut best = vec![None::<f64>; targets.len()];
        let mut own_max = f64::NEG_INFINITY;
        let mut idx = vec![0usize; issues.len()];
        loop {
            let a: f64 =
                (0..issues.len()).map(|i| prefs[0].contribution(i, points[i][idx[i]])).sum();
            let b: f64 = (0..issues.len())
                .map(|i| {
                    prefs[1..].iter().map(|p| p.contribution(i, points[i][idx[i]])).sum::<f64>()
                })
                .sum();
            own_max = own_max.max(a);
            for (t, target) in targets.iter().enumerate() {
                if a >= *target && best[t].is_none_or(|v| b > v) {
                    best[t] = Some(b);
                }
            }
            let mut i = 0;
            loop {
                if i == issues.len() {
                    return (best, own_max);
                }
                idx[i] += 1;
                if idx[i] < points[i].len() {
                    break;
                }
                idx[i] = 0;
                i += 1;
            }
        }
    }

    /// Own and others' totals of an outcome, summed per issue as the brute force does.
    fn totals(prefs: &[Preferences], offer: &Outcome) -> (f64, f64) {
        let n = offer.values().len();
        let a = (0..n).map(|i| prefs[0].contribution(i, offer.get(i))).sum();
        let b = (0..n)
            .map(|i| prefs[1..].iter().map(|p| p.contribution(i, offer.get(i))).sum::<f64>())
            .sum();
        (a, b)
    }

    /// Checks every target's offer against the brute force: it reaches the target when some
    /// outcome does, and no enumerated outcome reaching the target gives the others more
    /// than the offer plus the plan's shortfall bound.
    fn check_against_brute(
        issues: &[Issue],
        prefs: &[Preferences],
        targets: &[f64],
    ) -> Result<(), String> {
        let own = &prefs[0];
        let others: Vec<&Preferences> = prefs[1..].iter().collect();
        let mut plan = Plan::new(issues, own, &others);
        let (best, own_max) = brute_best(issues, prefs, targets);
        for (t, target) in targets.iter().enumerate() {
            let offer = plan.offer(*target);
            let (a, b) = totals(prefs, &offer);
            if *target <= own_max && a < target - 1e-9 {
                return Err(format!("target {target}: offer worth {a} to the proposer"));
            }
            if let Some(v) = best[t]
                && v > b + plan.shortfall_bound() + 1e-9
            {
                return Err(format!(
                    "target {target}: offer gives the others {b}, an outcome {v} (bound {})",
                    plan.shortfall_bound()
                ));
            }
        }
        Ok(())
    }

    /// A random problem: 1–5 issues (ordinal with 2–5 levels, or continuous on [0, 10], at
    /// most two of them), 2–4 parties with, per issue, a weight and a value function (a tent,
    /// a bent piecewise curve or a level table), and 12 targets.
    fn random_problem(
        bent: bool,
    ) -> impl proptest::strategy::Strategy<Value = (Vec<Issue>, Vec<Preferences>, Vec<f64>)> {
        use proptest::prelude::*;
        (1usize..=5, 2usize..=4).prop_flat_map(move |(n_issues, n_parties)| {
            let issue = prop_oneof![Just(0usize), 2usize..=5];
            let value = (0.0f64..=1.0, proptest::collection::vec(0.0f64..=1.0, 6), any::<bool>());
            (
                proptest::collection::vec(issue, n_issues),
                proptest::collection::vec(
                    proptest::collection::vec((0.0f64..=1.0, value), n_issues),
                    n_parties,
                ),
                proptest::collection::vec(0.0f64..=1.0, 12),
            )
                .prop_map(move |(mut kinds, parties, targets)| {
                    // At most two continuous issues keep the enumeration small.
                    let mut continuous = 0;
                    for k in kinds.iter_mut() {
                        if *k == 0 {
                            continuous += 1;
                            if continuous > 2 {
                                *k = 3;
                            }
                        }
                    }
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
                                .map(|((_, (ideal, table, is_bent)), levels)| {
                                    if *levels > 0 {
                                        ValueFn::Levels(table[..*levels].to_vec())
                                    } else if bent && *is_bent {
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

    /// Points with coordinates from a coarse grid (many exact ties) or anywhere.
    fn stairs(max: usize) -> impl proptest::strategy::Strategy<Value = Vec<Stair>> {
        use proptest::prelude::*;
        let coordinate = prop_oneof![3 => (0u32..6).prop_map(|k| k as f64 / 8.0), 1 => 0.0f64..1.0];
        proptest::collection::vec((coordinate.clone(), coordinate), 1..max).prop_map(|points| {
            points
                .into_iter()
                .enumerate()
                .map(|(k, (a, b))| Stair { a, b, prev: 0, cand: k as u32 })
                .collect()
        })
    }

    #[test]
    fn equal_sums_keep_the_combination_made_first() {
        let stair = |a: f64, b: f64, cand: u32| Stair { a, b, prev: 0, cand };
        let last = [stair(0.5, 0.0, 0), stair(0.25, 0.25, 1)];
        let options = [stair(0.25, 0.0, 7), stair(0.0, 0.25, 8)];
        // (0.5, 0.25) is made twice: last[0] + options[1] first, then last[1] + options[0].
        let mut merged = Vec::new();
        merge_lists(&last, &options, &mut merged);
        let tie = merged.iter().find(|s| s.a == 0.5 && s.b == 0.25).expect("on the staircase");
        assert_eq!((tie.prev, tie.cand), (0, 8));
        let mut sorted = Vec::new();
        merge_by_sorting(&last, &options, &mut sorted);
        let key = |s: &Stair| (s.a.to_bits(), s.b.to_bits(), s.prev, s.cand);
        assert_eq!(
            merged.iter().map(key).collect::<Vec<_>>(),
            sorted.iter().map(key).collect::<Vec<_>>()
        );
    }

    proptest::proptest! {
        #![proptest_config(crate::analysis::testing::proptest_config(2000))]

        /// The merge gives the same staircase, point for point and bit for bit (sums, the
        /// point of the previous stage and the candidate), as forming every sum and sorting.
        #[test]
        fn merging_staircases_is_forming_every_sum_and_sorting(
            mut last in stairs(40),
            mut options in stairs(12),
        ) {
            pareto(&mut last);
            pareto(&mut options);
            let key = |s: &Stair| (s.a.to_bits(), s.b.to_bits(), s.prev, s.cand);
            let merged: Vec<_> = { let mut out = Vec::new(); merge_lists(&last, &options, &mut out); out }.iter().map(key).collect();
            let sorted: Vec<_> = { let mut out = Vec::new(); merge_by_sorting(&last, &options, &mut out); out }.iter().map(key).collect();
            proptest::prop_assert_eq!(merged, sorted);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]

        /// On ordinal, tent and mixed problems, no enumerated outcome reaching the target gives
        /// the others more than the offer (plus the plan's bound, 0 unless a continuous issue
        /// is not concave), and the offer reaches every reachable target.
        #[test]
        fn offers_are_not_beaten_by_any_outcome_reaching_the_target(
            (issues, prefs, targets) in random_problem(false)
        ) {
            check_against_brute(&issues, &prefs, &targets).map_err(proptest::test_runner::TestCaseError::fail)?;
        }

        /// A plan rebuilt in place for a problem, after it was built for and used on two
        /// others (of other sizes, bent or not, past the memory's threshold), makes the same
        /// offers, bit for bit, with the same bound, as a plan built afresh.
        #[test]
        fn a_rebuilt_plan_is_a_fresh_plan(
            (issues, prefs, targets) in random_problem(false),
            (issues2, prefs2, targets2) in random_problem(true),
            (issues3, prefs3, _) in random_problem(false),
        ) {
            let bits = |o: &Outcome| o.values().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let mut plan = Plan::new(&issues2, &prefs2[0], &prefs2[1..].iter().collect::<Vec<_>>());
            for k in 0..40 {
                plan.offer(targets2[k % targets2.len()]);
            }
            plan.mark_stale();
            plan.rebuild(&issues3, &prefs3[0], &prefs3[1..].iter().collect::<Vec<_>>());
            plan.offer(0.5);
            plan.rebuild(&issues, &prefs[0], &prefs[1..].iter().collect::<Vec<_>>());
            proptest::prop_assert!(!plan.is_stale());
            let mut fresh = Plan::new(&issues, &prefs[0], &prefs[1..].iter().collect::<Vec<_>>());
            proptest::prop_assert_eq!(plan.shortfall_bound().to_bits(), fresh.shortfall_bound().to_bits());
            for round in 0..2 {
                for (t, target) in targets.iter().chain(&targets2).enumerate() {
                    let (a, b) = (bits(&plan.offer(*target)), bits(&fresh.offer(*target)));
                    proptest::prop_assert_eq!(a, b, "round {} target {} ({})", round, t, target);
                }
            }
        }

        /// The same with bent value functions on continuous issues: the shortfall stays
        /// within the bound the plan states.
        #[test]
        fn bent_issues_stay_within_the_stated_bound(
            (issues, prefs, targets) in random_problem(true)
        ) {
            check_against_brute(&issues, &prefs, &targets).map_err(proptest::test_runner::TestCaseError::fail)?;
        }

        /// Every ordinal-only problem is exact: the bound is 0.
        #[test]
        fn ordinal_problems_are_exact((issues, prefs, _targets) in random_problem(false)) {
            let others: Vec<&Preferences> = prefs[1..].iter().collect();
            let plan = Plan::new(&issues, &prefs[0], &others);
            if issues.iter().all(Issue::is_ordinal) {
                proptest::prop_assert_eq!(plan.shortfall_bound(), 0.0);
            }
        }
    }

    #[test]
    fn remembered_offers_are_the_computed_ones() {
        let issues = [two_levels("a"), continuous("s"), two_levels("b")];
        let me = linear(&[0.3, 0.4, 0.3], &[0.0, 1.0, 0.0]);
        let them = linear(&[0.5, 0.2, 0.3], &[1.0, 0.0, 1.0]);
        let me = Preferences::new(
            me.weights(),
            vec![
                ValueFn::Levels(vec![1.0, 0.2]),
                me.values()[1].clone(),
                ValueFn::Levels(vec![1.0, 0.5]),
            ],
        );
        let them = Preferences::new(
            them.weights(),
            vec![
                ValueFn::Levels(vec![0.0, 1.0]),
                them.values()[1].clone(),
                ValueFn::Levels(vec![0.1, 1.0]),
            ],
        );
        let mut kept = Plan::new(&issues, &me, &[&them]);
        let bits = |o: &Outcome| o.values().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for round in 0..3 {
            for k in 0..40 {
                let target = 1.0 - k as f64 / 40.0;
                let fresh = Plan::new(&issues, &me, &[&them]).offer(target);
                assert_eq!(
                    bits(&kept.offer(target)),
                    bits(&fresh),
                    "round {round} target {target}"
                );
            }
        }
    }

    #[test]
    fn staircases_past_the_limit_fall_back_to_the_greedy_within_its_bound() {
        let big = |id: &str| {
            Issue::new(
                id.into(),
                id.into(),
                IssueKind::Ordinal { levels: (0..1100).map(|l| format!("l{l}")).collect() },
            )
        };
        let issues = [big("a"), big("b")];
        let me = Preferences::new(
            &[0.6, 0.4],
            vec![ValueFn::tent_levels(1100, 0), ValueFn::tent_levels(1100, 0)],
        );
        let them = Preferences::new(
            &[0.4, 0.6],
            vec![ValueFn::tent_levels(1100, 1099), ValueFn::tent_levels(1100, 1099)],
        );
        let prefs = [me, them];
        let plan = Plan::new(&issues, &prefs[0], &[&prefs[1]]);
        assert!(plan.exact.is_none());
        assert!(plan.shortfall_bound() > 0.0 && plan.shortfall_bound() <= 1.0);
        check_against_brute(&issues, &prefs, &[0.95, 0.7, 0.33, 0.1]).unwrap();
    }
}

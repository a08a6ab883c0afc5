//! Turning run indices into `sweep.csv` rows, on a pool of worker threads.
//!
//! A [`Worker`] belongs to one thread. It keeps the scenario of the design point it ran
//! last (the runs of a point are consecutive, so a point is built once per block of runs)
//! and a cache of prepared bargaining problems and their solutions, keyed by the exact bits of every parameter the
//! analysis reads (each party's reservation and raw weights at the end of the run): runs
//! whose final bargaining problem is the same share one analysis. The cache only avoids
//! recomputing a pure function, so rows are the same with or without it.

use std::collections::HashMap;
use std::sync::Mutex;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::analysis::{AnalysisError, Bargaining, Problem};
use crate::export::row::{self, Metric, RunId};
use crate::model::Scenario;
use crate::protocol::{End, Silent, run_negotiation};
use crate::run::{AnalysisLevel, Assessment, RunSummary, assess_prepared};

use super::SweepError;
use super::design::{AxisValue, Design};
use super::seed::run_seed;

/// What every worker reads: the scenario, the design and the columns; and one [`Worker`]
/// per thread of the pool, kept for the whole sweep so that its caches outlive a block.
pub struct Plan<'a> {
    /// The scenario as read from its file.
    pub scenario: &'a Scenario,
    /// The design.
    pub design: &'a Design,
    /// Runs per point.
    pub replicates: u64,
    /// The base seed.
    pub seed: u64,
    /// The metric columns.
    pub metrics: &'a [Metric],
    /// One worker per pool thread (index `rayon::current_thread_index()`), and one for a
    /// caller outside the pool (last).
    workers: Vec<Mutex<Worker>>,
}

impl<'a> Plan<'a> {
    /// A plan for a pool of `threads` threads.
    pub fn new(
        scenario: &'a Scenario,
        design: &'a Design,
        replicates: u64,
        seed: u64,
        metrics: &'a [Metric],
        threads: usize,
    ) -> Plan<'a> {
        let workers = (0..=threads).map(|_| Mutex::new(Worker::default())).collect();
        Plan { scenario, design, replicates, seed, metrics, workers }
    }

    /// The rows of runs `runs`, in order, computed on the current rayon pool. Each thread
    /// uses its own worker (the lock is never contended).
    pub fn rows(&self, runs: std::ops::Range<u64>) -> Result<Vec<String>, SweepError> {
        let outside = self.workers.len() - 1;
        // Pieces of at most 16 runs: a thread descheduled on a loaded machine holds up the
        // end of a block by one short piece at most, the rest being stolen by the others.
        let runs = usize::try_from(runs.start).unwrap_or(usize::MAX)
            ..usize::try_from(runs.end).unwrap_or(usize::MAX);
        runs.into_par_iter()
            .with_max_len(16)
            .map(|run| {
                let run = run as u64;
                let i = rayon::current_thread_index().filter(|i| *i < outside).unwrap_or(outside);
                let mut worker = self.workers[i].lock().unwrap_or_else(|e| e.into_inner());
                worker.row(self, run)
            })
            .collect()
    }
}

/// A final bargaining problem, prepared, and its solutions.
type Analysis = (Result<Problem, AnalysisError>, Result<Bargaining, AnalysisError>);

/// How many prepared problems a worker keeps before it empties the cache. A problem holds
/// its cells (kilobytes to megabytes), and the runs that share one are consecutive (one
/// design point after another), so a few suffice; a worker lives for the whole sweep.
const PROBLEM_LIMIT: usize = 4;
/// How many solved problems (solutions for one disagreement point) a worker keeps.
const ANALYSIS_LIMIT: usize = 16;
/// How many assessments (of runs that ended alike) a worker keeps; each is a few hundred bytes.
const ASSESSMENT_LIMIT: usize = 1024;

/// One thread's state while it turns run indices into rows.
#[derive(Default)]
pub struct Worker {
    point: Option<(u64, Scenario, Vec<String>)>,
    analyses: HashMap<Vec<u64>, Analysis>,
    problems: HashMap<Vec<u64>, Result<Problem, AnalysisError>>,
    assessments: HashMap<Vec<u64>, Assessment>,
    key: Vec<u64>,
}

impl Worker {
    /// The `sweep.csv` row of run `run` (with its line break), or why its design point
    /// cannot run.
    pub fn row(&mut self, plan: &Plan<'_>, run: u64) -> Result<String, SweepError> {
        let point = run / plan.replicates;
        let replicate = run % plan.replicates;
        if self.point.as_ref().is_none_or(|(p, ..)| *p != point) {
            let values = plan.design.point(point);
            let scenario = plan.design.scenario_at(plan.scenario, point, &values)?;
            let texts = values.iter().map(AxisValue::to_string).collect();
            self.point = Some((point, scenario, texts));
        }
        let (_, scenario, texts) = self.point.as_ref().expect("set above");
        let seed = run_seed(plan.seed, replicate);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let result = run_negotiation(scenario, &mut rng, &mut Silent);
        let state = &result.final_state;
        let summary = RunSummary::new(result.end, state);

        // The prepared problem depends on the preferences (weights) only; the solutions on
        // the reservations too. Both are cached by the exact bits of what they read.
        self.key.clear();
        for party in state.parties() {
            self.key.extend(party.raw_weights().iter().map(|w| w.to_bits()));
        }
        let weights_len = self.key.len();
        self.key.extend(state.parties().iter().map(|p| p.reservation().to_bits()));
        if self.analyses.len() >= ANALYSIS_LIMIT {
            self.analyses.clear();
        }
        if self.problems.len() >= PROBLEM_LIMIT {
            self.problems.clear();
        }
        let problems = &mut self.problems;
        let (problem, bargaining) = self.analyses.entry(self.key.clone()).or_insert_with(|| {
            let shared = problems
                .entry(self.key[..weights_len].to_vec())
                .or_insert_with(|| Problem::new(state));
            let reservations: Vec<f64> = state.parties().iter().map(|p| p.reservation()).collect();
            let problem = match shared {
                Ok(p) => p.with_disagreement(&reservations),
                Err(e) => Err(e.clone()),
            };
            let bargaining = problem.as_ref().map(Problem::bargaining).map_err(Clone::clone);
            (problem, bargaining)
        });
        // The assessment is a function of the final problem and how the talks ended:
        // replicates that end alike share it (the Pareto gap of a deal is a program).
        self.key.push(match &summary.end {
            End::Agreement { proposer, .. } => *proposer as u64,
            End::Deadline { .. } => u64::MAX,
            End::WalkOut { party, .. } => u64::MAX - 1 - *party as u64,
            End::Breakdown { event, .. } => u64::MAX / 2 + event.map_or(0, |e| e as u64 + 1),
        });
        self.key.push(u64::from(summary.end.round()));
        if let Some(terms) = summary.end.terms() {
            self.key.extend(terms.values().iter().map(|x| x.to_bits()));
        }
        if self.assessments.len() >= ASSESSMENT_LIMIT {
            self.assessments.clear();
        }
        let assessment = match self.assessments.get(&self.key) {
            Some(a) => a,
            None => {
                let a = assess_prepared(
                    state,
                    &summary,
                    AnalysisLevel::Solutions,
                    Some(problem),
                    Some(bargaining.clone()),
                );
                self.assessments.entry(self.key.clone()).or_insert(a)
            }
        };
        let mut line = String::with_capacity(256);
        row::push_row(
            &mut line,
            RunId { run, point, replicate, seed },
            texts,
            plan.metrics,
            plan.scenario,
            &summary,
            assessment,
        );
        Ok(line)
    }
}

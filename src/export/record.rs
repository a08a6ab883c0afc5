//! Result records: the one serializable description of a run, shared by every output.
//!
//! `run.json` is a [`RunRecord`] serialized as is; `offers.csv`, the transcript on stdout
//! and (later) charts and reports are all rendered from the same record, so they cannot
//! disagree. The JSON is a contract for outside scripts: fields are only added within a
//! `schema_version`; renaming or removing one bumps it. The format is documented in
//! `docs/results.md`. Records also deserialize, so that `accord chart` can draw from a
//! `run.json` written earlier (by this or another run).

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

use crate::model::{Outcome, ParamValue, Preferences, Scenario, ValueFn};
use crate::protocol::Observer;
use crate::strategy::Response;

/// A name in a record (a party or issue id, a level name, an answer): shared, so that the
/// record of a long run holds one copy of each name however many offers repeat it, and the
/// [`Recorder`] copies no text per offer. Reads and compares as a `&str`; serializes as a
/// plain JSON string.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Name(Arc<str>);

impl Name {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name(Arc::from(s))
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name(Arc::from(s))
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.0.to_string()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl Serialize for Name {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Name::from)
    }
}

/// Version of the JSON/CSV result format.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything about one run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunRecord {
    /// Version of this format.
    pub schema_version: u32,
    /// Version of accord that produced it.
    pub accord_version: String,
    /// The scenario as run.
    pub scenario: ScenarioRecord,
    /// The seed of the run's random generator.
    pub seed: u64,
    /// How the talks ended.
    pub outcome: OutcomeRecord,
    /// Per-party results, in file order.
    pub parties: Vec<PartyRecord>,
    /// Totals over parties.
    pub welfare: WelfareRecord,
    /// Bargaining solutions and the deal's efficiency and fairness.
    pub analysis: AnalysisRecord,
    /// Events that took effect, in order.
    pub events: Vec<EventRecord>,
    /// Every offer, in order.
    pub offers: Vec<OfferRecordOut>,
}

/// The scenario's identity and shape.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScenarioRecord {
    /// Display name.
    pub name: String,
    /// The scenario's description (may be empty).
    pub description: String,
    /// File name the scenario was read from (no directories), or "" if none.
    pub file: String,
    /// Deadline in rounds (as at the start).
    pub max_rounds: u32,
    /// Party ids in proposing order.
    pub order: Vec<String>,
    /// Breakdown chance per round (as at the start).
    pub breakdown_risk: f64,
    /// `complete` or `learned`.
    pub information: String,
    /// The issues.
    pub issues: Vec<IssueRecord>,
    /// The declared assumptions (`[[assumptions]]`), in file order; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<AssumptionRecord>,
}

/// One declared assumption.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AssumptionRecord {
    /// The parameter path.
    pub path: String,
    /// Its value at the start of the run.
    pub value: Option<f64>,
    /// Lower end of the plausible range.
    pub low: f64,
    /// Upper end of the plausible range.
    pub high: f64,
    /// Who said so, when.
    pub source: String,
    /// `low`, `medium` or `high`, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
}

/// One issue.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IssueRecord {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// `continuous` or `ordinal`.
    pub kind: String,
    /// `[min, max]` of a continuous issue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// Unit of a continuous issue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Levels of an ordinal issue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<String>>,
}

/// How the talks ended.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutcomeRecord {
    /// `agreement`, `deadline`, `walk_out` or `breakdown`.
    pub kind: String,
    /// Round of the deal, walk-out or breakdown; rounds played for a deadline.
    pub round: u32,
    /// Who made the accepted offer (agreement only).
    pub proposer: Option<String>,
    /// Who walked out (walk-out only).
    pub walked_out: Option<String>,
    /// The event that ended the talks (breakdown by a scheduled event only).
    pub event: Option<String>,
    /// The agreed terms (agreement only).
    pub terms: Option<Terms>,
    /// One sentence saying what happened.
    pub summary: String,
}

/// One party's result.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PartyRecord {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Strategy kind.
    pub strategy: String,
    /// Reservation value at the start of the talks.
    pub initial_reservation: f64,
    /// Reservation value at the end of the talks.
    pub reservation: f64,
    /// Discount factor at the end of the talks.
    pub discount: f64,
    /// Undiscounted utility of the deal (null without a deal).
    pub utility: Option<f64>,
    /// Utility of the deal discounted to its round (null without a deal).
    pub discounted_utility: Option<f64>,
    /// What the party ends with: the discounted utility of the deal, or its reservation.
    pub payoff: f64,
    /// `payoff - reservation`.
    pub gain: f64,
    /// The party's preferences when the talks ended (events may have changed the weights):
    /// enough to recompute any utility or analysis from the record alone, as `accord chart`
    /// does for the Pareto frontier. Absent in files written before the field existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferences: Option<PreferencesRecord>,
}

/// A party's preferences: normalized weights and one value function per issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreferencesRecord {
    /// Weights by issue id, normalized to sum to 1.
    pub weights: OrderedMap<f64>,
    /// Value functions by issue id.
    pub values: OrderedMap<ValueRecord>,
}

/// One issue's value function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ValueRecord {
    /// A continuous issue: `[x, value]` points, linear between them and flat beyond.
    Points(Vec<[f64; 2]>),
    /// An ordinal issue: the value of each level, by level name in level order.
    Levels(OrderedMap<f64>),
}

/// Totals over parties.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WelfareRecord {
    /// Sum of payoffs.
    pub total_payoff: f64,
    /// Sum of undiscounted utilities of the deal (null without a deal).
    pub total_utility: Option<f64>,
}

/// The bargaining analysis, on undiscounted utilities and the parameters in force when the
/// talks ended.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AnalysisRecord {
    /// How much was analysed: `none`, `solutions` (what `accord run` computes) or `frontier`
    /// (the solutions and the two-party Pareto frontier, what `accord report` computes).
    /// Fields beyond the level are `null`: not computed, which says nothing of their value.
    #[serde(default = "solutions_level")]
    pub level: String,
    /// Why the analysis is missing, if it could not be done (the other fields are then empty).
    pub error: Option<String>,
    /// Whether some deal gives every party strictly more than its reservation value; `null`
    /// when the analysis was not done or was refused.
    pub zone_of_agreement: Option<bool>,
    /// Reservation values by party.
    pub disagreement: PartyValues,
    /// Each party's best utility among deals everyone prefers to no deal.
    pub ideal: Option<PartyValues>,
    /// The Nash bargaining solution.
    pub nash: Option<SolutionRecord>,
    /// The Kalai–Smorodinsky solution.
    pub kalai_smorodinsky: Option<SolutionRecord>,
    /// The deal maximizing the sum of utilities.
    pub utilitarian: Option<SolutionRecord>,
    /// Efficiency and fairness of the simulated deal (null without a deal).
    pub deal: Option<DealAnalysis>,
    /// Comparison with the real deal (null without `[observed]`).
    pub observed: Option<ObservedAnalysis>,
    /// Pareto frontier points (u of first party, u of second), two-party scenarios at the
    /// `frontier` level only.
    pub frontier: Option<Vec<[f64; 2]>>,
}

/// The level of a run.json written before the field existed: `accord run` always analysed
/// the solutions.
fn solutions_level() -> String {
    "solutions".to_string()
}

/// A bargaining solution.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SolutionRecord {
    /// Its terms.
    pub terms: Terms,
    /// Undiscounted utilities by party.
    pub utilities: PartyValues,
}

/// How good the simulated deal is.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DealAnalysis {
    /// True if no other deal makes someone better off and no one worse off.
    pub pareto_optimal: bool,
    /// The largest total utility gain available without making anyone worse off (0 if optimal).
    pub pareto_gap: f64,
    /// Euclidean distance in utility space to the Nash solution.
    pub distance_to_nash: Option<f64>,
    /// Euclidean distance in utility space to the Kalai–Smorodinsky solution.
    pub distance_to_kalai_smorodinsky: Option<f64>,
    /// Euclidean distance in utility space to the utilitarian optimum.
    pub distance_to_utilitarian: Option<f64>,
}

/// The real deal against the simulated one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ObservedAnalysis {
    /// The real terms.
    pub terms: Terms,
    /// Undiscounted utilities of the real terms by party.
    pub utilities: PartyValues,
    /// Pareto gap of the real deal (null if the analysis failed).
    pub pareto_gap: Option<f64>,
    /// Euclidean distance in utility space between the simulated and the real deal.
    pub utility_distance: Option<f64>,
    /// Mean absolute difference of the terms, each as a fraction of its issue's range.
    pub terms_distance: Option<f64>,
    /// The round of the real deal, if the scenario gives it.
    pub round: Option<u32>,
    /// Simulated deal round minus the real one (negative: the simulation agreed earlier).
    pub round_difference: Option<i64>,
    /// Source or caveats from the scenario.
    pub description: String,
}

/// An event that took effect.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventRecord {
    /// The round at whose start it applied.
    pub round: u32,
    /// What happened.
    pub description: String,
    /// Parameter changes (dotted path to new value).
    pub set: OrderedMap<f64>,
    /// Whether it ended the talks.
    pub ends_talks: bool,
}

/// One offer and the answers to it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OfferRecordOut {
    /// Round (0-based).
    pub round: u32,
    /// Proposer id.
    pub proposer: Name,
    /// The terms.
    pub terms: Terms,
    /// Undiscounted utilities by party, with the parameters in force at the round.
    pub utilities: PartyValues,
    /// Answers in order, until the first rejection or walk-out.
    pub responses: Vec<ResponseRecord>,
}

/// One answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResponseRecord {
    /// Who answered.
    pub party: Name,
    /// `accept`, `reject` or `walk_away`.
    pub response: Name,
}

/// A term: a number (continuous issue) or a level name (ordinal issue).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TermValue {
    /// A number.
    Number(f64),
    /// A level name.
    Level(Name),
}

/// Name-keyed values in a fixed order, serialized as a JSON object in that order.
#[derive(Clone, Debug, PartialEq)]
pub struct OrderedMap<V>(pub Vec<(Name, V)>);

/// Terms by issue id, in scenario order.
pub type Terms = OrderedMap<TermValue>;
/// Values by party id, in scenario order.
pub type PartyValues = OrderedMap<f64>;

impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    entries.push((k, v));
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(Entries(std::marker::PhantomData))
    }
}

impl<V> OrderedMap<V> {
    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }
}

/// Terms of an outcome as a record.
pub fn terms(scenario: &Scenario, outcome: &Outcome) -> Terms {
    OrderedMap(
        scenario
            .issues()
            .iter()
            .zip(outcome.values())
            .map(|(issue, x)| {
                let value = match issue.level_name(*x) {
                    Some(level) if issue.is_ordinal() => TermValue::Level(level.into()),
                    _ => TermValue::Number(*x),
                };
                (issue.id().into(), value)
            })
            .collect(),
    )
}

/// A party's preferences as a record.
pub fn preferences(scenario: &Scenario, prefs: &Preferences) -> PreferencesRecord {
    let issues = scenario.issues();
    PreferencesRecord {
        weights: OrderedMap(
            issues.iter().zip(prefs.weights()).map(|(i, w)| (i.id().into(), *w)).collect(),
        ),
        values: OrderedMap(
            issues
                .iter()
                .zip(prefs.values())
                .map(|(issue, value)| {
                    let record = match value {
                        ValueFn::Piecewise(points) => {
                            ValueRecord::Points(points.iter().map(|&(x, v)| [x, v]).collect())
                        }
                        ValueFn::Levels(values) => ValueRecord::Levels(OrderedMap(
                            issue
                                .levels()
                                .iter()
                                .map(|l| Name::from(l.as_str()))
                                .zip(values.iter().copied())
                                .collect(),
                        )),
                    };
                    (issue.id().into(), record)
                })
                .collect(),
        ),
    }
}

/// Values by party id.
pub fn party_values(scenario: &Scenario, values: impl IntoIterator<Item = f64>) -> PartyValues {
    OrderedMap(scenario.parties().iter().map(|p| Name::from(p.id())).zip(values).collect())
}

/// An observer that keeps every event, offer and answer of a run for its record.
///
/// It copies no text per offer: party, issue, level and answer names are made once per run
/// and shared ([`Name`]); an offer costs its three lists (terms, utilities, answers).
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    /// Events, as they took effect.
    pub events: Vec<EventRecord>,
    /// Offers with their answers.
    pub offers: Vec<OfferRecordOut>,
    names: Option<Names>,
}

/// The names a run's offers repeat, made on the first call.
#[derive(Clone, Debug)]
struct Names {
    parties: Vec<Name>,
    issues: Vec<Name>,
    /// Per issue: its level names (empty for a numeric issue).
    levels: Vec<Vec<Name>>,
    /// `accept`, `reject`, `walk_away`.
    answers: [Name; 3],
}

impl Names {
    fn of(scenario: &Scenario) -> Names {
        let answer = |r: Response| Name::from(r.as_str());
        Names {
            parties: scenario.parties().iter().map(|p| Name::from(p.id())).collect(),
            issues: scenario.issues().iter().map(|i| Name::from(i.id())).collect(),
            levels: scenario
                .issues()
                .iter()
                .map(|i| {
                    if i.is_ordinal() {
                        i.levels().iter().map(|l| Name::from(l.as_str())).collect()
                    } else {
                        Vec::new()
                    }
                })
                .collect(),
            answers: [
                answer(Response::Accept),
                answer(Response::Reject),
                answer(Response::WalkAway),
            ],
        }
    }

    /// The same terms as [`terms`], from the shared names.
    fn terms(&self, outcome: &Outcome) -> Terms {
        OrderedMap(
            self.issues
                .iter()
                .zip(&self.levels)
                .zip(outcome.values())
                .map(|((id, levels), x)| {
                    let idx = x.round();
                    let value = if !levels.is_empty() && idx >= 0.0 && (idx as usize) < levels.len()
                    {
                        TermValue::Level(levels[idx as usize].clone())
                    } else {
                        TermValue::Number(*x)
                    };
                    (id.clone(), value)
                })
                .collect(),
        )
    }
}

impl Recorder {
    fn names(&mut self, scenario: &Scenario) -> &Names {
        self.names.get_or_insert_with(|| Names::of(scenario))
    }
}

impl Observer for Recorder {
    fn event(&mut self, round: u32, event: &crate::model::Event, scenario: &Scenario) {
        self.events.push(EventRecord {
            round,
            description: event.description.clone(),
            set: OrderedMap(
                event
                    .changes
                    .iter()
                    // Events from scenario files set numbers only (validation refuses a
                    // strategy kind at an event), so nothing is left out here in practice.
                    .filter_map(|(path, value)| match value {
                        ParamValue::Number(x) => {
                            Some((path.display(scenario).to_string().into(), *x))
                        }
                        ParamValue::Kind(_) => None,
                    })
                    .collect(),
            ),
            ends_talks: event.ends_talks,
        });
    }

    fn offer(&mut self, round: u32, proposer: usize, offer: &Outcome, scenario: &Scenario) {
        let names = self.names(scenario);
        let record = OfferRecordOut {
            round,
            proposer: names.parties[proposer].clone(),
            terms: names.terms(offer),
            utilities: OrderedMap(
                names
                    .parties
                    .iter()
                    .zip(scenario.parties())
                    .map(|(id, p)| (id.clone(), p.utility(offer)))
                    .collect(),
            ),
            responses: Vec::new(),
        };
        self.offers.push(record);
    }

    fn response(&mut self, _round: u32, party: usize, response: Response) {
        let Some(names) = &self.names else { return };
        let party = names.parties[party].clone();
        let response = names.answers[match response {
            Response::Accept => 0,
            Response::Reject => 1,
            Response::WalkAway => 2,
        }]
        .clone();
        if let Some(offer) = self.offers.last_mut() {
            offer.responses.push(ResponseRecord { party, response });
        }
    }
}

//! Strategy kinds: one declarative entry per `kind` a scenario may name.
//!
//! Validation (which parameters a kind takes, their ranges and defaults), parameter paths
//! (`parties.<id>.strategy` and `parties.<id>.strategy.<parameter>`), help texts and the
//! interop name maps all read [`STRATEGY_KINDS`]; a kind's name and parameters are spelled
//! here and nowhere else. The behaviour behind a kind lives in `crate::strategy`.

use std::fmt;

use crate::model::{StrategySpec, TimeDependentFamily};

/// An interval of allowed numbers, each end open or closed (an infinite end is open).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// Lower end.
    pub low: f64,
    /// Whether `low` itself is allowed.
    pub low_closed: bool,
    /// Upper end (may be infinite).
    pub high: f64,
    /// Whether `high` itself is allowed.
    pub high_closed: bool,
}

impl Bounds {
    /// `(low, high)`.
    pub const fn open(low: f64, high: f64) -> Bounds {
        Bounds { low, low_closed: false, high, high_closed: false }
    }

    /// `[low, high]`.
    pub const fn closed(low: f64, high: f64) -> Bounds {
        Bounds { low, low_closed: true, high, high_closed: true }
    }

    /// `[low, high)`.
    pub const fn closed_open(low: f64, high: f64) -> Bounds {
        Bounds { low, low_closed: true, high, high_closed: false }
    }

    /// `(low, high]`.
    pub const fn open_closed(low: f64, high: f64) -> Bounds {
        Bounds { low, low_closed: false, high, high_closed: true }
    }

    /// `> low`.
    pub const fn above(low: f64) -> Bounds {
        Bounds::open(low, f64::INFINITY)
    }

    /// `>= low`.
    pub const fn at_least(low: f64) -> Bounds {
        Bounds::closed_open(low, f64::INFINITY)
    }

    /// Whether `x` is a finite number inside the bounds.
    pub fn contains(&self, x: f64) -> bool {
        x.is_finite()
            && (if self.low_closed { x >= self.low } else { x > self.low })
            && (if self.high_closed { x <= self.high } else { x < self.high })
    }
}

/// `in (0, 1)`, `> 1`, `>= 0`, `exactly 1`: how help texts and errors state a range.
impl fmt::Display for Bounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.low == self.high {
            return write!(f, "exactly {}", self.low);
        }
        if self.high.is_infinite() {
            let op = if self.low_closed { ">=" } else { ">" };
            return write!(f, "{op} {}", self.low);
        }
        let open = if self.low_closed { '[' } else { '(' };
        let close = if self.high_closed { ']' } else { ')' };
        write!(f, "in {open}{}, {}{close}", self.low, self.high)
    }
}

/// One numeric parameter of a strategy kind.
#[derive(Debug)]
pub struct KindParam {
    /// The key in `strategy = { ... }` and the last part of its path.
    pub name: &'static str,
    /// One line for help texts.
    pub doc: &'static str,
    /// The allowed values.
    pub bounds: Bounds,
    /// The value when the file omits it; `None`: required.
    pub default: Option<f64>,
    /// Whether events and sweeps may set it (`parties.<id>.strategy.<name>`).
    pub settable: bool,
}

/// One strategy kind: everything validation, paths and help need to know about it.
#[derive(Debug)]
pub struct StrategyKind {
    /// The `kind` string of scenario files.
    pub name: &'static str,
    /// One line for help texts.
    pub doc: &'static str,
    /// Its numeric parameters, in the order [`StrategyKind::build`] takes them.
    pub params: &'static [KindParam],
    /// Whether it also takes a list of offers (`scripted`): then it has no default form and
    /// cannot be chosen by a path.
    pub takes_offers: bool,
    /// `Some(n)`: the kind is defined only for exactly `n` parties.
    pub parties: Option<usize>,
    /// Builds the spec from the parameters (in `params` order); `None` for `scripted`,
    /// whose offers come from the file.
    pub build: fn(&[f64]) -> Option<StrategySpec>,
}

impl StrategyKind {
    /// The parameter called `name`, if the kind takes one.
    pub fn param(&self, name: &str) -> Option<&'static KindParam> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The spec with every parameter at its default, if every parameter has one (not for
    /// `time_dependent`, whose exponent is required, nor `scripted`).
    pub fn default_spec(&self) -> Option<StrategySpec> {
        let values: Option<Vec<f64>> = self.params.iter().map(|p| p.default).collect();
        (self.build)(&values?)
    }

    /// The names of the kinds a path can choose (those with a default form).
    pub fn choosable() -> impl Iterator<Item = &'static StrategyKind> {
        STRATEGY_KINDS.iter().filter(|k| k.default_spec().is_some())
    }

    /// The entry called `name`.
    pub fn named(name: &str) -> Option<&'static StrategyKind> {
        STRATEGY_KINDS.iter().find(|k| k.name == name)
    }

    /// The entry of a spec's kind.
    pub fn of(spec: &StrategySpec) -> &'static StrategyKind {
        StrategyKind::named(spec.kind()).expect("every spec kind has an entry")
    }
}

const EXPONENT_DOC: &str = "shape of the concession curve: below 1 concedes late, above 1 early";

fn time_dependent(family: TimeDependentFamily) -> impl Fn(&[f64]) -> Option<StrategySpec> {
    move |p| Some(StrategySpec::TimeDependent { exponent: p[0], family })
}

/// Every strategy kind, in the order help texts list them.
pub const STRATEGY_KINDS: &[StrategyKind] = &[
    StrategyKind {
        name: "boulware",
        doc: "time-dependent: holds firm, concedes late",
        params: &[KindParam {
            name: "exponent",
            doc: EXPONENT_DOC,
            bounds: Bounds::open(0.0, 1.0),
            default: Some(0.2),
            settable: true,
        }],
        takes_offers: false,
        parties: None,
        build: |p| time_dependent(TimeDependentFamily::Boulware)(p),
    },
    StrategyKind {
        name: "linear",
        doc: "time-dependent: concedes at an even pace (exponent 1)",
        params: &[],
        takes_offers: false,
        parties: None,
        build: |_| time_dependent(TimeDependentFamily::Linear)(&[1.0]),
    },
    StrategyKind {
        name: "conceder",
        doc: "time-dependent: concedes early",
        params: &[KindParam {
            name: "exponent",
            doc: EXPONENT_DOC,
            bounds: Bounds::above(1.0),
            default: Some(2.0),
            settable: true,
        }],
        takes_offers: false,
        parties: None,
        build: |p| time_dependent(TimeDependentFamily::Conceder)(p),
    },
    StrategyKind {
        name: "time_dependent",
        doc: "time-dependent with any exponent",
        params: &[KindParam {
            name: "exponent",
            doc: EXPONENT_DOC,
            bounds: Bounds::above(0.0),
            default: None,
            settable: true,
        }],
        takes_offers: false,
        parties: None,
        build: |p| time_dependent(TimeDependentFamily::TimeDependent)(p),
    },
    StrategyKind {
        name: "hardliner",
        doc: "always demands its best outcome",
        params: &[],
        takes_offers: false,
        parties: None,
        build: |_| Some(StrategySpec::Hardliner),
    },
    StrategyKind {
        name: "tit_for_tat",
        doc: "reciprocates the others' concessions, measured in its own utility",
        params: &[
            KindParam {
                name: "factor",
                doc: "how much of the others' concession it gives back (1 = the same amount)",
                bounds: Bounds::above(0.0),
                default: Some(1.0),
                settable: true,
            },
            KindParam {
                name: "initial_concession",
                doc: "the concession it opens with on its first counteroffer, in utility",
                bounds: Bounds::closed_open(0.0, 1.0),
                default: Some(0.05),
                settable: true,
            },
        ],
        takes_offers: false,
        parties: None,
        build: |p| Some(StrategySpec::TitForTat { factor: p[0], initial_concession: p[1] }),
    },
    StrategyKind {
        name: "zeuthen",
        doc: "Zeuthen's risk-based monotonic concession",
        params: &[],
        takes_offers: false,
        parties: None,
        build: |_| Some(StrategySpec::Zeuthen),
    },
    StrategyKind {
        name: "rubinstein",
        doc: "the subgame-perfect Rubinstein strategy (exactly two parties)",
        params: &[],
        takes_offers: false,
        parties: Some(2),
        build: |_| Some(StrategySpec::Rubinstein),
    },
    StrategyKind {
        name: "scripted",
        doc: "replays fixed offers in order",
        params: &[],
        takes_offers: true,
        parties: None,
        build: |_| None,
    },
];

/// "two" for 2 (as messages spell a party count), the digits otherwise.
pub fn number_word(n: usize) -> String {
    match n {
        2 => "two".into(),
        3 => "three".into(),
        n => n.to_string(),
    }
}

/// The kind names, in table order.
pub fn kind_names() -> Vec<&'static str> {
    STRATEGY_KINDS.iter().map(|k| k.name).collect()
}

impl StrategySpec {
    /// The value of the numeric parameter `name`, if this spec's kind takes one.
    pub fn param(&self, name: &str) -> Option<f64> {
        match (self, name) {
            (StrategySpec::TimeDependent { exponent, family }, "exponent")
                if *family != TimeDependentFamily::Linear =>
            {
                Some(*exponent)
            }
            (StrategySpec::TitForTat { factor, .. }, "factor") => Some(*factor),
            (StrategySpec::TitForTat { initial_concession, .. }, "initial_concession") => {
                Some(*initial_concession)
            }
            _ => None,
        }
    }

    /// Sets the numeric parameter `name`; returns false (and changes nothing) if the kind
    /// takes no such parameter. The caller checks the value against the kind's bounds.
    pub(crate) fn set_param(&mut self, name: &str, value: f64) -> bool {
        let slot = match (self, name) {
            (StrategySpec::TimeDependent { exponent, family }, "exponent")
                if *family != TimeDependentFamily::Linear =>
            {
                exponent
            }
            (StrategySpec::TitForTat { factor, .. }, "factor") => factor,
            (StrategySpec::TitForTat { initial_concession, .. }, "initial_concession") => {
                initial_concession
            }
            _ => return false,
        };
        *slot = value;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> &'static StrategyKind {
        StrategyKind::named(name).unwrap()
    }

    /// Each entry's parameters round-trip through its constructor and the spec accessors,
    /// and its defaults lie inside its bounds.
    fn check_entry(name: &str, defaults: &[(&str, f64)]) {
        let k = kind(name);
        assert_eq!(k.params.len(), defaults.len(), "{name}: parameters");
        for (p, (pname, default)) in k.params.iter().zip(defaults) {
            assert_eq!(p.name, *pname);
            if let Some(d) = p.default {
                assert_eq!(d, *default, "{name}.{pname} default");
                assert!(p.bounds.contains(d), "{name}.{pname}: default outside {}", p.bounds);
            }
        }
        let values: Vec<f64> = defaults.iter().map(|d| d.1).collect();
        let spec = (k.build)(&values).expect("buildable");
        assert_eq!(spec.kind(), name);
        assert!(std::ptr::eq(StrategyKind::of(&spec), k));
        for (pname, value) in defaults {
            assert_eq!(spec.param(pname), Some(*value), "{name}.{pname}");
            let mut changed = spec.clone();
            assert!(changed.set_param(pname, value / 2.0));
            assert_eq!(changed.param(pname), Some(value / 2.0));
        }
        assert!(!spec.clone().set_param("nonsense", 1.0));
    }

    #[test]
    fn boulware() {
        check_entry("boulware", &[("exponent", 0.2)]);
        assert!(!kind("boulware").param("exponent").unwrap().bounds.contains(1.0));
    }

    #[test]
    fn linear() {
        check_entry("linear", &[]);
        let spec = kind("linear").default_spec().unwrap();
        assert_eq!(
            spec,
            StrategySpec::TimeDependent { exponent: 1.0, family: TimeDependentFamily::Linear }
        );
        assert_eq!(spec.param("exponent"), None, "linear's exponent is fixed, not a parameter");
    }

    #[test]
    fn conceder() {
        check_entry("conceder", &[("exponent", 2.0)]);
        assert!(!kind("conceder").param("exponent").unwrap().bounds.contains(1.0));
    }

    #[test]
    fn time_dependent_requires_its_exponent() {
        check_entry("time_dependent", &[("exponent", 0.7)]);
        assert_eq!(kind("time_dependent").default_spec(), None);
    }

    #[test]
    fn hardliner() {
        check_entry("hardliner", &[]);
    }

    #[test]
    fn tit_for_tat() {
        check_entry("tit_for_tat", &[("factor", 1.0), ("initial_concession", 0.05)]);
        let spec = kind("tit_for_tat").default_spec().unwrap();
        assert_eq!(spec, StrategySpec::TitForTat { factor: 1.0, initial_concession: 0.05 });
    }

    #[test]
    fn zeuthen() {
        check_entry("zeuthen", &[]);
    }

    #[test]
    fn rubinstein_needs_two_parties() {
        check_entry("rubinstein", &[]);
        assert_eq!(kind("rubinstein").parties, Some(2));
    }

    #[test]
    fn scripted_has_no_default_form() {
        let k = kind("scripted");
        assert!(k.takes_offers);
        assert_eq!(k.default_spec(), None);
        assert!(StrategyKind::choosable().all(|k| k.name != "scripted"));
    }

    #[test]
    fn every_entry_is_tested_and_names_are_unique() {
        let names = kind_names();
        let tested = [
            "boulware",
            "linear",
            "conceder",
            "time_dependent",
            "hardliner",
            "tit_for_tat",
            "zeuthen",
            "rubinstein",
            "scripted",
        ];
        assert_eq!(names, tested);
    }

    #[test]
    fn bounds_read_as_help_texts_do() {
        assert_eq!(Bounds::open(0.0, 1.0).to_string(), "in (0, 1)");
        assert_eq!(Bounds::above(1.0).to_string(), "> 1");
        assert_eq!(Bounds::at_least(0.0).to_string(), ">= 0");
        assert_eq!(Bounds::closed_open(0.0, 1.0).to_string(), "in [0, 1)");
        assert_eq!(Bounds::closed(1.0, 1.0).to_string(), "exactly 1");
        assert!(!Bounds::above(0.0).contains(f64::INFINITY));
        assert!(!Bounds::closed(0.0, 1.0).contains(f64::NAN));
    }
}

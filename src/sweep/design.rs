//! What a sweep varies and where: axes parsed from `--vary PATH=SPEC`, and the design that
//! turns them into points.
//!
//! A point is computed from its index alone ([`Design::point`]), never by walking the ones
//! before it, so that any shard, thread or resumed sweep computes the same point for the
//! same index, and a design of ten million points costs no memory beyond its axes (and, for
//! a Latin hypercube, one permutation of the samples per axis).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::{ParamPath, ParamProblem, ParamValue, Scenario};

use super::SweepError;

/// How the points of a sweep are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DesignKind {
    /// Every combination of the axes' values (the cartesian product), the last axis fastest.
    Grid,
    /// `--samples` points drawn uniformly and independently over the axes' ranges (Monte Carlo).
    Random,
    /// `--samples` points of a Latin hypercube over the axes' ranges: each axis's range cut
    /// into `samples` equal strata, each stratum used exactly once, a uniform draw inside it.
    Lhs,
    /// Points listed by the caller (a sensitivity analysis's design), with the rule that
    /// made them: see [`Design::from_points`].
    Points,
}

impl DesignKind {
    /// The design's name as on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Random => "random",
            DesignKind::Lhs => "lhs",
            DesignKind::Points => "points",
        }
    }
}

/// One value of an axis: a number, or at `parties.<id>.strategy` a strategy kind (the
/// model's [`ParamValue`]). Its text in `sweep.csv` is the shortest text that reads back to
/// the same number, or the kind's name.
pub type AxisValue = ParamValue;

/// Formats a number as the shortest text that reads back to it (`0.1`, `3`, `-0`, `1e-7`).
pub fn format_number(x: f64) -> String {
    format!("{x}")
}

/// What an axis ranges over.
#[derive(Clone, Debug, PartialEq)]
pub enum AxisSpec {
    /// `a..b:n` (grid: `n` values evenly spaced, both ends included) or `a..b` (random and
    /// lhs: the interval).
    Range {
        /// Lower end as written.
        from: f64,
        /// Upper end as written.
        to: f64,
        /// The number of grid values, when given.
        count: Option<usize>,
    },
    /// `a,b,c`: these values (every design picks among them).
    List(Vec<AxisValue>),
}

/// One varied parameter: `--vary PATH=SPEC`.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The path as written (the column name in `sweep.csv`).
    pub name: String,
    /// The path, resolved against the scenario.
    pub path: ParamPath,
    /// The SPEC as written.
    pub spec_text: String,
    /// What the axis ranges over.
    pub spec: AxisSpec,
    /// The listed values (a list); empty for a range, whose values are computed on demand.
    values: Vec<AxisValue>,
}

impl Axis {
    /// Parses `PATH=SPEC` against a scenario and checks every value the axis can take
    /// against the path's allowed range, before anything runs.
    pub fn parse(arg: &str, scenario: &Scenario) -> Result<Axis, SweepError> {
        let bad = |problem: String, help: String| SweepError::Axis {
            arg: arg.to_string(),
            problem,
            help,
        };
        let Some((name, spec_text)) = arg.split_once('=') else {
            return Err(bad(
                "expected PATH=SPEC".into(),
                "write for example `--vary parties.us.reservation=0..0.6:7` or \
                 `--vary scenario.breakdown_risk=0,0.01,0.05`"
                    .into(),
            ));
        };
        let (name, spec_text) = (name.trim(), spec_text.trim());
        let path = ParamPath::parse(name, scenario).map_err(|problem| {
            bad(
                problem,
                "`accord sweep --help` lists the paths; `accord validate` checks a scenario's ids"
                    .into(),
            )
        })?;
        let spec = parse_spec(spec_text, &path).map_err(|(problem, help)| bad(problem, help))?;
        // Each value on the scenario as it stands: the one rule book, `Params::apply`.
        let base = scenario.params();
        // A strategy parameter's range depends on the party's kind, which another axis may
        // set: such axes are checked point by point (`Design::check`).
        let deferred = matches!(path, ParamPath::StrategyParam(..));
        let check = |value: ParamValue| {
            if deferred {
                return Ok(());
            }
            base.apply(scenario, &[(path.clone(), value)]).map(|_| ()).map_err(|e| {
                bad(
                    format!("`{value}` is not allowed: {}", e.problem),
                    format!("{}; change the SPEC so that every value is allowed", e.help()),
                )
            })
        };
        let values = match &spec {
            AxisSpec::Range { from, to, count } => {
                // The allowed ranges are intervals: the ends decide for every value between.
                check(ParamValue::Number(*from))?;
                check(ParamValue::Number(*to))?;
                if let (ParamPath::MaxRounds, Some(n)) = (&path, count)
                    && let Some(x) =
                        (0..*n).map(|i| grid_value(*from, *to, *n, i)).find(|x| x.fract() != 0.0)
                {
                    return Err(bad(
                        format!("`{}` is not a whole number of rounds", format_number(x)),
                        "choose ends and a count that give whole numbers, or list the values"
                            .into(),
                    ));
                }
                Vec::new()
            }
            AxisSpec::List(values) => {
                for value in values {
                    check(*value)?;
                }
                values.clone()
            }
        };
        if matches!(path, ParamPath::MaxRounds)
            && let AxisSpec::Range { count: None, from, to } = spec
            && (from.fract() != 0.0 || to.fract() != 0.0)
        {
            return Err(bad(
                "`scenario.max_rounds` takes whole numbers of rounds".into(),
                "give whole-number ends, for example `scenario.max_rounds=10..200`".into(),
            ));
        }
        Ok(Axis { name: name.to_string(), path, spec_text: spec_text.to_string(), spec, values })
    }

    /// Parses several `--vary` arguments in order. A strategy parameter
    /// (`parties.<id>.strategy.exponent`) that the party's kind in the file lacks is accepted
    /// when an earlier axis sets that party's kind to one that has it: it is resolved against
    /// the scenario with that kind, and every combination is checked by [`Design::check`].
    pub fn parse_all(args: &[String], scenario: &Scenario) -> Result<Vec<Axis>, SweepError> {
        let mut axes: Vec<Axis> = Vec::with_capacity(args.len());
        for arg in args {
            let axis = Axis::parse(arg, scenario).or_else(|err| {
                let switched = axes.iter().find_map(|a| {
                    let ParamPath::Strategy(p) = a.path else { return None };
                    let name = arg.split_once('=')?.0.trim();
                    let prefix = format!("parties.{}.strategy.", scenario.parties()[p].id());
                    let param = name.strip_prefix(&prefix)?;
                    let kind = (0..a.len()).map(|i| a.value(i)).find(|v| {
                        matches!(v, ParamValue::Kind(k) if k.param(param).is_some_and(|q| q.settable))
                    })?;
                    scenario.with_changes(&[(a.path.clone(), kind)]).ok()
                });
                match switched {
                    Some(with_kind) => Axis::parse(arg, &with_kind),
                    None => Err(err),
                }
            })?;
            axes.push(axis);
        }
        Ok(axes)
    }

    /// The number of grid values of this axis (0 for a range without count).
    pub fn len(&self) -> usize {
        match &self.spec {
            AxisSpec::Range { count, .. } => count.unwrap_or(0),
            AxisSpec::List(values) => values.len(),
        }
    }

    /// True for a range without count (sampled by random and lhs designs).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Grid value `i` (< [`Axis::len`]).
    pub fn value(&self, i: usize) -> AxisValue {
        match &self.spec {
            AxisSpec::Range { from, to, count } => {
                ParamValue::Number(grid_value(*from, *to, count.unwrap_or(2), i))
            }
            AxisSpec::List(values) => values[i],
        }
    }

    /// The value at `u` in [0, 1) for the random and Latin hypercube designs (and the
    /// designs of a sensitivity analysis): `a + u(b - a)`, or whole rounds for
    /// `scenario.max_rounds`, each equally likely.
    pub fn at(&self, u: f64) -> AxisValue {
        match &self.spec {
            AxisSpec::Range { from, to, .. } => {
                if matches!(self.path, ParamPath::MaxRounds) {
                    // Whole rounds, each equally likely.
                    let span = (to - from + 1.0).max(1.0);
                    AxisValue::Number((from + (u * span).floor()).min(*to))
                } else {
                    AxisValue::Number((from + u * (to - from)).clamp(from.min(*to), from.max(*to)))
                }
            }
            AxisSpec::List(values) => {
                let k = values.len();
                values[((u * k as f64) as usize).min(k - 1)]
            }
        }
    }
}

/// `n` values from `from` to `to`, both ends included: value `i` is
/// `from + i * (to - from) / (n - 1)`, computed from `i` directly (never by repeated
/// addition), and the last is `to` exactly.
pub fn grid_values(from: f64, to: f64, n: usize) -> Vec<f64> {
    (0..n).map(|i| grid_value(from, to, n, i)).collect()
}

/// Value `i` of [`grid_values`], computed alone.
pub fn grid_value(from: f64, to: f64, n: usize, i: usize) -> f64 {
    if n <= 1 {
        from
    } else if i + 1 >= n {
        to
    } else {
        from + (i as f64) * (to - from) / ((n - 1) as f64)
    }
}

/// Designs up to this many points are checked point by point before the first run.
pub const CHECKED_POINTS: u64 = 1_000_000;

/// The largest number of values `a..b:n` may ask for on one axis.
pub const MAX_AXIS_VALUES: usize = 10_000_000;

fn parse_spec(text: &str, path: &ParamPath) -> Result<AxisSpec, (String, String)> {
    let number = |s: &str| -> Result<f64, (String, String)> {
        crate::model::parse_number(s).map_err(|problem| match problem {
            ParamProblem::Underflow { .. } => {
                (problem.to_string(), "write 0, or a number such as 1e-300".into())
            }
            _ => (
                format!("`{}` is not a finite number", s.trim()),
                "write numbers such as `0.25`, `-1`, `1e-3`".into(),
            ),
        })
    };
    if text.is_empty() {
        return Err((
            "the SPEC is empty".into(),
            "write `a..b:n` (n evenly spaced values) or a list `a,b,c`".into(),
        ));
    }
    let categorical = matches!(path, ParamPath::Strategy(_));
    if let Some((from, rest)) = text.split_once("..").filter(|_| !categorical) {
        let (to, count) = match rest.split_once(':') {
            Some((to, count)) => {
                let count = count.trim();
                let n: usize = count.parse().map_err(|_| {
                    if !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) {
                        (
                            format!(
                                "`{count}` values: a range needs between 2 and {MAX_AXIS_VALUES}"
                            ),
                            "use fewer values".into(),
                        )
                    } else {
                        (
                            format!("`{count}` is not a whole number of values"),
                            "write `a..b:n` with n a whole number >= 2, for example `0..1:11`"
                                .into(),
                        )
                    }
                })?;
                if !(2..=MAX_AXIS_VALUES).contains(&n) {
                    return Err((
                        format!("`{n}` values: a range needs between 2 and {MAX_AXIS_VALUES}"),
                        "give at least 2 values (both ends), or list a single value: `a`".into(),
                    ));
                }
                (to, Some(n))
            }
            None => (rest, None),
        };
        let (from, to) = (number(from)?, number(to)?);
        if from > to {
            return Err((
                format!("the range `{text}` runs downwards"),
                format!(
                    "write the smaller end first: `{}..{}`",
                    format_number(to),
                    format_number(from)
                ),
            ));
        }
        if from == to && count.is_some() {
            return Err((
                format!("the range `{text}` has equal ends: its values would all be the same"),
                format!("give the single value `{}`", format_number(from)),
            ));
        }
        return Ok(AxisSpec::Range { from, to, count });
    }
    let mut values = Vec::new();
    for item in text.split(',') {
        let value = path.parse_value(item).map_err(|problem| {
            let help = if categorical {
                "list strategy kinds: `boulware,conceder,tit_for_tat`".to_string()
            } else {
                "write a list of numbers `a,b,c` or a range `a..b:n`".to_string()
            };
            (problem.to_string(), help)
        })?;
        if values.contains(&value) {
            return Err((
                format!("`{value}` is listed twice"),
                "list each value once; use --replicates to repeat runs".into(),
            ));
        }
        values.push(value);
    }
    Ok(AxisSpec::List(values))
}

/// The axes and how points are chosen among them.
#[derive(Clone, Debug)]
pub struct Design {
    /// How points are chosen.
    pub kind: DesignKind,
    /// The varied parameters, in the order given.
    pub axes: Vec<Axis>,
    /// Points of a random or Latin hypercube design.
    pub samples: Option<u64>,
    /// The seed the random and Latin hypercube designs draw from.
    pub seed: u64,
    points: u64,
    /// Latin hypercube: for each axis, the stratum of each point.
    strata: Vec<Vec<u32>>,
    /// Listed points: the values of each point, and the rule that made them.
    listed: Vec<Vec<AxisValue>>,
    listed_rule: String,
}

/// Tag mixed into the base seed for the design's generator, so that design draws and run
/// draws never share a stream.
const DESIGN_TAG: u64 = 0x6465_7369_676E_0001; // "design", 1

impl Design {
    /// Builds a design; refuses combinations that make no sense (a count-less range in a
    /// grid, `--samples` with a grid, no samples for random or lhs).
    pub fn new(
        kind: DesignKind,
        axes: Vec<Axis>,
        samples: Option<u64>,
        seed: u64,
    ) -> Result<Design, SweepError> {
        let usage = |problem: String, help: String| SweepError::Usage { problem, help };
        if axes.is_empty() {
            return Err(usage(
                "nothing to vary".into(),
                "give at least one `--vary PATH=SPEC`".into(),
            ));
        }
        for (i, a) in axes.iter().enumerate() {
            if axes[..i].iter().any(|b| b.path == a.path) {
                return Err(usage(
                    format!("`{}` is varied twice", a.name),
                    "give each path one --vary; list all its values in one SPEC".into(),
                ));
            }
        }
        let points = match kind {
            DesignKind::Grid => {
                if samples.is_some() {
                    return Err(usage(
                        "--samples applies to --design random and lhs".into(),
                        "drop --samples (a grid runs every combination) or choose \
                         --design random|lhs"
                            .into(),
                    ));
                }
                let mut points: u64 = 1;
                for axis in &axes {
                    if axis.is_empty() {
                        return Err(SweepError::Axis {
                            arg: format!("{}={}", axis.name, axis.spec_text),
                            problem: "a grid needs the number of values of a range".into(),
                            help: format!(
                                "write `{}={}:n` with n values, or choose --design random|lhs",
                                axis.name, axis.spec_text
                            ),
                        });
                    }
                    points = points.saturating_mul(axis.len() as u64);
                }
                points
            }
            DesignKind::Points => {
                return Err(usage(
                    "a design of listed points is built by Design::from_points".into(),
                    "choose --design grid, random or lhs".into(),
                ));
            }
            DesignKind::Random | DesignKind::Lhs => {
                let Some(n) = samples.filter(|n| *n > 0) else {
                    return Err(usage(
                        format!("--design {} needs --samples N", kind.as_str()),
                        "give the number of points, for example `--samples 1000`".into(),
                    ));
                };
                if let Some(axis) =
                    axes.iter().find(|a| matches!(a.spec, AxisSpec::Range { count: Some(_), .. }))
                {
                    return Err(SweepError::Axis {
                        arg: format!("{}={}", axis.name, axis.spec_text),
                        problem: format!(
                            "--design {} samples a range; it takes no count",
                            kind.as_str()
                        ),
                        help: format!(
                            "drop the `:n` (the number of points is --samples), as in `{}={}`",
                            axis.name,
                            axis.spec_text.split(':').next().unwrap_or_default()
                        ),
                    });
                }
                if kind == DesignKind::Lhs && n > u64::from(u32::MAX) {
                    return Err(usage(
                        format!("{n} samples is more than a Latin hypercube here can hold"),
                        format!("use at most {} samples, or --design random", u32::MAX),
                    ));
                }
                n
            }
        };
        let mut design = Design {
            kind,
            axes,
            samples,
            seed,
            points,
            strata: Vec::new(),
            listed: Vec::new(),
            listed_rule: String::new(),
        };
        if kind == DesignKind::Lhs {
            design.strata = (0..design.axes.len())
                .map(|a| {
                    let mut rng = design.rng(u64::MAX - a as u64);
                    let mut perm: Vec<u32> = (0..points as u32).collect();
                    // Fisher–Yates, from the end.
                    for i in (1..perm.len()).rev() {
                        let j = rng.random_range(0..=i);
                        perm.swap(i, j);
                    }
                    perm
                })
                .collect();
        }
        Ok(design)
    }

    /// A design of listed points (one value per axis each, in axis order), made by a rule
    /// the caller states in one sentence (recorded in `sweep.json`, and compared on
    /// `--resume`). The points are checked like any design's before the first run.
    pub fn from_points(
        axes: Vec<Axis>,
        points: Vec<Vec<AxisValue>>,
        rule: String,
        seed: u64,
    ) -> Result<Design, SweepError> {
        let usage = |problem: String, help: String| SweepError::Usage { problem, help };
        if axes.is_empty() || points.is_empty() {
            return Err(usage("nothing to vary".into(), "give at least one parameter".into()));
        }
        if let Some(p) = points.iter().position(|p| p.len() != axes.len()) {
            return Err(usage(
                format!("point {p} has {} values for {} axes", points[p].len(), axes.len()),
                "give one value per axis".into(),
            ));
        }
        Ok(Design {
            kind: DesignKind::Points,
            axes,
            samples: None,
            seed,
            points: points.len() as u64,
            strata: Vec::new(),
            listed: points,
            listed_rule: rule,
        })
    }

    /// The number of design points (saturating at `u64::MAX`).
    pub fn points(&self) -> u64 {
        self.points
    }

    /// The values of point `index` (< [`Design::points`]), one per axis.
    pub fn point(&self, index: u64) -> Vec<AxisValue> {
        match self.kind {
            DesignKind::Points => self.listed[index as usize].clone(),
            DesignKind::Grid => {
                let mut rest = index;
                let mut values = vec![AxisValue::Number(0.0); self.axes.len()];
                for (a, axis) in self.axes.iter().enumerate().rev() {
                    let k = axis.len() as u64;
                    values[a] = axis.value((rest % k) as usize);
                    rest /= k;
                }
                values
            }
            DesignKind::Random => {
                let mut rng = self.rng(index);
                self.axes.iter().map(|axis| axis.at(rng.random::<f64>())).collect()
            }
            DesignKind::Lhs => {
                let mut rng = self.rng(index);
                let n = self.points as f64;
                self.axes
                    .iter()
                    .zip(&self.strata)
                    .map(|(axis, strata)| {
                        let u = (f64::from(strata[index as usize]) + rng.random::<f64>()) / n;
                        axis.at(u.min(1.0 - f64::EPSILON))
                    })
                    .collect()
            }
        }
    }

    /// The scenario at design point `index` with its `values`: the axes' changes applied in
    /// axis order by [`Scenario::with_changes`] (the one rule book), then the events checked
    /// on top. Fails when a combination is not allowed (a strategy kind that another axis's
    /// parameter does not fit, every weight of a party at 0).
    pub fn scenario_at(
        &self,
        base: &Scenario,
        index: u64,
        values: &[AxisValue],
    ) -> Result<Scenario, SweepError> {
        let changes: Vec<(ParamPath, ParamValue)> =
            self.axes.iter().zip(values).map(|(a, v)| (a.path.clone(), *v)).collect();
        base.with_changes(&changes).map_err(|e| {
            let at: Vec<String> =
                self.axes.iter().zip(values).map(|(a, v)| format!("{}={v}", a.name)).collect();
            SweepError::Usage {
                problem: format!("design point {index} ({}) cannot run: {e}", at.join(", ")),
                help: format!("{}; change the axes so that every combination is allowed", e.help()),
            }
        })
    }

    /// Checks before anything runs that every design point is allowed, up to
    /// [`CHECKED_POINTS`] points (each check costs about a microsecond); larger designs are
    /// checked value by value (as every axis is when parsed) and a combination that is not
    /// allowed stops the sweep when it is reached, with the same message.
    pub fn check(&self, base: &Scenario) -> Result<(), SweepError> {
        if self.points > CHECKED_POINTS {
            return Ok(());
        }
        let params = base.params();
        for index in 0..self.points {
            let values = self.point(index);
            let changes: Vec<(ParamPath, ParamValue)> =
                self.axes.iter().zip(&values).map(|(a, v)| (a.path.clone(), *v)).collect();
            // Events re-apply on top of the new parameters: check them with the scenario.
            let bad = if base.events().is_empty() {
                params.apply(base, &changes).is_err()
            } else {
                base.with_changes(&changes).is_err()
            };
            if bad {
                self.scenario_at(base, index, &values)?;
            }
        }
        Ok(())
    }

    /// The design's generator for one stream: point `index` draws from stream `index`;
    /// the Latin hypercube's permutation of axis `a` from stream `u64::MAX - a`.
    fn rng(&self, stream: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ DESIGN_TAG);
        rng.set_stream(stream);
        rng
    }

    /// The rule the design draws by, in one sentence, for `sweep.json`.
    pub fn rule(&self) -> String {
        match self.kind {
            DesignKind::Points => self.listed_rule.clone(),
            DesignKind::Grid => "cartesian product of the axes' values, the last axis varying \
                fastest; point i is i written in the mixed radix of the axes' lengths"
                .into(),
            DesignKind::Random => format!(
                "point i: one uniform draw per axis, in axis order, from ChaCha8 seeded with \
                 seed_from_u64(base seed XOR {DESIGN_TAG:#x}), stream i; a range maps u to \
                 a + u(b - a), a list to its floor(u k)-th value"
            ),
            DesignKind::Lhs => format!(
                "Latin hypercube: axis a's strata are a Fisher-Yates permutation of 0..N drawn \
                 from ChaCha8 seeded with seed_from_u64(base seed XOR {DESIGN_TAG:#x}), stream \
                 2^64-1-a; point i takes u = (stratum + one uniform draw from stream i) / N"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_values_include_both_ends_and_are_computed_directly() {
        let v = grid_values(0.0, 0.6, 1000);
        assert_eq!(v.len(), 1000);
        assert_eq!(v[0], 0.0);
        assert_eq!(v[999], 0.6);
        for (i, x) in v.iter().enumerate().take(999) {
            assert_eq!(*x, (i as f64) * 0.6 / 999.0);
        }
        assert_eq!(grid_values(0.1, 0.3, 3), vec![0.1, 0.2, 0.3]);
    }

    #[test]
    fn specs_parse_and_refuse_with_reasons() {
        let p = ParamPath::BreakdownRisk;
        assert_eq!(
            parse_spec("0..1:3", &p).unwrap(),
            AxisSpec::Range { from: 0.0, to: 1.0, count: Some(3) }
        );
        assert_eq!(
            parse_spec("0.2..0.4", &p).unwrap(),
            AxisSpec::Range { from: 0.2, to: 0.4, count: None }
        );
        assert_eq!(
            parse_spec("1,2.5", &p).unwrap(),
            AxisSpec::List(vec![AxisValue::Number(1.0), AxisValue::Number(2.5)])
        );
        for bad in ["", "1..0:3", "0..1:1", "0..1:x", "a,b", "1,1", "0..nan:3", "inf"] {
            assert!(parse_spec(bad, &p).is_err(), "{bad} should be refused");
        }
        let kinds = ParamPath::Strategy(0);
        assert!(
            matches!(parse_spec("boulware,conceder", &kinds), Ok(AxisSpec::List(v)) if v.len() == 2)
        );
        assert!(parse_spec("0..1:3", &kinds).is_err());
        assert!(parse_spec("boulware,nonsense", &kinds).is_err());
    }

    #[test]
    fn listed_points_are_run_as_given_with_their_rule() {
        let checked = crate::scenario::check_str(
            "m.toml",
            include_str!("../../scenarios/us-ukraine-minerals-2025.toml"),
        );
        let scenario = checked.scenario.expect("valid");
        let axis = Axis::parse("parties.us.discount=0.99..0.999", &scenario).unwrap();
        assert_eq!(axis.at(0.5), AxisValue::Number(0.99 + 0.5 * (0.999 - 0.99)));
        let points = vec![vec![AxisValue::Number(0.995)], vec![AxisValue::Number(0.99)]];
        let design = Design::from_points(vec![axis.clone()], points, "two".into(), 1).unwrap();
        assert_eq!(
            (design.points(), design.kind.as_str(), design.rule()),
            (2, "points", "two".into())
        );
        assert_eq!(design.point(1), vec![AxisValue::Number(0.99)]);
        assert!(design.check(&scenario).is_ok());
        let bad = vec![vec![AxisValue::Number(1.5)]];
        assert!(
            Design::from_points(vec![axis], bad, "x".into(), 1).unwrap().check(&scenario).is_err()
        );
    }
}

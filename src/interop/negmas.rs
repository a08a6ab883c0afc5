//! NegMAS YAML scenario folders: a domain file (a `type` containing `OutcomeSpace`) and one
//! utility function file per party (a `type` containing `Fun`), read into [`Imported`].
//!
//! The YAML is what NegMAS's `Scenario.to_yaml` writes: issues (`CategoricalIssue`,
//! `ContiguousIssue`, `ContinuousIssue`) with `name` and `values`; utility functions
//! (`LinearAdditiveUtilityFunction` with `weights`, per-issue `values` and `bias`, or
//! `LinearUtilityFunction`/`AffineUtilityFunction`), optionally inside an `ExpDiscountedUFun`
//! (`discount`, `factor`). Per-issue value functions: `TableFun`, `IdentityFun`, `LinearFun`,
//! `AffineFun`, `ConstFun`, `TriangularFun`.
//!
//! NegMAS utilities need not lie in [0, 1]. Each issue's values are put on [0, 1] (divided by
//! the largest when none is negative, as GENIUS does; otherwise rescaled from their lowest to
//! their highest), the weights absorb the scale, and the whole utility becomes `(u - C) / S`
//! for constants C and S that every comment states, the reservation value with it. That is a
//! positive affine change of each party's utility: preferences, reservations, the Pareto set
//! and the Nash and Kalai-Smorodinsky solutions are unchanged.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use super::{
    DiscountReading, Imported, ImportedIssue, ImportedParty, InteropError, IssueDomain, Source,
    Values, integer_levels, points_at,
};

/// Reads a NegMAS scenario folder, given as its YAML files (sorted by name by the caller).
///
/// `discount` overrides how discount factors are read; `None` follows each file's `factor`
/// (`step`, NegMAS's default, is per round; `relative_time` is time-based).
pub fn import(
    folder: &str,
    files: &[Source<'_>],
    discount: Option<DiscountReading>,
) -> Result<Imported, InteropError> {
    let mut domain: Option<(Source<'_>, Node)> = None;
    let mut ufuns: Vec<(Source<'_>, Node)> = Vec::new();
    for file in files {
        let node = parse(file)?;
        let ty = node.get("type").and_then(Node::as_str).unwrap_or("").to_string();
        if ty.contains("OutcomeSpace") {
            if let Some((first, _)) = &domain {
                return Err(InteropError::in_file(
                    folder,
                    format!("two domain files: {} and {}", first.name, file.name),
                ));
            }
            domain = Some((*file, node));
        } else if ty.to_lowercase().contains("fun") {
            ufuns.push((*file, node));
        }
    }
    let Some((dsource, dnode)) = domain else {
        return Err(InteropError::in_file(folder, "no domain file: no YAML file whose `type` contains `OutcomeSpace`")
            .with_help("a NegMAS scenario folder holds the outcome space and one utility function per party, as written by Scenario.to_yaml"));
    };
    if ufuns.len() < 2 {
        return Err(InteropError::in_file(
            folder,
            format!("{} utility function file(s); accord needs at least two parties", ufuns.len()),
        ));
    }
    let issues = domain_issues(&dsource, &dnode)?;
    let parties = ufuns
        .iter()
        .map(|(source, node)| party(source, node, &issues, discount))
        .collect::<Result<Vec<_>, _>>()?;
    let name = dnode
        .get("name")
        .and_then(Node::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| {
            folder.rsplit(['/', '\\']).find(|s| !s.is_empty()).unwrap_or(folder).to_string()
        });
    let mut sources = vec![dsource.name.to_string()];
    sources.extend(ufuns.iter().map(|(s, _)| s.name.to_string()));
    Ok(Imported {
        tool: "NegMAS",
        name,
        sources,
        issues: issues
            .iter()
            .map(|i| ImportedIssue {
                name: i.name.clone(),
                domain: i.domain.clone(),
                integers: i.integers,
                note: i.note.clone(),
            })
            .collect(),
        parties,
    })
}

/// A YAML node with its place (1-based line and column).
#[derive(Clone, Debug)]
struct Node {
    value: Value,
    line: usize,
    col: usize,
}

#[derive(Clone, Debug)]
enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// A scalar as the level name it would be in accord.
    fn as_level(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(format!("{f:?}")),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

fn err(source: &Source<'_>, node: &Node, message: impl Into<String>) -> InteropError {
    InteropError {
        place: format!("{}:{}:{}", source.name, node.line, node.col),
        message: message.into(),
        help: None,
    }
}

fn parse(source: &Source<'_>) -> Result<Node, InteropError> {
    let docs = MarkedYaml::load_from_str(source.text).map_err(|e| {
        let m = e.marker();
        InteropError {
            place: format!("{}:{}:{}", source.name, m.line(), m.col() + 1),
            message: format!("malformed YAML: {}", e.info()),
            help: Some(
                "check the indentation and that every `key: value` pair has its colon".into(),
            ),
        }
    })?;
    let Some(doc) = docs.first() else {
        return Err(InteropError::in_file(source.name, "the file is empty"));
    };
    convert(source, doc)
}

fn convert(source: &Source<'_>, node: &MarkedYaml<'_>) -> Result<Node, InteropError> {
    let (line, col) = (node.span.start.line(), node.span.start.col() + 1);
    let at = |message: &str| InteropError {
        place: format!("{}:{line}:{col}", source.name),
        message: message.to_string(),
        help: None,
    };
    let value = match &node.data {
        YamlData::Value(scalar) => match scalar {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Int(*i),
            Scalar::FloatingPoint(f) => Value::Float(f.into_inner()),
            Scalar::String(s) => Value::Str(s.to_string()),
        },
        YamlData::Representation(text, _, _) => Value::Str(text.to_string()),
        YamlData::Sequence(items) => {
            Value::Seq(items.iter().map(|i| convert(source, i)).collect::<Result<_, _>>()?)
        }
        YamlData::Mapping(map) => {
            let mut entries = Vec::new();
            for (k, v) in map {
                let key = convert(source, k)?;
                let Some(name) = key.as_level() else {
                    return Err(at("a mapping key that is not a plain value"));
                };
                entries.push((name, convert(source, v)?));
            }
            Value::Map(entries)
        }
        YamlData::Tagged(_, inner) => return convert(source, inner),
        YamlData::Alias(_) => return Err(at("YAML aliases (*name) are not supported")),
        YamlData::BadValue => return Err(at("a value YAML cannot read")),
    };
    Ok(Node { value, line, col })
}

#[derive(Clone, Debug)]
struct IssueSpec {
    name: String,
    domain: IssueDomain,
    /// The numbers of a level issue's levels, when they are numbers (integer issues).
    numbers: Option<Vec<f64>>,
    integers: Option<(i64, i64)>,
    note: Option<String>,
}

fn domain_issues(source: &Source<'_>, domain: &Node) -> Result<Vec<IssueSpec>, InteropError> {
    let Some(Value::Seq(items)) = domain.get("issues").map(|n| &n.value) else {
        return Err(err(source, domain, "the domain has no `issues` list"));
    };
    let mut specs: Vec<IssueSpec> = Vec::new();
    for item in items {
        let ty = item.get("type").and_then(Node::as_str).unwrap_or("");
        let name = item
            .get("name")
            .and_then(Node::as_level)
            .ok_or_else(|| err(source, item, "an issue without a `name`"))?;
        if specs.iter().any(|s| s.name == name) {
            return Err(err(source, item, format!("issue `{name}` is defined twice")));
        }
        let values = item
            .get("values")
            .ok_or_else(|| err(source, item, format!("issue `{name}` has no `values`")))?;
        let spec = if ty.contains("Categorical") || ty.contains("Ordinal") {
            let Value::Seq(vs) = &values.value else {
                return Err(err(source, values, format!("issue `{name}`: `values` is not a list")));
            };
            let mut levels: Vec<String> = Vec::new();
            for v in vs {
                let level = v.as_level().ok_or_else(|| {
                    err(source, v, format!("issue `{name}`: a value that is not a plain value"))
                })?;
                if levels.contains(&level) {
                    return Err(err(
                        source,
                        v,
                        format!("issue `{name}`: the value `{level}` is repeated"),
                    ));
                }
                levels.push(level);
            }
            if levels.len() < 2 {
                return Err(err(
                    source,
                    item,
                    format!(
                        "issue `{name}` has {} value(s); accord issues need at least two",
                        levels.len()
                    ),
                ));
            }
            let numbers: Option<Vec<f64>> = vs.iter().map(Node::as_f64).collect();
            IssueSpec {
                name,
                domain: IssueDomain::Levels(levels),
                numbers,
                integers: None,
                note: None,
            }
        } else if ty.contains("Contiguous") {
            let (lo, hi) = match &values.value {
                Value::Int(n) => (0, n - 1),
                Value::Seq(b) if b.len() == 2 => match (&b[0].value, &b[1].value) {
                    (Value::Int(lo), Value::Int(hi)) => (*lo, *hi),
                    _ => {
                        return Err(err(
                            source,
                            values,
                            format!("issue `{name}`: bounds are not whole numbers"),
                        ));
                    }
                },
                _ => {
                    return Err(err(
                        source,
                        values,
                        format!("issue `{name}`: `values` is not [min, max]"),
                    ));
                }
            };
            let levels = integer_levels(lo, hi)
                .map_err(|m| err(source, item, format!("integer issue `{name}`: {m}")))?;
            let numbers = (lo..=hi).map(|v| v as f64).collect();
            IssueSpec {
                name,
                domain: IssueDomain::Levels(levels),
                numbers: Some(numbers),
                integers: Some((lo, hi)),
                note: Some(format!("NegMAS ContiguousIssue {lo}..{hi}: a stepped issue, step 1")),
            }
        } else if ty.contains("Continuous") {
            let bounds = match &values.value {
                Value::Seq(b) if b.len() == 2 => b[0].as_f64().zip(b[1].as_f64()),
                _ => None,
            };
            let (lo, hi) = bounds.ok_or_else(|| {
                err(source, values, format!("issue `{name}`: `values` is not [min, max]"))
            })?;
            if lo >= hi {
                return Err(err(
                    source,
                    values,
                    format!(
                        "issue `{name}`: the lower bound {lo} is not below the upper bound {hi}"
                    ),
                ));
            }
            IssueSpec {
                name,
                domain: IssueDomain::Range { min: lo, max: hi },
                numbers: None,
                integers: None,
                note: None,
            }
        } else {
            return Err(err(
                source,
                item,
                format!("issue `{name}` has type `{ty}`, which accord does not support"),
            )
            .with_help("accord reads CategoricalIssue, ContiguousIssue and ContinuousIssue"));
        };
        specs.push(spec);
    }
    if specs.is_empty() {
        return Err(err(source, domain, "the domain has no issues"));
    }
    Ok(specs)
}

/// Raw values of one issue before rescaling.
enum Raw {
    Levels(Vec<f64>),
    Points(Vec<(f64, f64)>),
}

fn party(
    source: &Source<'_>,
    node: &Node,
    issues: &[IssueSpec],
    reading: Option<DiscountReading>,
) -> Result<ImportedParty, InteropError> {
    let mut notes = Vec::new();
    let ty = node.get("type").and_then(Node::as_str).unwrap_or("");
    let (ufun, discount) = if ty.contains("Discounted") {
        if !ty.contains("Exp") {
            return Err(err(
                source,
                node,
                format!(
                    "`{ty}` is not supported: accord discounts exponentially (ExpDiscountedUFun)"
                ),
            ));
        }
        let inner = node
            .get("ufun")
            .ok_or_else(|| err(source, node, "an ExpDiscountedUFun without its `ufun`"))?;
        let d = node.get("discount").and_then(Node::as_f64).ok_or_else(|| {
            err(source, node, "an ExpDiscountedUFun without a numeric `discount`")
        })?;
        let factor = node.get("factor").and_then(Node::as_str).unwrap_or("step");
        let file_reading = match factor {
            "step" => DiscountReading::Round,
            "relative_time" | "time" => DiscountReading::Time,
            other => {
                return Err(err(
                    source,
                    node,
                    format!("discount `factor: {other}` is not supported"),
                )
                .with_help("accord reads `step` (per round) and `relative_time`"));
            }
        };
        let discount = if d > 0.0 && d < 1.0 {
            Some((d, reading.unwrap_or(file_reading)))
        } else if d == 1.0 {
            None
        } else {
            return Err(err(source, node, format!("the discount {d} is outside (0, 1]")));
        };
        (inner, discount)
    } else {
        (node, None)
    };
    let ty = ufun.get("type").and_then(Node::as_str).unwrap_or("");
    let additive = ty.contains("LinearAdditive");
    if !(additive || ty.contains("LinearUtilityFunction") || ty.contains("AffineUtilityFunction")) {
        return Err(err(source, ufun, format!("`{ty}` is not supported: accord reads linear additive utility functions"))
            .with_help("LinearAdditiveUtilityFunction, LinearUtilityFunction and AffineUtilityFunction, possibly inside ExpDiscountedUFun"));
    }
    let weights = per_issue(source, ufun, "weights", issues)?;
    let mut raw_weights = Vec::new();
    for (w, issue) in weights.iter().zip(issues) {
        let w = match w {
            None => 1.0,
            Some(n) => n.as_f64().ok_or_else(|| {
                err(source, n, format!("the weight of `{}` is not a number", issue.name))
            })?,
        };
        if w < 0.0 {
            return Err(err(
                source,
                ufun,
                format!("the weight of `{}` is negative ({w})", issue.name),
            ));
        }
        raw_weights.push(w);
    }
    let funs = if additive {
        per_issue(source, ufun, "values", issues)?
    } else {
        vec![None; issues.len()]
    };
    let mut raws = Vec::new();
    for (fun, issue) in funs.iter().zip(issues) {
        raws.push(value_fun(source, ufun, *fun, issue)?);
    }
    let bias = match ufun.get("bias") {
        None => 0.0,
        Some(n) if matches!(n.value, Value::Null) => 0.0,
        Some(n) => n.as_f64().ok_or_else(|| err(source, n, "`bias` is not a number"))?,
    };

    // Put each issue on [0, 1]: u = sum_i w_i (c_i + s_i v_i) + bias.
    let mut values = Vec::new();
    let (mut big_s, mut big_c) = (0.0, bias);
    let mut scaled = Vec::new();
    for ((raw, issue), w) in raws.into_iter().zip(issues).zip(&raw_weights) {
        let all: Vec<f64> = match &raw {
            Raw::Levels(vs) => vs.clone(),
            Raw::Points(ps) => ps.iter().map(|p| p.1).collect(),
        };
        let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let (c, s) = if lo >= 0.0 { (0.0, hi) } else { (lo, hi - lo) };
        let map = |v: f64| if s > 0.0 { ((v - c) / s).clamp(0.0, 1.0) } else { 0.0 };
        if lo >= 0.0 && hi != 1.0 && hi > 0.0 {
            notes.push(format!("issue `{}`: values divided by the largest, {hi:?}", issue.name));
        } else if lo < 0.0 {
            notes.push(format!(
                "issue `{}`: values rescaled from [{lo:?}, {hi:?}] to [0, 1]",
                issue.name
            ));
        }
        values.push(match raw {
            Raw::Levels(vs) => Values::Levels(vs.into_iter().map(map).collect()),
            Raw::Points(ps) => Values::Points(ps.into_iter().map(|(x, v)| (x, map(v))).collect()),
        });
        big_s += w * s;
        big_c += w * c;
        scaled.push(w * s);
    }
    if big_s <= 0.0 {
        return Err(err(source, ufun, "the utility function is constant: no issue changes it"));
    }
    let weights: Vec<f64> = scaled.iter().map(|w| w / big_s).collect();
    let rescaled = (big_s - 1.0).abs() > 1e-12 || big_c != 0.0;
    if rescaled {
        notes.push(format!("utilities rescaled to [0, 1] as (u - {big_c:?}) / {big_s:?}; the reservation value with them"));
        if discount.is_some() && big_c != 0.0 {
            notes.push("the discount now applies to the rescaled utility, which is not quite NegMAS's (u - C) * d^t".to_string());
        }
    }

    let reserved = ufun.get("reserved_value").or(node.get("reserved_value"));
    let (reservation, reservation_note) =
        match reserved.and_then(Node::as_f64).filter(|r| r.is_finite()) {
            None => (0.0, Some("no finite reserved_value in the file: 0".to_string())),
            Some(r) => {
                let scaled = (r - big_c) / big_s;
                let clamped = scaled.clamp(0.0, 1.0);
                let note = if clamped != scaled {
                    Some(format!(
                        "reserved_value {r:?} rescales to {scaled:?}, outside [0, 1]: clamped"
                    ))
                } else if rescaled {
                    Some(format!("reserved_value {r:?}, rescaled"))
                } else {
                    None
                };
                (clamped, note)
            }
        };
    let name = source.name.rsplit(['/', '\\']).next().unwrap_or(source.name);
    let name = name.rsplit_once('.').map_or(name, |(s, _)| s).to_string();
    Ok(ImportedParty { name, reservation, reservation_note, discount, weights, values, notes })
}

/// The entries of `key` in issue order, from a list (aligned with the issues) or a map keyed
/// by issue name; `None` where absent.
fn per_issue<'n>(
    source: &Source<'_>,
    ufun: &'n Node,
    key: &str,
    issues: &[IssueSpec],
) -> Result<Vec<Option<&'n Node>>, InteropError> {
    match ufun.get(key).map(|n| (n, &n.value)) {
        None | Some((_, Value::Null)) => Ok(vec![None; issues.len()]),
        Some((n, Value::Seq(items))) => {
            if items.len() != issues.len() {
                return Err(err(
                    source,
                    n,
                    format!("`{key}` has {} entries for {} issues", items.len(), issues.len()),
                ));
            }
            Ok(items.iter().map(Some).collect())
        }
        Some((n, Value::Map(entries))) => {
            for (k, _) in entries {
                if !issues.iter().any(|i| &i.name == k) {
                    let known: Vec<String> =
                        issues.iter().map(|i| format!("`{}`", i.name)).collect();
                    return Err(err(source, n, format!("`{key}` names an unknown issue `{k}`"))
                        .with_help(format!("the domain's issues are {}", known.join(", "))));
                }
            }
            Ok(issues
                .iter()
                .map(|i| entries.iter().find(|(k, _)| k == &i.name).map(|(_, v)| v))
                .collect())
        }
        Some((n, _)) => Err(err(source, n, format!("`{key}` is neither a list nor a mapping"))),
    }
}

fn num(
    source: &Source<'_>,
    fun: &Node,
    key: &str,
    default: Option<f64>,
) -> Result<f64, InteropError> {
    match fun.get(key) {
        Some(n) => n.as_f64().ok_or_else(|| err(source, n, format!("`{key}` is not a number"))),
        None => default.ok_or_else(|| err(source, fun, format!("missing `{key}`"))),
    }
}

/// One issue's raw values under a value function (`None`: the identity).
fn value_fun(
    source: &Source<'_>,
    ufun: &Node,
    fun: Option<&Node>,
    issue: &IssueSpec,
) -> Result<Raw, InteropError> {
    let name = &issue.name;
    let ty = fun.and_then(|f| f.get("type")).and_then(Node::as_str).unwrap_or("IdentityFun");
    let at = fun.unwrap_or(ufun);
    let f: Box<dyn Fn(f64) -> f64> = match ty {
        "TableFun" => {
            let IssueDomain::Levels(levels) = &issue.domain else {
                return Err(err(
                    source,
                    at,
                    format!("issue `{name}`: a TableFun on a continuous issue is not supported"),
                ));
            };
            let Some(Value::Map(mapping)) = at.get("mapping").map(|m| &m.value) else {
                return Err(err(
                    source,
                    at,
                    format!("issue `{name}`: a TableFun without a `mapping`"),
                ));
            };
            let mut vs = Vec::new();
            for level in levels {
                let v = mapping.iter().find(|(k, _)| k == level).ok_or_else(|| {
                    err(source, at, format!("issue `{name}`: the table has no value for `{level}`"))
                })?;
                vs.push(v.1.as_f64().ok_or_else(|| err(source, &v.1, "not a number"))?);
            }
            for (k, _) in mapping {
                if !levels.contains(k) {
                    return Err(err(source, at, format!("issue `{name}` has no value `{k}`")));
                }
            }
            return Ok(Raw::Levels(vs));
        }
        "IdentityFun" => Box::new(|x| x),
        "LinearFun" => {
            let slope = num(source, at, "slope", None)?;
            Box::new(move |x| slope * x)
        }
        "AffineFun" => {
            let (slope, bias) =
                (num(source, at, "slope", None)?, num(source, at, "bias", Some(0.0))?);
            Box::new(move |x| slope * x + bias)
        }
        "ConstFun" => {
            let bias = num(source, at, "bias", None)?;
            Box::new(move |_| bias)
        }
        "TriangularFun" => {
            let (s, m, e) = (
                num(source, at, "start", None)?,
                num(source, at, "middle", None)?,
                num(source, at, "end", None)?,
            );
            let (b, k) =
                (num(source, at, "bias", Some(0.0))?, num(source, at, "scale", Some(1.0))?);
            if !(s < m && m < e) {
                return Err(err(
                    source,
                    at,
                    format!("issue `{name}`: a TriangularFun needs start < middle < end"),
                ));
            }
            if let IssueDomain::Range { min, max } = issue.domain {
                let f = move |x: f64| {
                    if x <= s || x >= e {
                        b
                    } else if x <= m {
                        b + k * (x - s) / (m - s)
                    } else {
                        b + k * (e - x) / (e - m)
                    }
                };
                let xs =
                    [min, max, s, m, e].into_iter().filter(|x| *x >= min && *x <= max).collect();
                return Ok(Raw::Points(points_at(xs, f)));
            }
            Box::new(move |x| {
                if x <= s || x >= e {
                    b
                } else if x <= m {
                    b + k * (x - s) / (m - s)
                } else {
                    b + k * (e - x) / (e - m)
                }
            })
        }
        other => {
            return Err(err(source, at, format!("issue `{name}`: value function `{other}` is not supported"))
                .with_help("accord reads TableFun, IdentityFun, LinearFun, AffineFun, ConstFun and TriangularFun"));
        }
    };
    match &issue.domain {
        IssueDomain::Range { min, max } => Ok(Raw::Points(points_at(vec![*min, *max], f))),
        IssueDomain::Levels(_) => {
            let numbers = issue.numbers.as_ref().ok_or_else(|| {
                err(
                    source,
                    at,
                    format!(
                        "issue `{name}`: `{ty}` needs numeric values, and the issue's are names"
                    ),
                )
            })?;
            Ok(Raw::Levels(numbers.iter().map(|x| f(*x)).collect()))
        }
    }
}

#[cfg(test)]
#[path = "negmas_tests.rs"]
mod tests;

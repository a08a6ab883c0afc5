//! GENIUS XML: a domain file (the issues) and one profile per party (weights, evaluations,
//! reservation value, discount factor), read into [`Imported`]; and the reverse, a validated
//! accord scenario written back as a domain and profiles.
//!
//! What GENIUS means by its files is what GENIUS's own `AdditiveUtilitySpace` computes:
//! discrete evaluations are divided by the issue's largest evaluation; integer issues are
//! `clamp(offset + slope * (x - lowerbound))`; real issues `clamp(parameter0 + parameter1 * x)`
//! (linear), a triangle, or a constant; weights are divided by their sum; a missing
//! reservation is 0; a discount factor outside (0, 1) means no discount. Anything else (hyper-
//! rectangle or constraint utility spaces, nested objectives, other evaluator shapes) is
//! refused with its name.

use std::fmt::Write;

use super::xml::{self, Element};
use super::{
    DiscountReading, Imported, ImportedIssue, ImportedParty, InteropError, IssueDomain, Source,
    Values, clamped_line_points, integer_levels, normalize_weights, points_at,
};
use crate::model::{IssueKind, Scenario, ValueFn};

/// Reads a GENIUS domain and its profiles (one party each, in the order given).
///
/// `discount` says how to read the profiles' `discount_factor` (GENIUS means time-based).
pub fn import(
    domain: &Source<'_>,
    profiles: &[Source<'_>],
    discount: DiscountReading,
) -> Result<Imported, InteropError> {
    let root = parse(domain)?;
    let (objective, domain_name) = domain_objective(domain, &root)?;
    let mut issues = Vec::new();
    let mut specs = Vec::new();
    for el in issue_elements(domain, objective)? {
        let spec = domain_issue(domain, el)?;
        if specs.iter().any(|s: &IssueSpec| s.name == spec.name) {
            return Err(InteropError::at(
                domain,
                el.offset,
                format!("issue `{}` is defined twice", spec.name),
            ));
        }
        issues.push(ImportedIssue {
            name: spec.name.clone(),
            domain: spec.domain.clone(),
            integers: match spec.kind {
                Kind::Integer(lo, hi) => Some((lo, hi)),
                _ => None,
            },
            note: spec.note.clone(),
        });
        specs.push(spec);
    }
    if specs.is_empty() {
        return Err(InteropError::at(domain, objective.offset, "the domain has no <issue>"));
    }
    if profiles.len() < 2 {
        return Err(InteropError::in_file(
            domain.name,
            "accord needs at least two profiles (parties)",
        )
        .with_help("pass the domain file, then one profile file per party"));
    }
    let parties =
        profiles.iter().map(|p| profile(p, &specs, discount)).collect::<Result<Vec<_>, _>>()?;
    let mut sources = vec![domain.name.to_string()];
    sources.extend(profiles.iter().map(|p| p.name.to_string()));
    let name = domain_name.unwrap_or_else(|| stem(domain.name));
    Ok(Imported { tool: "GENIUS", name, sources, issues, parties })
}

/// GENIUS files for a scenario: the domain and one profile per party, as (file name, text).
#[derive(Clone, Debug)]
pub struct Exported {
    /// `domain.xml`, then one profile per party.
    pub files: Vec<(String, String)>,
    /// What GENIUS files do not carry and was left out (strategies, `[observed]`).
    pub notes: Vec<String>,
}

/// Writes a scenario as GENIUS XML, or says what GENIUS cannot express.
///
/// Ordinal issues become discrete issues (their value tables must peak at 1 or be all 0,
/// since GENIUS divides evaluations by the largest); continuous issues become real issues
/// whose value function must be a clamped line, a triangle or a constant. Events and a
/// breakdown risk are refused.
pub fn export(scenario: &Scenario, discount: DiscountReading) -> Result<Exported, InteropError> {
    let file = format!("scenario `{}`", scenario.name());
    if !scenario.events().is_empty() {
        return Err(InteropError::in_file(
            &file,
            format!("GENIUS cannot express events ({} in this scenario)", scenario.events().len()),
        )
        .with_help("remove the [[events]] to export the preferences as they stand at round 0"));
    }
    if scenario.breakdown_risk() > 0.0 {
        return Err(InteropError::in_file(&file, "GENIUS cannot express a breakdown risk")
            .with_help("set breakdown_risk = 0.0 to export"));
    }
    let mut domain = String::new();
    domain.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<negotiation_template>\n");
    let _ = writeln!(domain, "<utility_space number_of_issues=\"{}\">", scenario.issues().len());
    let _ = writeln!(
        domain,
        "<objective index=\"0\" description=\"\" name={} type=\"objective\" etype=\"objective\">",
        attr(scenario.name())
    );
    // A stepped issue of step 1 is a GENIUS integer issue when every party's values lie on
    // a clamped line; otherwise it is written as a discrete issue.
    let integer_fits: Vec<Option<IntegerFit>> =
        (0..scenario.issues().len()).map(|i| integer_fit(scenario, i)).collect();
    for (i, issue) in scenario.issues().iter().enumerate() {
        let index = i + 1;
        if let Some((lo, hi, _)) = &integer_fits[i] {
            let _ = writeln!(
                domain,
                "<issue index=\"{index}\" name={} type=\"integer\" etype=\"integer\" vtype=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\">",
                attr(issue.label())
            );
            domain.push_str("</issue>\n");
            continue;
        }
        match issue.kind() {
            IssueKind::Ordinal { levels } => {
                let _ = writeln!(
                    domain,
                    "<issue index=\"{index}\" name={} type=\"discrete\" etype=\"discrete\" vtype=\"discrete\">",
                    attr(issue.label())
                );
                for (k, level) in levels.iter().enumerate() {
                    let _ =
                        writeln!(domain, "  <item index=\"{}\" value={} />", k + 1, attr(level));
                }
            }
            IssueKind::Continuous { min, max, .. } => {
                let _ = writeln!(
                    domain,
                    "<issue index=\"{index}\" name={} type=\"real\" etype=\"real\" vtype=\"real\">",
                    attr(issue.label())
                );
                let _ =
                    writeln!(domain, "  <range lowerbound=\"{min:?}\" upperbound=\"{max:?}\" />");
            }
        }
        domain.push_str("</issue>\n");
    }
    domain.push_str("</objective>\n</utility_space>\n</negotiation_template>\n");

    let mut files = vec![("domain.xml".to_string(), domain)];
    let mut notes =
        vec!["strategies are not part of GENIUS profiles and were left out".to_string()];
    for (issue, fit) in scenario.issues().iter().zip(&integer_fits) {
        if issue.grid().is_some() && fit.is_none() {
            notes.push(format!(
                "stepped issue `{}` written as a discrete issue: GENIUS integer issues have step 1 \
                 and a linear evaluator",
                issue.id()
            ));
        }
    }
    for (party_idx, party) in scenario.parties().iter().enumerate() {
        let mut p = String::new();
        p.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<utility_space type=\"linear\">\n");
        let _ = writeln!(
            p,
            "<objective index=\"0\" description=\"\" name={} type=\"objective\" etype=\"objective\">",
            attr(scenario.name())
        );
        let prefs = party.preferences();
        for (i, (issue, value)) in scenario.issues().iter().zip(prefs.values()).enumerate() {
            let index = i + 1;
            let place = format!("{file}: party `{}`, issue `{}`", party.id(), issue.id());
            if let Some((lo, hi, lines)) = &integer_fits[i] {
                let (offset, slope) = lines[party_idx];
                let _ = writeln!(
                    p,
                    "<issue index=\"{index}\" name={} type=\"integer\" etype=\"integer\" vtype=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\">",
                    attr(issue.label())
                );
                let _ = writeln!(
                    p,
                    "  <evaluator ftype=\"linear\" offset=\"{offset:?}\" slope=\"{slope:?}\" />"
                );
                p.push_str("</issue>\n");
                continue;
            }
            match (issue.kind(), value) {
                (IssueKind::Ordinal { levels }, ValueFn::Levels(vs)) => {
                    let max = vs.iter().copied().fold(0.0, f64::max);
                    if max != 1.0 && max != 0.0 {
                        return Err(InteropError::in_file(&place, format!(
                            "the values peak at {max:?}; GENIUS divides discrete evaluations by the largest, so it cannot express a table that does not reach 1")).with_help("scale the issue's value table so that its best level is worth 1.0 (and raise the weight to compensate)"));
                    }
                    let _ = writeln!(
                        p,
                        "<issue index=\"{index}\" name={} type=\"discrete\" etype=\"discrete\" vtype=\"discrete\">",
                        attr(issue.label())
                    );
                    for (k, (level, v)) in levels.iter().zip(vs).enumerate() {
                        let _ = writeln!(
                            p,
                            "  <item index=\"{}\" value={} evaluation=\"{v:?}\" />",
                            k + 1,
                            attr(level)
                        );
                    }
                }
                (IssueKind::Continuous { min, max, .. }, ValueFn::Piecewise(points)) => {
                    let evaluator = real_evaluator(*min, *max, points).ok_or_else(|| {
                        InteropError::in_file(&place, "GENIUS real issues take a linear, triangular or constant evaluator; this value function is none of them")
                            .with_help("use an `ideal` (a tent) or a value table of two points, or three rising to 1 and falling")
                    })?;
                    let _ = writeln!(
                        p,
                        "<issue index=\"{index}\" name={} type=\"real\" etype=\"real\" vtype=\"real\">",
                        attr(issue.label())
                    );
                    let _ =
                        writeln!(p, "  <range lowerbound=\"{min:?}\" upperbound=\"{max:?}\" />");
                    let _ = writeln!(p, "  {evaluator}");
                }
                _ => {
                    return Err(InteropError::in_file(
                        &place,
                        "the value function does not fit the issue",
                    ));
                }
            }
            p.push_str("</issue>\n");
        }
        for (i, w) in prefs.weights().iter().enumerate() {
            let _ = writeln!(p, "<weight index=\"{}\" value=\"{w:?}\" />", i + 1);
        }
        p.push_str("</objective>\n");
        let _ = writeln!(p, "<reservation value=\"{:?}\" />", party.reservation());
        if party.discount() < 1.0 {
            let d = match discount {
                // Twelve significant digits: the power leaves noise in the last places
                // (0.7999999999999977 for 0.8), far below anything a discount means.
                DiscountReading::Time => {
                    round12(party.discount().powf(f64::from(scenario.max_rounds())))
                }
                DiscountReading::Round => party.discount(),
            };
            let _ = writeln!(p, "<discount_factor value=\"{d:?}\" />");
        }
        p.push_str("</utility_space>\n");
        let mut name = format!("{}.xml", file_stem(party.name(), party.id()));
        if files.iter().any(|(f, _)| f.eq_ignore_ascii_case(&name)) {
            name = format!("{}.xml", party.id());
        }
        files.push((name, p));
    }
    if scenario.observed().is_some() {
        notes.push("[observed] has no place in GENIUS files and was left out".to_string());
    }
    Ok(Exported { files, notes })
}

/// A domain issue as read: what accord makes of it and how profiles evaluate it.
#[derive(Clone, Debug)]
struct IssueSpec {
    name: String,
    index: String,
    kind: Kind,
    domain: IssueDomain,
    note: Option<String>,
}

#[derive(Clone, Debug)]
enum Kind {
    Discrete(Vec<String>),
    Integer(i64, i64),
    Real(f64, f64),
}

fn parse(source: &Source<'_>) -> Result<Element, InteropError> {
    xml::parse(source.text).map_err(|e| {
        InteropError::at(source, e.offset, e.message).with_help(
            "GENIUS files are XML: check that every tag is closed and attribute values are quoted",
        )
    })
}

/// The objective holding the issues, and the domain's name if it has a meaningful one.
fn domain_objective<'e>(
    source: &Source<'_>,
    root: &'e Element,
) -> Result<(&'e Element, Option<String>), InteropError> {
    let space = if root.name == "utility_space" {
        root
    } else {
        root.children_named("utility_space").next().ok_or_else(|| {
            InteropError::at(
                source,
                root.offset,
                format!("<{}> holds no <utility_space>: not a GENIUS domain", root.name),
            )
        })?
    };
    let objective = space.children_named("objective").next().unwrap_or(space);
    let name =
        objective.attr("name").filter(|n| !n.trim().is_empty() && *n != "root").map(str::to_string);
    Ok((objective, name))
}

fn issue_elements<'e>(
    source: &Source<'_>,
    objective: &'e Element,
) -> Result<Vec<&'e Element>, InteropError> {
    if let Some(nested) = objective.children_named("objective").next() {
        return Err(InteropError::at(source, nested.offset, "nested objectives are not supported")
            .with_help(
                "accord reads flat domains: every <issue> directly under the one <objective>",
            ));
    }
    Ok(objective.children_named("issue").collect())
}

fn issue_type(el: &Element) -> String {
    el.attr("type").or(el.attr("etype")).or(el.attr("vtype")).unwrap_or("discrete").to_string()
}

fn required<'e>(source: &Source<'_>, el: &'e Element, name: &str) -> Result<&'e str, InteropError> {
    el.attr(name).ok_or_else(|| {
        InteropError::at(source, el.offset, format!("<{}> has no `{name}` attribute", el.name))
    })
}

fn number(source: &Source<'_>, el: &Element, name: &str) -> Result<f64, InteropError> {
    let text = required(source, el, name)?;
    text.trim().parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| {
        InteropError::at(
            source,
            el.offset,
            format!("`{name}` of <{}> is `{text}`, not a number", el.name),
        )
    })
}

fn integer(source: &Source<'_>, el: &Element, name: &str) -> Result<i64, InteropError> {
    let text = required(source, el, name)?;
    text.trim().parse::<i64>().map_err(|_| {
        InteropError::at(
            source,
            el.offset,
            format!("`{name}` of <{}> is `{text}`, not a whole number", el.name),
        )
    })
}

/// The `lowerbound`/`upperbound` of an issue: attributes of the issue or of its <range>.
fn bounds_holder(el: &Element) -> &Element {
    if el.attr("lowerbound").is_some() {
        el
    } else {
        el.children_named("range").next().unwrap_or(el)
    }
}

fn domain_issue(source: &Source<'_>, el: &Element) -> Result<IssueSpec, InteropError> {
    let name = required(source, el, "name")?.to_string();
    let index = required(source, el, "index")?.trim().to_string();
    let ty = issue_type(el);
    let (kind, domain, note) = match ty.as_str() {
        "discrete" => {
            let mut levels: Vec<String> = Vec::new();
            for item in el.children_named("item") {
                let value = required(source, item, "value")?.to_string();
                if value.is_empty() || levels.contains(&value) {
                    return Err(InteropError::at(
                        source,
                        item.offset,
                        format!("issue `{name}`: the value `{value}` is empty or repeated"),
                    ));
                }
                levels.push(value);
            }
            if levels.len() < 2 {
                return Err(InteropError::at(
                    source,
                    el.offset,
                    format!(
                        "issue `{name}` has {} value(s); accord issues need at least two",
                        levels.len()
                    ),
                )
                .with_help(
                    "remove the issue from the domain and the profiles: nobody can trade on it",
                ));
            }
            (Kind::Discrete(levels.clone()), IssueDomain::Levels(levels), None)
        }
        "integer" => {
            let holder = bounds_holder(el);
            let (lo, hi) =
                (integer(source, holder, "lowerbound")?, integer(source, holder, "upperbound")?);
            let levels = integer_levels(lo, hi).map_err(|m| {
                InteropError::at(source, el.offset, format!("integer issue `{name}`: {m}"))
            })?;
            let note = format!("GENIUS integer issue {lo}..{hi}: a stepped issue, step 1");
            (Kind::Integer(lo, hi), IssueDomain::Levels(levels), Some(note))
        }
        "real" => {
            let holder = bounds_holder(el);
            if holder.attr("lowerbound").is_none() {
                return Err(InteropError::at(
                    source,
                    el.offset,
                    format!("real issue `{name}` has no values: no lowerbound/upperbound"),
                )
                .with_help("give the issue a <range lowerbound=\"...\" upperbound=\"...\"/>"));
            }
            let (lo, hi) =
                (number(source, holder, "lowerbound")?, number(source, holder, "upperbound")?);
            if lo >= hi {
                return Err(InteropError::at(
                    source,
                    el.offset,
                    format!(
                        "real issue `{name}`: the lower bound {lo} is not below the upper bound {hi}"
                    ),
                ));
            }
            (Kind::Real(lo, hi), IssueDomain::Range { min: lo, max: hi }, None)
        }
        other => {
            return Err(InteropError::at(
                source,
                el.offset,
                format!("issue `{name}` has type `{other}`, which accord does not support"),
            )
            .with_help("accord reads discrete, integer and real issues"));
        }
    };
    Ok(IssueSpec { name, index, kind, domain, note })
}

fn profile(
    source: &Source<'_>,
    specs: &[IssueSpec],
    reading: DiscountReading,
) -> Result<ImportedParty, InteropError> {
    let root = parse(source)?;
    if root.name != "utility_space" {
        return Err(InteropError::at(
            source,
            root.offset,
            format!(
                "the root element is <{}>, not <utility_space>: not a GENIUS profile",
                root.name
            ),
        ));
    }
    if let Some(ty) =
        root.attr("type").filter(|t| !matches!(*t, "linear" | "additive" | "LINEAR" | "ADDITIVE"))
    {
        return Err(InteropError::at(source, root.offset, format!("`{ty}` utility spaces are not supported: accord reads linear additive profiles only"))
            .with_help("non-linear and constraint utility spaces cannot be written as weights and per-issue values"));
    }
    let mut notes = Vec::new();
    let objective = root.children_named("objective").next().unwrap_or(&root);
    for child in &objective.children {
        match child.name.as_str() {
            "utility_function" | "utility" => {
                return Err(InteropError::at(
                    source,
                    child.offset,
                    format!(
                        "<{}> (a non-linear, hyper-rectangle utility) is not supported",
                        child.name
                    ),
                )
                .with_help(
                    "accord reads linear additive profiles: <issue> evaluations and <weight>s",
                ));
            }
            "objective" => {
                return Err(InteropError::at(
                    source,
                    child.offset,
                    "nested objectives are not supported",
                ));
            }
            _ => {}
        }
    }
    let mut values: Vec<Option<Values>> = vec![None; specs.len()];
    for el in objective.children_named("issue") {
        let name = required(source, el, "name")?;
        let Some(i) = specs.iter().position(|s| s.name == name) else {
            let known: Vec<String> = specs.iter().map(|s| format!("`{}`", s.name)).collect();
            return Err(InteropError::at(
                source,
                el.offset,
                format!("unknown issue `{name}`: the domain has no such issue"),
            )
            .with_help(format!("the domain's issues are {}", known.join(", "))));
        };
        let (v, note) = evaluate(source, el, &specs[i])?;
        notes.extend(note);
        values[i] = Some(v);
    }
    let mut raw_weights: Vec<Option<f64>> = vec![None; specs.len()];
    for el in objective.children_named("weight") {
        let index = required(source, el, "index")?.trim();
        let Some(i) = specs.iter().position(|s| s.index == index) else {
            // Some ANAC profiles weigh the objective itself (index 1 for <objective
            // index="1">); GENIUS leaves objectives out of a utility, and so does accord.
            if objective.attr("index").map(str::trim) == Some(index) {
                continue;
            }
            return Err(InteropError::at(
                source,
                el.offset,
                format!("<weight index=\"{index}\"> names no issue of the domain"),
            ));
        };
        let w = number(source, el, "value")?;
        if w < 0.0 {
            return Err(InteropError::at(
                source,
                el.offset,
                format!("the weight of `{}` is negative ({w})", specs[i].name),
            ));
        }
        raw_weights[i] = Some(w);
    }
    let mut weights = Vec::new();
    let mut all_values = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let v = values[i].take().ok_or_else(|| {
            InteropError::at(
                source,
                objective.offset,
                format!("the profile does not evaluate issue `{}`", spec.name),
            )
        })?;
        all_values.push(v);
        weights.push(raw_weights[i].ok_or_else(|| {
            InteropError::at(
                source,
                objective.offset,
                format!(
                    "the profile has no <weight> for issue `{}` (index {})",
                    spec.name, spec.index
                ),
            )
        })?);
    }
    if weights.iter().sum::<f64>() <= 0.0 {
        return Err(InteropError::at(source, objective.offset, "every weight is 0"));
    }
    let (weights, weight_note) = normalize_weights(&weights);
    notes.extend(weight_note.map(|n| format!("{n}, as GENIUS does")));

    let (reservation, reservation_note) = match root.children_named("reservation").next() {
        None => (0.0, Some("the profile has no <reservation>: GENIUS's default, 0".to_string())),
        Some(el) => {
            let r = number(source, el, "value")?;
            if !(0.0..=1.0).contains(&r) {
                return Err(InteropError::at(
                    source,
                    el.offset,
                    format!("the reservation value {r} is outside [0, 1]"),
                ));
            }
            (r, None)
        }
    };
    let discount = match root.children_named("discount_factor").next() {
        None => None,
        Some(el) => {
            let d = number(source, el, "value")?;
            if d > 0.0 && d < 1.0 {
                Some((d, reading))
            } else {
                notes.push(format!("discount_factor {d:?} means no discount in GENIUS"));
                None
            }
        }
    };
    Ok(ImportedParty {
        name: stem(source.name),
        reservation,
        reservation_note,
        discount,
        weights,
        values: all_values,
        notes,
    })
}

/// One profile issue's values on accord's scale, and a note if something was normalized.
fn evaluate(
    source: &Source<'_>,
    el: &Element,
    spec: &IssueSpec,
) -> Result<(Values, Option<String>), InteropError> {
    let name = &spec.name;
    match &spec.kind {
        Kind::Discrete(levels) => {
            let mut raw: Vec<Option<f64>> = vec![None; levels.len()];
            for item in el.children_named("item") {
                let value = required(source, item, "value")?;
                let Some(k) = levels.iter().position(|l| l == value) else {
                    return Err(InteropError::at(
                        source,
                        item.offset,
                        format!("issue `{name}` has no value `{value}` in the domain"),
                    ));
                };
                let e = number(source, item, "evaluation")?;
                if e < 0.0 {
                    return Err(InteropError::at(
                        source,
                        item.offset,
                        format!("issue `{name}`, value `{value}`: negative evaluation {e}"),
                    ));
                }
                raw[k] = Some(e);
            }
            let raw: Vec<f64> = raw
                .into_iter()
                .zip(levels)
                .map(|(e, l)| {
                    e.ok_or_else(|| {
                        InteropError::at(
                            source,
                            el.offset,
                            format!("issue `{name}`: no evaluation for the value `{l}`"),
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
            let max = raw.iter().copied().fold(0.0, f64::max);
            // GENIUS's EvaluatorDiscrete: evaluation / largest, and 0 if the largest is ~0.
            let values = if max < 0.00001 {
                vec![0.0; raw.len()]
            } else {
                raw.iter().map(|e| e / max).collect()
            };
            let note = (max != 1.0).then(|| {
                format!(
                    "issue `{name}`: evaluations divided by the largest, {max:?}, as GENIUS does"
                )
            });
            Ok((Values::Levels(values), note))
        }
        Kind::Integer(dlo, dhi) => {
            let lo = match el.attr("lowerbound") {
                Some(_) => integer(source, el, "lowerbound")?,
                None => *dlo,
            };
            let evaluator = evaluator(source, el, name)?;
            let ftype = evaluator.attr("ftype").unwrap_or("linear");
            if ftype != "linear" {
                return Err(InteropError::at(
                    source,
                    evaluator.offset,
                    format!(
                        "integer issue `{name}`: evaluator ftype `{ftype}` is not supported (GENIUS integer issues are linear)"
                    ),
                ));
            }
            let slope = number_or(source, evaluator, &["slope", "parameter1"], None)?;
            let offset = number_or(source, evaluator, &["offset", "parameter0"], Some(0.0))?;
            let values =
                (*dlo..=*dhi).map(|x| (offset + slope * (x - lo) as f64).clamp(0.0, 1.0)).collect();
            Ok((Values::Levels(values), None))
        }
        Kind::Real(lo, hi) => {
            let evaluator = evaluator(source, el, name)?;
            let ftype = evaluator.attr("ftype").unwrap_or("linear");
            let points = match ftype {
                "linear" => {
                    let offset =
                        number_or(source, evaluator, &["parameter0", "offset"], Some(0.0))?;
                    let slope = number_or(source, evaluator, &["parameter1", "slope"], None)?;
                    clamped_line_points(*lo, *hi, offset, slope)
                }
                "triangular" => {
                    let a = number_or(source, evaluator, &["parameter0", "lowerbound"], None)?;
                    let b = number_or(source, evaluator, &["parameter1", "upperbound"], None)?;
                    let top = number_or(source, evaluator, &["parameter2", "top"], None)?;
                    if !(a < top && top < b) {
                        return Err(InteropError::at(
                            source,
                            evaluator.offset,
                            format!(
                                "real issue `{name}`: a triangle needs parameter0 < parameter2 < parameter1"
                            ),
                        ));
                    }
                    let f = |x: f64| {
                        if x < a || x >= b {
                            0.0
                        } else if x < top {
                            (x - a) / (top - a)
                        } else {
                            1.0 - (x - top) / (b - top)
                        }
                    };
                    let xs = [*lo, *hi, a, top, b]
                        .into_iter()
                        .filter(|x| *x >= *lo && *x <= *hi)
                        .collect();
                    points_at(xs, f)
                }
                "constant" => {
                    let c = number_or(source, evaluator, &["parameter0"], None)?;
                    if !(0.0..=1.0).contains(&c) {
                        return Err(InteropError::at(
                            source,
                            evaluator.offset,
                            format!("real issue `{name}`: the constant {c} is outside [0, 1]"),
                        ));
                    }
                    vec![(*lo, c), (*hi, c)]
                }
                other => {
                    return Err(InteropError::at(
                        source,
                        evaluator.offset,
                        format!("real issue `{name}`: evaluator ftype `{other}` is not supported"),
                    )
                    .with_help("accord reads linear, triangular and constant evaluators"));
                }
            };
            Ok((Values::Points(points), None))
        }
    }
}

fn evaluator<'e>(
    source: &Source<'_>,
    el: &'e Element,
    name: &str,
) -> Result<&'e Element, InteropError> {
    el.children_named("evaluator").next().ok_or_else(|| {
        InteropError::at(source, el.offset, format!("issue `{name}` has no <evaluator>"))
            .with_help("integer and real issues need <evaluator ftype=\"linear\" .../>")
    })
}

/// The first present attribute among `names`, as a number; `default` if none is present.
fn number_or(
    source: &Source<'_>,
    el: &Element,
    names: &[&str],
    default: Option<f64>,
) -> Result<f64, InteropError> {
    match names.iter().find(|n| el.attr(n).is_some()) {
        Some(n) => number(source, el, n),
        None => default.ok_or_else(|| {
            InteropError::at(
                source,
                el.offset,
                format!("<{}> has no `{}` attribute", el.name, names[0]),
            )
        }),
    }
}

/// A GENIUS integer issue: its bounds and each party's `(offset, slope)`.
type IntegerFit = (i64, i64, Vec<(f64, f64)>);

/// Issue `i` as a GENIUS integer issue: its bounds and each party's `(offset, slope)`, if it
/// is stepped with step 1 from a whole number and every party's values are
/// `clamp(offset + slope * (x - lo))`.
fn integer_fit(scenario: &Scenario, i: usize) -> Option<IntegerFit> {
    let issue = &scenario.issues()[i];
    let grid = issue.grid()?;
    if grid.step != 1.0 || grid.min.fract() != 0.0 || grid.min.abs() > 1e15 {
        return None;
    }
    let n = issue.levels().len();
    let lo = grid.min as i64;
    let mut lines = Vec::new();
    for party in scenario.parties() {
        let ValueFn::Levels(vs) = &party.preferences().values()[i] else { return None };
        lines.push(integer_line(vs)?);
    }
    Some((lo, lo + n as i64 - 1, lines))
}

/// `(offset, slope)` with `values[k] = clamp(offset + slope * k)` for every k, if there is
/// one; tried through the first few pairs of neighbours that differ (a pair across a kink
/// of the clamp gives the wrong line, so more than one may be needed).
fn integer_line(values: &[f64]) -> Option<(f64, f64)> {
    let fits = |offset: f64, slope: f64| {
        values
            .iter()
            .enumerate()
            .all(|(k, v)| ((offset + slope * k as f64).clamp(0.0, 1.0) - v).abs() < 1e-9)
    };
    if values.iter().all(|v| *v == values[0]) {
        return Some((values[0], 0.0));
    }
    values
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] != w[1])
        .take(3)
        .map(|(k, w)| {
            let slope = w[1] - w[0];
            (w[0] - slope * k as f64, slope)
        })
        .find(|(offset, slope)| fits(*offset, *slope))
}

/// A real issue's GENIUS evaluator for accord points, if one fits exactly.
fn real_evaluator(lo: f64, hi: f64, points: &[(f64, f64)]) -> Option<String> {
    let accord = |x: f64| ValueFn::Piecewise(points.to_vec()).value(x);
    let same = |f: &dyn Fn(f64) -> f64, extra: &[f64]| {
        let mut xs: Vec<f64> = points
            .iter()
            .map(|p| p.0)
            .chain([lo, hi])
            .chain(extra.iter().copied())
            .filter(|x| *x >= lo && *x <= hi)
            .collect();
        xs.sort_by(f64::total_cmp);
        xs.windows(2)
            .map(|w| (w[0] + w[1]) / 2.0)
            .chain(xs.iter().copied())
            .collect::<Vec<_>>()
            .iter()
            .all(|x| (f(*x) - accord(*x)).abs() < 1e-9)
    };
    let (v_lo, v_hi) = (accord(lo), accord(hi));
    if (v_lo - v_hi).abs() < 1e-12 && same(&|_| v_lo, &[]) {
        return Some(format!("<evaluator ftype=\"constant\" parameter0=\"{v_lo:?}\" />"));
    }
    // A clamped line through two neighbouring points that differ in value (the first such
    // pair may straddle a kink of the clamp, so each is tried).
    let pts: Vec<(f64, f64)> = points.to_vec();
    for w in pts.windows(2).filter(|w| w[0].1 != w[1].1) {
        let slope = (w[1].1 - w[0].1) / (w[1].0 - w[0].0);
        let offset = w[0].1 - slope * w[0].0;
        let kinks = [(0.0 - offset) / slope, (1.0 - offset) / slope];
        if same(&|x| (offset + slope * x).clamp(0.0, 1.0), &kinks) {
            return Some(format!(
                "<evaluator ftype=\"linear\" parameter0=\"{offset:?}\" parameter1=\"{slope:?}\" />"
            ));
        }
    }
    // A triangle: rising to 1 at the peak, falling after; its feet extend the two sides to 0.
    let peak = pts.iter().position(|p| p.1 == 1.0)?;
    if peak == 0 || peak + 1 >= pts.len() {
        return None;
    }
    let (l, top, r) = (pts[peak - 1], pts[peak], pts[peak + 1]);
    if l.1 >= 1.0 || r.1 >= 1.0 {
        return None;
    }
    let a = top.0 - (top.0 - l.0) / (1.0 - l.1);
    let b = top.0 + (r.0 - top.0) / (1.0 - r.1);
    let f = |x: f64| {
        if x < a || x >= b {
            0.0
        } else if x < top.0 {
            (x - a) / (top.0 - a)
        } else {
            1.0 - (x - top.0) / (b - top.0)
        }
    };
    same(&f, &[a, b]).then(|| format!("<evaluator ftype=\"triangular\" parameter0=\"{a:?}\" parameter1=\"{b:?}\" parameter2=\"{:?}\" />", top.0))
}

/// `x` rounded to twelve significant digits.
fn round12(x: f64) -> f64 {
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// A quoted, escaped XML attribute value.
fn attr(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A file's name without folders and extension.
fn stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.').map_or(base, |(s, _)| s).to_string()
}

/// A safe file stem for a party's profile: its name if that is a plain file name, else its id.
fn file_stem(name: &str, id: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name != "domain"
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '));
    if plain { name.to_string() } else { id.to_string() }
}

#[cfg(test)]
#[path = "genius_tests.rs"]
mod tests;

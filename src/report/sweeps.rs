//! The report's sweeps: which charts of each sweep it shows, and plain sentences read off the
//! data ("a deal needs the United States' reservation value below 0.62"). Everything here is
//! computed from a [`SweepTable`]; nothing is written in advance.

use crate::chart::sweep::words::{issue_words, path_words, possessive};
use crate::chart::sweep::{Shape, SweepChart, charts_of, shape};
use crate::model::format_quantity;
use crate::sweep::table::{Group, MetricId, Stats, SweepTable};

use super::Block;

/// One sweep as the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSection {
    /// Its heading.
    pub title: String,
    /// The question it answers, if the scenario gives one.
    pub question: Option<String>,
    /// What was varied, in a sentence.
    pub design: String,
    /// Its charts: file stem and caption.
    pub figures: Vec<(String, String)>,
    /// What the data say.
    pub findings: Vec<String>,
}

/// Medians closer than this are "the same" in sentences (utilities are on 0-1).
const SAME: f64 = 0.005;

/// The charts worth showing: the gains always; the agreement rate where it is not 1
/// everywhere; the round and each issue's terms where their medians move.
pub fn shown_charts(table: &SweepTable) -> Vec<SweepChart> {
    charts_of(table)
        .into_iter()
        .filter(|chart| match chart.metrics[0] {
            MetricId::Gain(_) => true,
            MetricId::Agreement => table.groups.iter().any(|g| g.agreements < g.runs),
            metric => moves(table, metric),
        })
        .collect()
}

/// Whether a metric's median differs between groups, as the report prints it (a median of
/// 49.9991% and one of 50% are both "50%").
fn moves(table: &SweepTable, metric: MetricId) -> bool {
    let shown: Vec<String> = table
        .groups
        .iter()
        .filter_map(|g| stats(table, g, metric))
        .map(|s| metric_value(table, metric, s.median()))
        .collect();
    shown.iter().any(|s| *s != shown[0])
}

fn stats(table: &SweepTable, group: &Group, metric: MetricId) -> Option<Stats> {
    table.metric_index(metric).and_then(|k| group.stats[k])
}

/// A value of axis `a` for sentences.
fn value(table: &SweepTable, a: usize, index: usize) -> String {
    let text = &table.axes[a].values[index];
    match text.parse::<f64>() {
        Ok(x) => crate::chart::sweep::words::number(x),
        Err(_) => text.replace('_', " "),
    }
}

fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

fn utility(x: f64) -> String {
    format!("{x:.3}")
}

/// A metric's value in words: terms in their unit or as a level.
fn metric_value(table: &SweepTable, metric: MetricId, x: f64) -> String {
    match metric {
        MetricId::Terms(i) => {
            let issue = &table.labels.issues[i];
            if issue.levels.is_empty() {
                let [lo, hi] = issue.range.unwrap_or([0.0, 1.0]);
                format_quantity(x, lo, hi, &issue.unit)
            } else {
                let k = (x.round().max(0.0) as usize).min(issue.levels.len() - 1);
                format!("\"{}\"", issue.levels[k].replace('_', " "))
            }
        }
        MetricId::Round => format!("round {}", crate::chart::sweep::words::number(x)),
        _ => utility(x),
    }
}

/// Plain sentences read off a sweep. `reset_rounds[a]` lists the rounds at which the
/// scenario's events set axis `a`'s path again (the swept value holds only until the first).
pub fn findings(table: &SweepTable, reset_rounds: &[Vec<u32>]) -> Vec<String> {
    let mut out = Vec::new();
    for (a, rounds) in reset_rounds.iter().enumerate().take(table.drawn) {
        if let Some(first) = rounds.first() {
            let list: Vec<String> = rounds.iter().map(u32::to_string).collect();
            out.push(format!(
                "The scenario's events set {} again at {} {}, so the swept value holds only \
                 until round {first}.",
                path_words(&table.axes[a].path, &table.labels),
                if rounds.len() == 1 { "round" } else { "rounds" },
                join(&list)
            ));
        }
    }
    match shape(table) {
        Shape::Line => line_findings(table, &mut out),
        Shape::Boxes => box_findings(table, &mut out),
        Shape::Heatmap | Shape::Dots => grid_findings(table, &mut out),
    }
    out
}

fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn line_findings(table: &SweepTable, out: &mut Vec<String>) {
    let labels = &table.labels;
    let words = path_words(&table.axes[0].path, labels);
    let groups = &table.groups;
    let (first, last) = (value(table, 0, 0), value(table, 0, table.axes[0].values.len() - 1));
    let span = format!("from {first} to {last}");
    let single = groups.iter().all(|g| g.runs == 1);
    let rates: Vec<f64> = groups.iter().map(Group::agreement_rate).collect();
    let likely: Vec<bool> = rates.iter().map(|r| *r >= 0.5).collect();
    let at = |k: usize| value(table, 0, groups[k].at[0]);
    if rates.iter().all(|r| *r == 1.0) {
        out.push(format!("The talks end in a deal at every value of {words} {span}."));
    } else if rates.iter().all(|r| *r == 0.0) {
        out.push(format!("No run ends in a deal at any value of {words} {span}."));
    } else if let Some(k) = likely
        .iter()
        .position(|l| !l)
        .filter(|&k| k > 0 && likely[..k].iter().all(|l| *l) && likely[k..].iter().all(|l| !l))
    {
        out.push(threshold(
            &words,
            "below",
            at(k),
            (at(k - 1), rates[k - 1]),
            (at(k), rates[k]),
            single,
        ));
    } else if let Some(k) = likely
        .iter()
        .position(|l| *l)
        .filter(|&k| k > 0 && likely[..k].iter().all(|l| !l) && likely[k..].iter().all(|l| *l))
    {
        out.push(threshold(
            &words,
            "of at least",
            at(k),
            (at(k - 1), rates[k - 1]),
            (at(k), rates[k]),
            single,
        ));
    } else {
        let (lo, hi) = extremes(&rates);
        out.push(format!(
            "The share of runs ending in a deal varies between {} (at {words} = {}) and {} (at {}).",
            percent(rates[lo]),
            at(lo),
            percent(rates[hi]),
            at(hi)
        ));
    }
    for (p, party) in labels.parties.iter().enumerate() {
        let series: Vec<(usize, f64)> = groups
            .iter()
            .enumerate()
            .filter_map(|(k, g)| Some((k, stats(table, g, MetricId::Gain(p))?.median())))
            .collect();
        let (Some(&(k0, m0)), Some(&(k1, m1))) = (series.first(), series.last()) else {
            continue;
        };
        let who = possessive(&party.name);
        let values: Vec<f64> = series.iter().map(|(_, m)| *m).collect();
        let (lo, hi) = extremes(&values);
        let mut sentence = if (values[hi] - values[lo]).abs() < SAME {
            format!("{who} gain stays at {} across the sweep", utility(m0))
        } else if (m1 - m0).abs() < SAME {
            format!("{who} gain is {} at both ends ({words} {first} and {last})", utility(m0))
        } else {
            format!(
                "{who} gain {} from {} to {} as {words} goes from {} to {}",
                if m1 > m0 { "rises" } else { "falls" },
                utility(m0),
                utility(m1),
                at(k0),
                at(k1)
            )
        };
        let (ends_lo, ends_hi) = (m0.min(m1), m0.max(m1));
        if values[hi] > ends_hi + 2.0 * SAME {
            sentence.push_str(&format!(
                ", highest ({}) at {}",
                utility(values[hi]),
                at(series[hi].0)
            ));
        }
        if values[lo] < ends_lo - 2.0 * SAME {
            sentence.push_str(&format!(
                ", lowest ({}) at {}",
                utility(values[lo]),
                at(series[lo].0)
            ));
        }
        out.push(sentence + ".");
    }
    let mut still = Vec::new();
    for metric in table.metrics.iter().filter(|m| matches!(m, MetricId::Round | MetricId::Terms(_)))
    {
        let series: Vec<(usize, f64)> = groups
            .iter()
            .enumerate()
            .filter_map(|(k, g)| Some((k, stats(table, g, *metric)?.median())))
            .collect();
        let (Some(&(k0, m0)), Some(&(k1, m1))) = (series.first(), series.last()) else {
            continue;
        };
        let what = match metric {
            MetricId::Round => "the round of the deal".to_string(),
            MetricId::Terms(i) => {
                format!("the terms on {}", issue_words(labels, &labels.issues[*i].id))
            }
            _ => continue,
        };
        let values: Vec<f64> = series.iter().map(|(_, m)| *m).collect();
        let (lo, hi) = extremes(&values);
        let shown = |x: f64| metric_value(table, *metric, x);
        let verb = if matches!(metric, MetricId::Terms(_)) { "move" } else { "moves" };
        let (a, b) = (shown(m0), shown(m1));
        if shown(values[lo]) == shown(values[hi]) {
            still.push(format!("{what} ({a})"));
        } else if a == b {
            out.push(capitalize(&format!(
                "{what} {verb} between {} and {} but {} {a} at both ends.",
                shown(values[lo]),
                shown(values[hi]),
                if verb == "move" { "are" } else { "is" }
            )));
        } else {
            out.push(capitalize(&format!(
                "{what} {verb} from {a} (at {}) to {b} (at {}).",
                at(k0),
                at(k1)
            )));
        }
    }
    if !still.is_empty() {
        out.push(format!("Unchanged across the sweep: {}.", join(&still)));
    }
}

/// "A deal needs X below v: at u the talks end in a deal, at v they do not", or with
/// replicates "Most runs end in a deal only with X below v: 70% at u, 45% at v".
fn threshold(
    words: &str,
    side: &str,
    edge: String,
    (u, ru): (String, f64),
    (v, rv): (String, f64),
    single: bool,
) -> String {
    if single {
        let (yes, no) = if ru >= 0.5 { (u, v) } else { (v, u) };
        format!(
            "A deal needs {words} {side} {edge}: at {yes} the talks end in a deal, at {no} they do not."
        )
    } else {
        format!(
            "Most runs end in a deal only with {words} {side} {edge}: {} at {u}, {} at {v}.",
            percent(ru),
            percent(rv)
        )
    }
}

fn box_findings(table: &SweepTable, out: &mut Vec<String>) {
    let labels = &table.labels;
    let words = path_words(&table.axes[0].path, labels);
    let groups = &table.groups;
    let name = |g: &Group| value(table, 0, g.at[0]);
    if groups.iter().any(|g| g.agreements < g.runs) {
        let parts: Vec<String> =
            groups.iter().map(|g| format!("{} {}", name(g), percent(g.agreement_rate()))).collect();
        out.push(format!("Runs ending in a deal, by {words}: {}.", join(&parts)));
    } else {
        out.push(format!("The talks end in a deal whatever {words}."));
    }
    for (p, party) in labels.parties.iter().enumerate() {
        let medians: Vec<(String, f64)> = groups
            .iter()
            .filter_map(|g| Some((name(g), stats(table, g, MetricId::Gain(p))?.median())))
            .collect();
        if medians.len() < 2 {
            continue;
        }
        let values: Vec<f64> = medians.iter().map(|(_, m)| *m).collect();
        let (lo, hi) = extremes(&values);
        let who = possessive(&party.name);
        if values[hi] - values[lo] < SAME {
            out.push(format!("{who} gain is {} whatever {words}.", utility(values[lo])));
        } else {
            out.push(format!(
                "{who} gain is highest with {} ({}) and lowest with {} ({}).",
                medians[hi].0,
                utility(values[hi]),
                medians[lo].0,
                utility(values[lo])
            ));
        }
    }
}

fn grid_findings(table: &SweepTable, out: &mut Vec<String>) {
    let labels = &table.labels;
    let (w0, w1) =
        (path_words(&table.axes[0].path, labels), path_words(&table.axes[1].path, labels));
    let groups = &table.groups;
    let place =
        |g: &Group| format!("{w0} {}, {w1} {}", value(table, 0, g.at[0]), value(table, 1, g.at[1]));
    let likely = groups.iter().filter(|g| g.agreement_rate() >= 0.5).count();
    let n = groups.len();
    if groups.iter().all(|g| g.agreements == g.runs) {
        out.push(format!("The talks end in a deal at all {n} combinations of {w0} and {w1}."));
    } else if likely == 0 {
        out.push(format!("Deals are rare at every one of the {n} combinations of {w0} and {w1}."));
    } else {
        out.push(format!(
            "Most runs end in a deal at {likely} of the {n} combinations of {w0} and {w1}."
        ));
    }
    for (p, party) in labels.parties.iter().enumerate() {
        let medians: Vec<(&Group, f64)> = groups
            .iter()
            .filter_map(|g| Some((g, stats(table, g, MetricId::Gain(p))?.median())))
            .collect();
        if medians.is_empty() {
            continue;
        }
        let values: Vec<f64> = medians.iter().map(|(_, m)| *m).collect();
        let (lo, hi) = extremes(&values);
        let who = possessive(&party.name);
        if values[hi] - values[lo] < SAME {
            out.push(format!("{who} gain stays at {} throughout.", utility(values[lo])));
        } else {
            out.push(format!(
                "{who} gain ranges from {} ({}) to {} ({}).",
                utility(values[lo]),
                place(medians[lo].0),
                utility(values[hi]),
                place(medians[hi].0)
            ));
        }
    }
}

/// Indices of the first smallest and first largest value.
fn extremes(values: &[f64]) -> (usize, usize) {
    let mut lo = 0;
    let mut hi = 0;
    for (k, v) in values.iter().enumerate() {
        if *v < values[lo] {
            lo = k;
        }
        if *v > values[hi] {
            hi = k;
        }
    }
    (lo, hi)
}

fn capitalize(text: &str) -> String {
    super::capitalize(text)
}

/// A sweep as the report shows it, and the charts to draw for it: each chart with the file
/// stem it gets in the report's folder (`<prefix><metric>`, such as `report-sweep1-gain`).
pub fn section(
    table: &SweepTable,
    title: String,
    question: Option<String>,
    prefix: &str,
    reset_rounds: &[Vec<u32>],
) -> (SweepSection, Vec<(SweepChart, String)>) {
    let labels = &table.labels;
    let axes: Vec<String> = table
        .axes
        .iter()
        .enumerate()
        .map(|(a, axis)| {
            let n = table.sidecar.axes[a].values.unwrap_or(0);
            let values: Vec<f64> = axis.values.iter().filter_map(|v| v.parse().ok()).collect();
            let range = match (values.first(), values.last()) {
                (Some(lo), Some(hi)) if values.len() == axis.values.len() && n > 2 => {
                    format!(
                        " from {} to {}",
                        crate::chart::sweep::words::number(*lo),
                        crate::chart::sweep::words::number(*hi)
                    )
                }
                _ => format!(
                    ": {}",
                    join(&axis.values.iter().map(|v| v.replace('_', " ")).collect::<Vec<_>>())
                ),
            };
            format!("{} ({n} values{range})", path_words(&axis.path, labels))
        })
        .collect();
    let replicates = table.sidecar.replicates;
    let design = format!(
        "Varied: {}; {} at each point, {} in all.",
        join(&axes),
        if replicates == 1 { "one run".to_string() } else { format!("{replicates} runs") },
        crate::text::count(table.runs as usize, "run")
    );
    let mut figures = Vec::new();
    let mut charts = Vec::new();
    let over = match shape(table) {
        Shape::Line | Shape::Boxes => {
            format!(" against {}", path_words(&table.axes[0].path, labels))
        }
        _ => format!(
            " by {} and {}",
            path_words(&table.axes[0].path, labels),
            path_words(&table.axes[1].path, labels)
        ),
    };
    for chart in shown_charts(table) {
        let stem = format!("{prefix}{}", chart.stem.trim_start_matches("sweep-"));
        let what = if chart.metrics.len() > 1 {
            "Each party's gain over its reservation value".to_string()
        } else {
            crate::chart::sweep::words::metric_name(chart.metrics[0], labels)
        };
        figures.push((stem.clone(), format!("{what}{over}.")));
        charts.push((chart, stem));
    }
    let section =
        SweepSection { title, question, design, figures, findings: findings(table, reset_rounds) };
    (section, charts)
}

/// The report's blocks for its sweeps, under one heading.
pub fn blocks(sections: &[SweepSection]) -> Vec<Block> {
    let mut doc = Vec::new();
    if sections.is_empty() {
        return doc;
    }
    doc.push(Block::Heading(2, "Sweeps".into()));
    doc.push(Block::Paragraph(
        "How the outcome moves when a parameter moves: each sweep reruns the scenario at every \
         value shown (everything else as in the file), with the seed rule of accord sweep, \
         so accord sweep with the same axes gives the same numbers."
            .into(),
    ));
    for section in sections {
        doc.push(Block::Heading(3, section.title.clone()));
        if let Some(question) = &section.question {
            doc.push(Block::Paragraph(question.clone()));
        }
        doc.push(Block::Paragraph(section.design.clone()));
        if !section.findings.is_empty() {
            doc.push(Block::Paragraph(section.findings.join(" ")));
        }
        for (name, caption) in &section.figures {
            doc.push(Block::Figure(name.clone(), caption.clone()));
        }
    }
    doc
}

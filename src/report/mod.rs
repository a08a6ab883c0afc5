//! Reports: a run's record written up for readers, as Markdown and as self-contained HTML.
//!
//! The report is built once as a small document (headings, paragraphs, tables, figures)
//! from the [`RunRecord`], then rendered twice, so the two formats cannot disagree. This
//! module formats; it runs nothing and draws nothing (charts come from `crate::chart`, and
//! the HTML inlines the SVG text it is given).

pub mod sweeps;

use std::fmt::Write as _;

use crate::export::compare;
use crate::export::record::{RunRecord, TermValue, Terms};
use crate::model::format_quantity;
use crate::text::{count, count_irregular};

/// One block of a report.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading of the given level (1 = title).
    Heading(u8, String),
    /// A paragraph of plain text.
    Paragraph(String),
    /// A table: header cells, then rows.
    Table(Vec<String>, Vec<Vec<String>>),
    /// A chart: its file stem (`offers`), caption; rendered as an image link (Markdown) or
    /// inline SVG (HTML).
    Figure(String, String),
}

/// A chart as the HTML report inlines it.
#[derive(Clone, Debug)]
pub struct InlineChart {
    /// File stem, such as `offers`.
    pub name: String,
    /// The SVG document.
    pub svg: String,
}

/// The report's blocks for a run; `charts` names the charts available (file stems), which
/// become figures in a fixed order.
pub fn document(record: &RunRecord, charts: &[&str]) -> Vec<Block> {
    let mut doc = Vec::new();
    let s = &record.scenario;
    doc.push(Block::Heading(1, s.name.clone()));
    if !s.description.trim().is_empty() {
        doc.push(Block::Paragraph(s.description.trim().to_string()));
    }

    doc.push(Block::Heading(2, "Outcome".into()));
    doc.push(Block::Paragraph(capitalize(&record.outcome.summary) + "."));
    if let Some(terms) = &record.outcome.terms {
        doc.push(terms_table(record, &[("Agreed terms", terms)]));
    }
    doc.push(Block::Table(
        ["Party", "Strategy", "Utility", "Discounted", "Reservation", "Gain"]
            .map(String::from)
            .into(),
        record
            .parties
            .iter()
            .map(|p| {
                vec![
                    p.name.clone(),
                    p.strategy.clone(),
                    opt3(p.utility),
                    opt3(p.discounted_utility),
                    format!("{:.3}", p.reservation),
                    format!("{:+.3}", p.gain),
                ]
            })
            .collect(),
    ));
    doc.push(Block::Paragraph(format!(
        "Utilities are on a 0–1 scale for each party; \"discounted\" multiplies by the party's \
         discount factor raised to the round of the deal, and the gain is what the party ends \
         with minus its reservation value (the utility of walking away). Total payoff: {:.3}.",
        record.welfare.total_payoff
    )));

    analysis_section(record, &mut doc);
    negotiation_section(record, &mut doc);

    if !record.events.is_empty() {
        doc.push(Block::Heading(2, "Events".into()));
        doc.push(Block::Table(
            ["Round", "Event", "Changes"].map(String::from).into(),
            record
                .events
                .iter()
                .map(|e| {
                    let mut changes: Vec<String> =
                        e.set.0.iter().map(|(path, v)| format!("{path} = {v}")).collect();
                    if e.ends_talks {
                        changes.push("ends the talks".into());
                    }
                    vec![e.round.to_string(), e.description.clone(), changes.join("; ")]
                })
                .collect(),
        ));
    }

    assumptions_section(record, &mut doc);

    if !charts.is_empty() {
        doc.push(Block::Heading(2, "Charts".into()));
        for name in charts {
            doc.push(Block::Figure(name.to_string(), caption(name)));
        }
    }

    doc.push(Block::Heading(2, "Method".into()));
    doc.push(Block::Paragraph(format!(
        "Simulated with accord {} (stacked alternating offers: the proposer makes a full offer, \
         the others answer in turn, the first to reject makes the next offer, a deal needs every \
         party). {}, {}, deadline {}, {} information, seed {}; {} {} made. The same \
         scenario file and seed reproduce this report exactly.",
        record.accord_version,
        count_irregular(record.parties.len(), "party", "parties"),
        count(s.issues.len(), "issue"),
        count(s.max_rounds as usize, "round"),
        s.information,
        record.seed,
        count(record.offers.len(), "offer"),
        if record.offers.len() == 1 { "was" } else { "were" }
    )));
    doc.push(Block::Paragraph(
        "Bargaining solutions are computed exactly on undiscounted utilities, with each party's \
         reservation value as its disagreement point and the parameters as they stood when the \
         talks ended. Nash: the deal maximizing the product of the parties' gains. \
         Kalai–Smorodinsky: the efficient deal where each party's gain is the same share of its \
         best possible gain. Utilitarian: the deal with the largest total utility among those \
         every party prefers to no deal. Distances are Euclidean in utility space."
            .into(),
    ));
    doc
}

/// A sensitivity analysis of the same scenario (`accord sensitivity`), as a report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct SensitivitySummary {
    /// `one-at-a-time`, `Morris` or `Sobol'`.
    pub method: String,
    /// Runs it made.
    pub runs: u64,
    /// Its findings, one paragraph each.
    pub findings: Vec<String>,
    /// Its chart stems (`sensitivity-round`), drawn beside the report.
    pub charts: Vec<String>,
}

/// Adds a "Sensitivity" section with the analysis's findings and charts, before the
/// "Method" section.
pub fn add_sensitivity(doc: &mut Vec<Block>, s: &SensitivitySummary) {
    let mut blocks = vec![
        Block::Heading(2, "Sensitivity".into()),
        Block::Paragraph(format!(
            "A {} sensitivity analysis of this scenario ({} runs, accord sensitivity) varied the \
             declared assumptions over their ranges. Its findings:",
            s.method, s.runs
        )),
    ];
    blocks.extend(s.findings.iter().map(|f| Block::Paragraph(f.clone())));
    for chart in &s.charts {
        blocks.push(Block::Figure(
            chart.clone(),
            "How much each assumption moves this outcome (sensitivity.md explains the chart)."
                .into(),
        ));
    }
    let at = doc
        .iter()
        .position(|b| matches!(b, Block::Heading(2, t) if t == "Method"))
        .unwrap_or(doc.len());
    doc.splice(at..at, blocks);
}

/// The scenario's declared assumptions with their ranges and sources.
fn assumptions_section(record: &RunRecord, doc: &mut Vec<Block>) {
    let assumptions = &record.scenario.assumptions;
    if assumptions.is_empty() {
        return;
    }
    doc.push(Block::Heading(2, "Assumptions".into()));
    doc.push(Block::Paragraph(format!(
        "The scenario declares {} it rests on, each with the range in which it is plausible \
         and where it comes from; the sensitivity analysis (accord sensitivity) varies them over \
         these ranges and says which ones move the outcome.",
        count_irregular(assumptions.len(), "judgement", "judgements")
    )));
    doc.push(Block::Table(
        ["Parameter", "Value", "Range", "Confidence", "Source"].map(String::from).into(),
        assumptions
            .iter()
            .map(|a| {
                vec![
                    a.path.clone(),
                    a.value.map_or_else(String::new, |v| v.to_string()),
                    format!("{}–{}", a.low, a.high),
                    a.confidence.clone().unwrap_or_default(),
                    a.source.clone(),
                ]
            })
            .collect(),
    ));
}

fn analysis_section(record: &RunRecord, doc: &mut Vec<Block>) {
    doc.push(Block::Heading(2, "Efficiency and fairness".into()));
    let findings: Vec<String> =
        compare::findings(record).iter().map(|f| capitalize(f) + ".").collect();
    doc.push(Block::Paragraph(findings.join(" ")));
    if record.analysis.error.is_some() {
        return;
    }
    let rows = compare::comparisons(record);
    let mut header = vec!["".to_string()];
    header.extend(record.parties.iter().map(|p| p.name.clone()));
    header.push("Distance from deal".into());
    doc.push(Block::Table(
        header,
        rows.iter()
            .map(|row| {
                let mut cells = vec![row.label.to_string()];
                cells.extend(row.utilities.iter().map(|u| format!("{u:.3}")));
                cells.push(opt3(row.distance));
                cells
            })
            .collect(),
    ));
    let columns: Vec<(&str, &Terms)> =
        rows.iter().filter_map(|row| Some((row.label, row.terms.as_ref()?))).collect();
    if !columns.is_empty() {
        doc.push(terms_table(record, &columns));
    }
    if let Some(obs) = &record.analysis.observed
        && !obs.description.trim().is_empty()
    {
        doc.push(Block::Paragraph(format!("Observed: {}", obs.description.trim())));
    }
}

/// Offers shown in full up to this many; a longer negotiation shows its first and last
/// `SHOWN_OFFERS / 2`, so a report stays the same size however long the talks ran.
const SHOWN_OFFERS: usize = 16;
/// Utility columns up to this many parties; more get the proposer's own utility only.
const UTILITY_COLUMNS: usize = 6;

/// The offers round by round: all of them for a short negotiation, the first and last
/// ones for a long one (offers.csv has every offer).
fn negotiation_section(record: &RunRecord, doc: &mut Vec<Block>) {
    let offers = &record.offers;
    if offers.is_empty() {
        return;
    }
    doc.push(Block::Heading(2, "Negotiation".into()));
    let name = |id: &str| {
        record.parties.iter().find(|p| p.id == id).map_or(id.to_string(), |p| p.name.clone())
    };
    let counts: Vec<String> = record
        .parties
        .iter()
        .map(|p| {
            let n = offers.iter().filter(|o| o.proposer == p.id).count();
            format!("{} {}", p.name, count(n, "offer"))
        })
        .collect();
    let shown = if offers.len() <= SHOWN_OFFERS {
        "every offer".to_string()
    } else {
        format!(
            "the first {half} and the last {half} offers (offers.csv has all {})",
            offers.len(),
            half = SHOWN_OFFERS / 2
        )
    };
    doc.push(Block::Paragraph(format!(
        "{} over {}: {}. The table shows {shown}, with each party's undiscounted utility of \
         the offer and how it was answered.",
        count(offers.len(), "offer"),
        count(offers.last().map_or(0, |o| o.round as usize + 1), "round"),
        counts.join(", ")
    )));
    let wide = record.parties.len() <= UTILITY_COLUMNS;
    let mut header = vec!["Round".to_string(), "Proposer".to_string()];
    if wide {
        header.extend(record.parties.iter().map(|p| p.name.clone()));
    } else {
        header.push("Proposer's utility".to_string());
    }
    header.push("Answer".to_string());
    let row = |offer: &crate::export::record::OfferRecordOut| {
        let mut cells = vec![offer.round.to_string(), name(&offer.proposer)];
        if wide {
            cells.extend(offer.utilities.values().map(|u| format!("{u:.3}")));
        } else {
            let own = offer.utilities.0.iter().find(|(id, _)| *id == offer.proposer);
            cells.push(own.map_or("–".to_string(), |(_, u)| format!("{u:.3}")));
        }
        cells.push(match offer.responses.last() {
            Some(r) if r.response == "reject" => format!("rejected by {}", name(&r.party)),
            Some(r) if r.response == "walk_away" => format!("{} walked out", name(&r.party)),
            Some(_) => "accepted".to_string(),
            None => "–".to_string(),
        });
        cells
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    if offers.len() <= SHOWN_OFFERS {
        rows.extend(offers.iter().map(row));
    } else {
        let half = SHOWN_OFFERS / 2;
        rows.extend(offers[..half].iter().map(row));
        let left_out = offers.len() - 2 * half;
        let mut gap = vec!["…".to_string(), format!("{} not shown", count(left_out, "offer"))];
        gap.resize(header.len(), String::new());
        rows.push(gap);
        rows.extend(offers[offers.len() - half..].iter().map(row));
    }
    doc.push(Block::Table(header, rows));
}

/// Terms side by side: one row per issue, one column per set of terms.
fn terms_table(record: &RunRecord, columns: &[(&str, &Terms)]) -> Block {
    let mut header = vec!["Issue".to_string()];
    header.extend(columns.iter().map(|(label, _)| label.to_string()));
    let rows = record
        .scenario
        .issues
        .iter()
        .enumerate()
        .map(|(i, issue)| {
            let mut cells = vec![issue.label.clone()];
            for (_, terms) in columns {
                cells.push(match terms.0.get(i).map(|(_, v)| v) {
                    Some(TermValue::Number(x)) => {
                        let [min, max] = issue.range.unwrap_or([0.0, 1.0]);
                        format_quantity(*x, min, max, issue.unit.as_deref().unwrap_or(""))
                    }
                    Some(TermValue::Level(level)) => level.replace('_', " "),
                    None => "–".into(),
                });
            }
            cells
        })
        .collect();
    Block::Table(header, rows)
}

/// What each chart shows, for figure captions (`offers-2` is the offers chart's second page).
fn caption(name: &str) -> String {
    if let Some((stem, page)) = name.rsplit_once('-')
        && stem == "offers"
        && page.parse::<u32>().is_ok()
    {
        return format!("{} (page {page})", caption_of(stem));
    }
    caption_of(name).to_string()
}

fn caption_of(name: &str) -> &'static str {
    match name {
        "offers" => {
            "Offers on each issue, round by round, by the party that made them; events and the deal are marked."
        }
        "concessions" => {
            "Each party's own utility of the offers it made: how fast it conceded, against its reservation value."
        }
        "utility-space" => {
            "The deals in utility space: the Pareto frontier, the reservation point, the Nash and Kalai–Smorodinsky solutions, the parties' offers and the deal."
        }
        _ => "",
    }
}

/// Renders the document as Markdown; figures link to `<name>.png` beside the report.
///
/// Text from the scenario (names, labels, units, descriptions) is escaped
/// ([`crate::text::markdown`]): markup and HTML in it are shown as written, never interpreted.
pub fn markdown(doc: &[Block]) -> String {
    use crate::text::markdown as md;
    let mut out = String::new();
    for block in doc {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(usize::from(*level)), md(text, true));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "{}\n", md(text, false));
            }
            Block::Table(header, rows) => {
                let cell = |c: &String| md(c, true);
                let _ = writeln!(
                    out,
                    "| {} |",
                    header.iter().map(cell).collect::<Vec<_>>().join(" | ")
                );
                let _ = writeln!(out, "|{}", " --- |".repeat(header.len()));
                for row in rows {
                    let _ = writeln!(
                        out,
                        "| {} |",
                        row.iter().map(cell).collect::<Vec<_>>().join(" | ")
                    );
                }
                out.push('\n');
            }
            Block::Figure(name, caption) => {
                let _ = writeln!(out, "![{name} chart]({name}.png)\n\n*{}*\n", md(caption, true));
            }
        }
    }
    out
}

/// Renders the document as one self-contained HTML page (styles and SVG charts inline).
pub fn html(doc: &[Block], charts: &[InlineChart]) -> String {
    let title = doc
        .iter()
        .find_map(|b| match b {
            Block::Heading(1, t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("accord report");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(title)
    );
    for block in doc {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", escape(text));
            }
            Block::Table(header, rows) => {
                // Numbers align right (digits under digits), text left.
                let numeric: Vec<bool> = (0..header.len())
                    .map(|col| {
                        col > 0 && rows.iter().all(|row| row.get(col).is_none_or(|c| is_number(c)))
                    })
                    .collect();
                let class = |col: usize| if numeric[col] { " class=\"num\"" } else { "" };
                out.push_str("<table>\n<thead><tr>");
                for (col, h) in header.iter().enumerate() {
                    let _ = write!(out, "<th scope=\"col\"{}>{}</th>", class(col), escape(h));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for (col, c) in row.iter().enumerate() {
                        if col == 0 {
                            let _ = write!(out, "<th scope=\"row\">{}</th>", escape(c));
                        } else {
                            // Short cells ("0 $bn", "45.9%") never break inside.
                            let nowrap = if c.chars().count() <= 12 && !numeric[col] {
                                " class=\"nw\""
                            } else {
                                ""
                            };
                            let attrs = if numeric[col] { class(col) } else { nowrap };
                            let _ = write!(out, "<td{attrs}>{}</td>", escape(c));
                        }
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Figure(name, caption) => {
                if let Some(chart) = charts.iter().find(|c| &c.name == name) {
                    let _ = writeln!(
                        out,
                        "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
                        strip_xml_declaration(&chart.svg),
                        escape(caption)
                    );
                }
            }
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

const STYLE: &str = "body { font-family: 'DejaVu Sans', system-ui, sans-serif; color: #1a1a1a; \
background: #fff; margin: 0; }
main { max-width: 62rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; }
h1 { font-size: 1.8rem; margin-bottom: 0.5rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.8rem; border-bottom: 1px solid #e4e4e4; text-align: left; \
vertical-align: top; }
.num { text-align: right; white-space: nowrap; }
.nw { white-space: nowrap; }
thead th { border-bottom: 2px solid #999; }
figure { margin: 1.5rem 0; width: min(1200px, calc(100vw - 2rem)); position: relative; \
left: 50%; transform: translateX(-50%); }
figure svg { display: block; width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.95rem; max-width: 62rem; margin: 0.4rem auto 0; }
";

/// Whether a table cell is a number, such as `0.943`, `+0.475`, `–` (none) or `12`, or
/// empty: the cells a column must all be to align right.
fn is_number(cell: &str) -> bool {
    let cell = cell.trim();
    cell.is_empty()
        || cell == "–"
        || cell
            .strip_prefix(['+', '-', '−'])
            .unwrap_or(cell)
            .parse::<f64>()
            .is_ok_and(f64::is_finite)
}

fn strip_xml_declaration(svg: &str) -> &str {
    match svg.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(svg, |(_, body)| body.trim_start()),
        None => svg,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn opt3(value: Option<f64>) -> String {
    value.map_or("–".to_string(), |v| format!("{v:.3}"))
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{AnalysisLevel, RunConfig, simulate};

    fn record() -> RunRecord {
        let checked = crate::scenario::check_str(
            "t.toml",
            include_str!("../../scenarios/us-ukraine-minerals-2025.toml"),
        );
        simulate(
            &checked.scenario.expect("valid"),
            &RunConfig { seed: 2025, file: "t.toml".into(), analysis: AnalysisLevel::Frontier },
        )
    }

    #[test]
    fn the_report_lists_the_assumptions_with_their_sources() {
        let record = record();
        let md = markdown(&document(&record, &[]));
        let at = md.find("## Assumptions").expect("an assumptions section");
        let section = &md[at..];
        assert!(section.contains("| parties.ukraine.discount | 0.996 | 0.99–0.999 | medium |"));
        assert!(section.contains("Zelenskyy, Munich Security Conference, 15 Feb 2025"));
        let mut bare = record.clone();
        bare.scenario.assumptions.clear();
        assert!(!markdown(&document(&bare, &[])).contains("## Assumptions"));
    }

    #[test]
    fn markdown_and_html_carry_the_same_tables() {
        let record = record();
        let doc = document(&record, &["offers"]);
        let md = markdown(&doc);
        let html = html(
            &doc,
            &[InlineChart {
                name: "offers".into(),
                svg: "<?xml version=\"1.0\"?>\n<svg><text>x</text></svg>".into(),
            }],
        );
        for block in &doc {
            if let Block::Table(header, rows) = block {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    let md_cell = crate::text::markdown(cell, true);
                    assert!(md.contains(&md_cell), "markdown lacks {cell}");
                    assert!(html.contains(&escape(cell)), "html lacks {cell}");
                }
            }
        }
        assert!(md.contains("![") && md.contains("(offers.png)"));
        assert!(html.contains("<svg><text>x</text></svg>") && !html.contains("<?xml"));
    }

    #[test]
    fn the_report_states_outcome_efficiency_and_the_real_deal() {
        let md = markdown(&document(&record(), &[]));
        assert!(md.starts_with("# US–Ukraine"));
        assert!(md.contains("## Outcome\n\nAgreement at round"));
        assert!(md.contains("Pareto-optimal"));
        assert!(md.contains("| Nash |"));
        assert!(md.contains("|  | United States | Ukraine | Distance from deal |"));
        assert!(md.contains("The real deal came at round 77"));
        assert!(!md.contains("## Charts"), "no chart section without charts");
    }

    #[test]
    fn markdown_shows_markup_from_the_scenario_as_text() {
        let doc = vec![
            Block::Heading(1, "<script>alert(1)</script>".into()),
            Block::Paragraph("<!-- hidden\n<img src=x onerror=alert(1)>".into()),
            Block::Table(vec!["Party".into()], vec![vec!["a|b\n# c".into()]]),
        ];
        let md = markdown(&doc);
        assert!(!md.contains('<'), "{md}");
        assert!(md.contains("# &lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(md.contains("| a\\|b \\# c |"), "{md}");
    }

    #[test]
    fn html_escapes_text() {
        let doc = vec![Block::Paragraph("a < b & \"c\"".into())];
        assert!(html(&doc, &[]).contains("<p>a &lt; b &amp; &quot;c&quot;</p>"));
    }

    #[test]
    fn html_tables_align_numbers_right_and_text_left() {
        let doc = vec![Block::Table(
            vec!["Party".into(), "Strategy".into(), "Utility".into(), "Terms".into()],
            vec![
                vec!["A".into(), "boulware".into(), "0.943".into(), "0 $bn".into()],
                vec!["B".into(), "conceder".into(), "–".into(), "a long level name here".into()],
            ],
        )];
        let html = html(&doc, &[]);
        assert!(html.contains("<th scope=\"col\" class=\"num\">Utility</th>"), "{html}");
        assert!(html.contains("<th scope=\"col\">Strategy</th>"), "{html}");
        assert!(html.contains("<td class=\"num\">0.943</td>"), "{html}");
        assert!(html.contains("<td class=\"nw\">0 $bn</td>"), "short text does not wrap");
        assert!(html.contains("<td>a long level name here</td>"), "{html}");
        assert!(STYLE.contains("text-align: left") && STYLE.contains(".num { text-align: right"));
    }

    #[test]
    fn long_negotiations_are_summarized_short_ones_shown_whole() {
        let short = record();
        let md = markdown(&document(&short, &[]));
        assert!(md.contains("## Negotiation"), "{md}");
        let mut long = short.clone();
        let template = long.offers[0].clone();
        long.offers = (0..100_000u32)
            .map(|round| {
                let mut offer = template.clone();
                offer.round = round;
                offer
            })
            .collect();
        let md = markdown(&document(&long, &[]));
        assert!(md.contains("100000 offers over 100000 rounds"), "{md}");
        assert!(md.contains("the first 8 and the last 8 offers (offers.csv has all 100000)"));
        assert!(md.contains("| … | 99984 offers not shown |"), "{md}");
        assert!(md.contains("| 99999 | United States |"), "the last offer is shown");
        assert!(md.len() < 20_000, "the report stays small: {} bytes", md.len());
    }

    #[test]
    fn paged_offers_charts_get_the_offers_caption_with_their_page() {
        assert!(caption("offers-3").starts_with("Offers on each issue"));
        assert!(caption("offers-3").ends_with("(page 3)"));
        assert_eq!(caption("concessions"), caption_of("concessions"));
    }
}

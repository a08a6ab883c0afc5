//! `offers.csv`: one row per offer.
//!
//! Columns: `round`, `proposer`, one column per issue id (numbers, or level names for
//! ordinal issues), `utility_<party id>` per party (undiscounted, with the parameters in force
//! at the round), `response` (`accepted`, `rejected` or `walked_out`) and `responder` (who
//! rejected or walked out; empty when accepted).

use crate::export::record::{RunRecord, TermValue};

/// Renders the offers of a run as CSV text.
pub fn offers_csv(record: &RunRecord) -> String {
    let mut bytes = Vec::new();
    write_offers_csv(record, &mut bytes).expect("writing to memory");
    String::from_utf8(bytes).expect("CSV is UTF-8")
}

/// Writes the offers of a run as CSV to `writer`, row by row (the same bytes as
/// [`offers_csv`], without holding them all in memory).
pub fn write_offers_csv(record: &RunRecord, writer: impl std::io::Write) -> std::io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(writer);
    let mut header = vec!["round".to_string(), "proposer".to_string()];
    header.extend(record.scenario.issues.iter().map(|i| i.id.clone()));
    header.extend(record.parties.iter().map(|p| format!("utility_{}", p.id)));
    header.push("response".into());
    header.push("responder".into());
    writer.write_record(&header)?;
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for offer in &record.offers {
        row.clear();
        row.push(offer.round.to_string());
        row.push(offer.proposer.to_string());
        row.extend(offer.terms.values().map(|v| match v {
            TermValue::Number(x) => x.to_string(),
            TermValue::Level(l) => l.to_string(),
        }));
        row.extend(offer.utilities.values().map(f64::to_string));
        let (response, responder) = match offer.responses.last() {
            Some(r) if r.response == "reject" => ("rejected", r.party.to_string()),
            Some(r) if r.response == "walk_away" => ("walked_out", r.party.to_string()),
            _ => ("accepted", String::new()),
        };
        row.push(response.into());
        row.push(responder);
        writer.write_record(&row)?;
    }
    writer.flush()
}

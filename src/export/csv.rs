//! `offers.csv`: one row per offer.
//!
//! Columns: `round`, `proposer`, one column per issue id (numbers, or level names for
//! ordinal issues), `utility_<party id>` per party (undiscounted, with the parameters in force
//! at the round), `response` (`accepted`, `rejected` or `walked_out`) and `responder` (who
//! rejected or walked out; empty when accepted).

use crate::export::record::{RunRecord, TermValue};

/// Renders the offers of a run as CSV text.
pub fn offers_csv(record: &RunRecord) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let mut header = vec!["round".to_string(), "proposer".to_string()];
    header.extend(record.scenario.issues.iter().map(|i| i.id.clone()));
    header.extend(record.parties.iter().map(|p| format!("utility_{}", p.id)));
    header.push("response".into());
    header.push("responder".into());
    writer.write_record(&header).expect("writing to memory");
    for offer in &record.offers {
        let mut row = vec![offer.round.to_string(), offer.proposer.clone()];
        row.extend(offer.terms.values().map(|v| match v {
            TermValue::Number(x) => x.to_string(),
            TermValue::Level(l) => l.clone(),
        }));
        row.extend(offer.utilities.values().map(f64::to_string));
        let (response, responder) = match offer.responses.last() {
            Some(r) if r.response == "reject" => ("rejected", r.party.clone()),
            Some(r) if r.response == "walk_away" => ("walked_out", r.party.clone()),
            _ => ("accepted", String::new()),
        };
        row.push(response.into());
        row.push(responder);
        writer.write_record(&row).expect("writing to memory");
    }
    String::from_utf8(writer.into_inner().expect("flushing to memory")).expect("CSV is UTF-8")
}

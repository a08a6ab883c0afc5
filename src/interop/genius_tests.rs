use super::*;
use crate::interop::{ImportConfig, to_toml};

const DOMAIN: &str = include_str!("../../tests/data/genius/laptop-domain.xml");
const BUYER: &str = include_str!("../../tests/data/genius/buyer.xml");
const SELLER: &str = include_str!("../../tests/data/genius/seller.xml");

fn src<'a>(name: &'a str, text: &'a str) -> Source<'a> {
    Source { name, text }
}

fn laptop(reading: DiscountReading) -> Result<Imported, InteropError> {
    import(&src("d.xml", DOMAIN), &[src("buyer.xml", BUYER), src("seller.xml", SELLER)], reading)
}

fn config() -> ImportConfig {
    ImportConfig { max_rounds: 100, strategy: "boulware".into(), discount: DiscountReading::Time }
}

/// Imports with one profile's text replaced, returning the error.
fn buyer_error(buyer: &str) -> InteropError {
    import(
        &src("d.xml", DOMAIN),
        &[src("b.xml", buyer), src("s.xml", SELLER)],
        DiscountReading::Time,
    )
    .expect_err("refused")
}

#[test]
fn reads_discrete_integer_and_real_issues() {
    let imported = laptop(DiscountReading::Time).expect("valid");
    assert_eq!(imported.name, "Laptop deal");
    let levels = |i: usize| match &imported.issues[i].domain {
        IssueDomain::Levels(l) => l.clone(),
        IssueDomain::Range { .. } => Vec::new(),
    };
    assert_eq!(levels(0), ["Dell", "Apple", "Lenovo ThinkPad"]);
    assert_eq!(levels(1), ["1", "2", "3", "4", "5"]);
    assert_eq!(imported.issues[2].domain, IssueDomain::Range { min: 500.0, max: 1500.0 });
    let buyer = &imported.parties[0];
    // Discrete evaluations 5, 10, 2 divided by the largest, as GENIUS does.
    assert_eq!(buyer.values[0], Values::Levels(vec![0.5, 1.0, 0.2]));
    // Integer: clamp(offset + slope * (x - lowerbound)).
    assert_eq!(buyer.values[1], Values::Levels(vec![0.0, 0.25, 0.5, 0.75, 1.0]));
    assert_eq!(buyer.values[2], Values::Points(vec![(500.0, 1.0), (1500.0, 0.0)]));
    // A triangle 700-1300-1900 seen over [500, 1500].
    let Values::Points(points) = &imported.parties[1].values[2] else { panic!("points") };
    assert_eq!(points[..3], [(500.0, 0.0), (700.0, 0.0), (1300.0, 1.0)]);
    assert!((points[3].1 - 2.0 / 3.0).abs() < 1e-12);
}

#[test]
fn weights_not_summing_to_one_are_divided_by_their_sum_and_said_so() {
    let buyer = &laptop(DiscountReading::Time).expect("valid").parties[0];
    let expected = [0.5 / 1.2, 0.3 / 1.2, 0.4 / 1.2];
    for (w, e) in buyer.weights.iter().zip(expected) {
        assert!((w - e).abs() < 1e-12, "{w} vs {e}");
    }
    assert!(buyer.notes.iter().any(|n| n.contains("weights summed to 1.2")), "{:?}", buyer.notes);
}

#[test]
fn a_missing_reservation_is_genius_default_zero_and_said_so() {
    let seller = &laptop(DiscountReading::Time).expect("valid").parties[1];
    assert_eq!(seller.reservation, 0.0);
    assert!(seller.reservation_note.as_deref().is_some_and(|n| n.contains("no <reservation>")));
    assert_eq!(seller.discount, None);
}

#[test]
fn discount_factors_read_by_time_or_by_round() {
    let text = |reading| {
        let imported = laptop(reading).expect("valid");
        assert_eq!(imported.parties[0].discount, Some((0.8, reading)));
        to_toml(&imported, &config())
    };
    let by_time = text(DiscountReading::Time);
    let per_round = 0.8f64.powf(0.01);
    assert!(by_time.contains(&format!("discount = {per_round:?}")), "{by_time}");
    assert!(text(DiscountReading::Round).contains("discount = 0.8  #"));
}

#[test]
fn the_imported_text_passes_the_normal_validation() {
    let text = to_toml(&laptop(DiscountReading::Time).expect("valid"), &config());
    let checked = crate::scenario::check_str("laptop.toml", &text);
    assert!(checked.diagnostics.is_empty(), "{}", checked.render());
    let scenario = checked.scenario.expect("valid");
    assert_eq!(scenario.parties().len(), 2);
    assert_eq!(scenario.issues()[1].levels().len(), 5);
}

#[test]
fn a_profile_naming_an_unknown_issue_is_refused_with_its_place() {
    let err = buyer_error(&BUYER.replace("name=\"Price\"", "name=\"Cost\""));
    assert_eq!(err.place, "b.xml:12:3", "{err}");
    assert!(err.message.contains("unknown issue `Cost`"), "{err}");
    assert!(err.help.as_deref().is_some_and(|h| h.contains("`Price`")), "{err}");
}

#[test]
fn malformed_xml_is_reported_at_its_line_and_column() {
    let err = buyer_error(
        &BUYER
            .replace("<weight index=\"2\" value=\"0.3\" />", "<weight index=\"2\" value=\"0.3\">"),
    );
    assert!(err.message.contains("malformed XML"), "{err}");
    assert!(err.place.starts_with("b.xml:"), "{err}");
    let err = import(
        &src("d.xml", "<negotiation_template>\n  <utility_space"),
        &[],
        DiscountReading::Time,
    )
    .expect_err("truncated");
    assert!(err.place.starts_with("d.xml:2:"), "{err}");
}

#[test]
fn unsupported_constructs_are_refused_by_name() {
    let hyper = BUYER.replace(
        "<weight index=\"1\"",
        "<utility_function><ufun type=\"PlainUfun\"/></utility_function><weight index=\"1\"",
    );
    assert!(buyer_error(&hyper).message.contains("hyper-rectangle"));
    let constraint =
        BUYER.replace("<utility_space type=\"linear\">", "<utility_space type=\"constraint\">");
    assert!(
        buyer_error(&constraint).message.contains("`constraint` utility spaces are not supported")
    );
    let quadratic = BUYER.replace("ftype=\"linear\" parameter0", "ftype=\"quadratic\" parameter0");
    assert!(buyer_error(&quadratic).message.contains("ftype `quadratic` is not supported"));
    let no_range = DOMAIN.replace("<range lowerbound=\"500\" upperbound=\"1500\" />", "");
    let err = import(
        &src("d.xml", &no_range),
        &[src("b.xml", BUYER), src("s.xml", SELLER)],
        DiscountReading::Time,
    )
    .expect_err("refused");
    assert!(err.message.contains("real issue `Price` has no values"), "{err}");
}

#[test]
fn missing_evaluations_and_weights_are_named() {
    let err = buyer_error(&BUYER.replace("<weight index=\"3\" value=\"0.4\" />", ""));
    assert!(err.message.contains("no <weight> for issue `Price`"), "{err}");
    let err =
        buyer_error(&BUYER.replace("<item index=\"1\" value=\"Dell\" evaluation=\"5\" />", ""));
    assert!(err.message.contains("no evaluation for the value `Dell`"), "{err}");
}

#[test]
fn export_writes_linear_triangular_and_constant_real_evaluators_that_read_back() {
    for points in [
        vec![(0.0, 1.0), (10.0, 0.0)],
        vec![(0.0, 0.0), (2.0, 0.0), (6.0, 1.0), (10.0, 1.0)],
        vec![(0.0, 0.5), (4.0, 1.0), (10.0, 0.0)],
        vec![(0.0, 0.3), (10.0, 0.3)],
    ] {
        let evaluator = real_evaluator(0.0, 10.0, &points).expect("expressible");
        let el = xml::parse(&evaluator).expect("xml");
        let text = format!("<issue><range lowerbound=\"0\" upperbound=\"10\"/>{evaluator}</issue>");
        let issue = xml::parse(&text).expect("xml");
        let spec = IssueSpec {
            name: "x".into(),
            index: "1".into(),
            kind: Kind::Real(0.0, 10.0),
            domain: IssueDomain::Range { min: 0.0, max: 10.0 },
            note: None,
        };
        let (Values::Points(back), _) = evaluate(&src("t", &text), &issue, &spec).expect("reads")
        else {
            panic!("points")
        };
        for x in [0.0, 1.0, 2.5, 4.0, 5.0, 7.5, 10.0] {
            let a = ValueFn::Piecewise(points.clone()).value(x);
            let b = ValueFn::Piecewise(back.clone()).value(x);
            assert!((a - b).abs() < 1e-9, "{evaluator} at {x}: {a} vs {b} ({})", el.name);
        }
    }
    assert_eq!(real_evaluator(0.0, 10.0, &[(0.0, 0.0), (3.0, 0.9), (6.0, 0.2), (10.0, 1.0)]), None);
}

#[test]
fn integer_values_on_a_clamped_line_are_found_across_kinks() {
    assert_eq!(integer_line(&[0.0, 0.0, 0.5, 1.0, 1.0]), Some((-0.5, 0.5)));
    assert_eq!(integer_line(&[1.0, 0.75, 0.5]), Some((1.0, -0.25)));
    assert_eq!(integer_line(&[0.3, 0.3]), Some((0.3, 0.0)));
    assert_eq!(integer_line(&[0.2, 0.9, 0.1]), None);
}

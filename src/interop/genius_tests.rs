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
fn a_weight_on_the_objective_itself_is_ignored_as_genius_does() {
    let objective = BUYER.replace("<objective index=\"0\"", "<objective index=\"9\"");
    let with_root = objective.replace(
        "<weight index=\"1\"",
        "<weight index=\"9\" value=\"1.0\" />\n  <weight index=\"1\"",
    );
    let imported = import(
        &src("d.xml", DOMAIN),
        &[src("buyer.xml", &with_root), src("s.xml", SELLER)],
        DiscountReading::Time,
    )
    .expect("valid");
    assert_eq!(imported.parties[0], laptop(DiscountReading::Time).expect("valid").parties[0]);
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

mod round_trip {
    //! Random GENIUS scenarios: import, export and import again give the same scenario.

    use proptest::prelude::*;

    use super::*;
    use crate::model::Scenario;

    #[derive(Clone, Debug)]
    enum Shape {
        Discrete(usize),
        Integer(i64, i64),
        Real(f64, f64),
    }

    #[derive(Clone, Debug)]
    struct Profile {
        /// Per issue: evaluations (discrete), or (offset, slope) as two entries.
        evals: Vec<Vec<f64>>,
        weights: Vec<f64>,
        reservation: Option<f64>,
        discount: Option<f64>,
    }

    /// 64 cases, or `ACCORD_PROPTEST_CASES` (a heavier check: 2000 take about ten seconds).
    fn cases() -> u32 {
        std::env::var("ACCORD_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
    }

    fn shape() -> impl Strategy<Value = Shape> {
        prop_oneof![
            (2usize..=4).prop_map(Shape::Discrete),
            (-3i64..=3, 1i64..=6).prop_map(|(lo, n)| Shape::Integer(lo, lo + n)),
            (-50i32..=50, 1i32..=100)
                .prop_map(|(lo, w)| Shape::Real(f64::from(lo), f64::from(lo + w))),
        ]
    }

    fn profile(shapes: Vec<Shape>) -> impl Strategy<Value = Profile> {
        let evals: Vec<BoxedStrategy<Vec<f64>>> = shapes
            .iter()
            .map(|s| match s {
                Shape::Discrete(n) => {
                    proptest::collection::vec((0u8..=10).prop_map(f64::from), *n).boxed()
                }
                Shape::Integer(..) | Shape::Real(..) => ((-10i8..=10), (-8i8..=8))
                    .prop_map(|(o, s)| vec![f64::from(o) / 10.0, f64::from(s) / 16.0])
                    .boxed(),
            })
            .collect();
        let n = shapes.len();
        (
            evals,
            proptest::collection::vec((1u8..=9).prop_map(|w| f64::from(w) / 10.0), n),
            proptest::option::of((0u8..=60).prop_map(|r| f64::from(r) / 100.0)),
            proptest::option::of((50u8..=99).prop_map(|d| f64::from(d) / 100.0)),
        )
            .prop_map(|(evals, weights, reservation, discount)| Profile {
                evals,
                weights,
                reservation,
                discount,
            })
    }

    fn domain_xml(shapes: &[Shape]) -> String {
        let mut s = String::from(
            "<negotiation_template><utility_space><objective index=\"0\" name=\"root\">\n",
        );
        for (i, shape) in shapes.iter().enumerate() {
            let _ = match shape {
                Shape::Discrete(n) => {
                    let items: String = (0..*n)
                        .map(|k| format!("<item index=\"{}\" value=\"v{k}\"/>", k + 1))
                        .collect();
                    writeln!(
                        s,
                        "<issue index=\"{}\" name=\"Issue {i}\" type=\"discrete\">{items}</issue>",
                        i + 1
                    )
                }
                Shape::Integer(lo, hi) => writeln!(
                    s,
                    "<issue index=\"{}\" name=\"Issue {i}\" type=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\"/>",
                    i + 1
                ),
                Shape::Real(lo, hi) => writeln!(
                    s,
                    "<issue index=\"{}\" name=\"Issue {i}\" type=\"real\"><range lowerbound=\"{lo}\" upperbound=\"{hi}\"/></issue>",
                    i + 1
                ),
            };
        }
        s.push_str("</objective></utility_space></negotiation_template>\n");
        s
    }

    fn profile_xml(shapes: &[Shape], p: &Profile) -> String {
        let mut s = String::from("<utility_space><objective index=\"0\" name=\"root\">\n");
        for (i, (shape, e)) in shapes.iter().zip(&p.evals).enumerate() {
            let _ = match shape {
                Shape::Discrete(_) => {
                    let items: String = e
                        .iter()
                        .enumerate()
                        .map(|(k, v)| {
                            format!("<item index=\"{}\" value=\"v{k}\" evaluation=\"{v}\"/>", k + 1)
                        })
                        .collect();
                    writeln!(
                        s,
                        "<issue index=\"{}\" name=\"Issue {i}\" type=\"discrete\">{items}</issue>",
                        i + 1
                    )
                }
                Shape::Integer(lo, hi) => writeln!(
                    s,
                    "<issue index=\"{}\" name=\"Issue {i}\" type=\"integer\" lowerbound=\"{lo}\" upperbound=\"{hi}\"><evaluator ftype=\"linear\" offset=\"{}\" slope=\"{}\"/></issue>",
                    i + 1,
                    e[0],
                    e[1]
                ),
                Shape::Real(lo, hi) => writeln!(
                    s,
                    "<issue index=\"{}\" name=\"Issue {i}\" type=\"real\"><range lowerbound=\"{lo}\" upperbound=\"{hi}\"/><evaluator ftype=\"linear\" parameter0=\"{}\" parameter1=\"{}\"/></issue>",
                    i + 1,
                    e[0] + 0.5,
                    e[1] / (hi - lo)
                ),
            };
        }
        for (i, w) in p.weights.iter().enumerate() {
            let _ = writeln!(s, "<weight index=\"{}\" value=\"{w}\"/>", i + 1);
        }
        s.push_str("</objective>\n");
        if let Some(r) = p.reservation {
            let _ = writeln!(s, "<reservation value=\"{r}\"/>");
        }
        if let Some(d) = p.discount {
            let _ = writeln!(s, "<discount_factor value=\"{d}\"/>");
        }
        s.push_str("</utility_space>\n");
        s
    }

    fn scenario(
        domain: &str,
        profiles: &[String],
        reading: DiscountReading,
        max_rounds: u32,
    ) -> Scenario {
        let sources: Vec<Source<'_>> = profiles
            .iter()
            .enumerate()
            .map(|(i, t)| Source { name: ["a.xml", "b.xml", "c.xml"][i], text: t })
            .collect();
        let imported = import(&src("domain.xml", domain), &sources, reading).expect("imports");
        let config = ImportConfig { max_rounds, strategy: "boulware".into(), discount: reading };
        let checked = crate::scenario::check_str("x.toml", &to_toml(&imported, &config));
        let rendered = checked.render();
        checked.scenario.unwrap_or_else(|| panic!("valid: {rendered}"))
    }

    fn assert_same(a: &Scenario, b: &Scenario) {
        let close = |x: f64, y: f64| assert!((x - y).abs() < 1e-9, "{x} vs {y}");
        assert_eq!(a.issues(), b.issues());
        for (p, q) in a.parties().iter().zip(b.parties()) {
            assert_eq!(p.id(), q.id());
            close(p.reservation(), q.reservation());
            close(p.discount(), q.discount());
            for (w, v) in p.preferences().weights().iter().zip(q.preferences().weights()) {
                close(*w, *v);
            }
            for (f, g) in p.preferences().values().iter().zip(q.preferences().values()) {
                for x in f.breakpoints().into_iter().chain(g.breakpoints()) {
                    close(f.value(x), g.value(x));
                }
            }
        }
    }

    /// An accord scenario whose value functions come from ideals (tents), with continuous,
    /// stepped and ordinal issues.
    fn accord_toml(issues: &[(u8, i32, i32)], ideals: &[Vec<i32>], weights: &[Vec<u8>]) -> String {
        let mut s = String::from("[scenario]\nname = \"x\"\nmax_rounds = 20\n");
        for (i, (kind, lo, width)) in issues.iter().enumerate() {
            let _ = match kind % 3 {
                0 => writeln!(s, "[[issues]]\nid = \"i{i}\"\nrange = [{lo}.0, {}.0]", lo + width),
                1 => writeln!(
                    s,
                    "[[issues]]\nid = \"i{i}\"\nrange = [{lo}, {}]\nstep = 1",
                    lo + width
                ),
                _ => {
                    writeln!(s, "[[issues]]\nid = \"i{i}\"\nlevels = [\"a\", \"b\", \"c\", \"d\"]")
                }
            };
        }
        for (p, (ideal, weight)) in ideals.iter().zip(weights).enumerate() {
            let _ = writeln!(
                s,
                "[[parties]]\nid = \"p{p}\"\nreservation = 0.1\ndiscount = 0.97\nstrategy = {{ kind = \"linear\" }}"
            );
            let w: Vec<String> =
                weight.iter().enumerate().map(|(i, w)| format!("i{i} = {w}")).collect();
            let id: Vec<String> = issues
                .iter()
                .zip(ideal)
                .enumerate()
                .map(|(i, ((kind, lo, width), at))| match kind % 3 {
                    2 => format!("i{i} = \"{}\"", ["a", "b", "c", "d"][at.rem_euclid(4) as usize]),
                    _ => format!("i{i} = {}", lo + at.rem_euclid(width + 1)),
                })
                .collect();
            let _ =
                writeln!(s, "weights = {{ {} }}\nideal = {{ {} }}", w.join(", "), id.join(", "));
        }
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn scenarios_with_ideals_export_and_read_back_the_same(
            (issues, ideals, weights) in proptest::collection::vec((0u8..3, -20i32..20, 1i32..12), 1..=3)
                .prop_flat_map(|issues| {
                    let n = issues.len();
                    (
                        Just(issues),
                        proptest::collection::vec(proptest::collection::vec(0i32..40, n), 2..=3),
                        proptest::collection::vec(proptest::collection::vec(1u8..=9, n), 3),
                    )
                }),
            by_round in any::<bool>(),
        ) {
            let reading = if by_round { DiscountReading::Round } else { DiscountReading::Time };
            let text = accord_toml(&issues, &ideals, &weights);
            let checked = crate::scenario::check_str("x.toml", &text);
            let rendered = checked.render();
            let first = checked.scenario.unwrap_or_else(|| panic!("{text}\n{rendered}"));
            let exported = export(&first, reading).expect("exportable");
            let texts: Vec<String> = exported.files[1..].iter().map(|(_, t)| t.clone()).collect();
            let second = scenario(&exported.files[0].1, &texts, reading, first.max_rounds());
            // Ids, labels and level names come back as written; compare everything else.
            prop_assert_eq!(first.issues().len(), second.issues().len());
            for (a, b) in first.issues().iter().zip(second.issues()) {
                prop_assert_eq!(a.levels(), b.levels());
                // A stepped issue whose values are no clamped line (a tent inside the range)
                // has no GENIUS integer form: it comes back as levels, with a note.
                if a.grid() != b.grid() {
                    prop_assert!(b.grid().is_none());
                    let note = format!("stepped issue `{}` written as a discrete issue", a.id());
                    prop_assert!(exported.notes.iter().any(|n| n.starts_with(&note)));
                }
                prop_assert_eq!((a.lower(), a.upper()), (b.lower(), b.upper()));
            }
            for (p, q) in first.parties().iter().zip(second.parties()) {
                prop_assert!((p.reservation() - q.reservation()).abs() < 1e-9);
                prop_assert!((p.discount() - q.discount()).abs() < 1e-9);
                for (w, v) in p.preferences().weights().iter().zip(q.preferences().weights()) {
                    prop_assert!((w - v).abs() < 1e-9);
                }
                for (f, g) in p.preferences().values().iter().zip(q.preferences().values()) {
                    for x in f.breakpoints().into_iter().chain(g.breakpoints()) {
                        prop_assert!((f.value(x) - g.value(x)).abs() < 1e-9, "{:?} vs {:?}", f, g);
                    }
                }
            }
        }

        #[test]
        fn import_export_import_is_the_identity(
            (shapes, profiles) in proptest::collection::vec(shape(), 1..=3).prop_flat_map(|shapes| {
                let p = profile(shapes.clone());
                (Just(shapes), proptest::collection::vec(p, 2..=3))
            }),
            by_round in any::<bool>(),
        ) {
            let reading = if by_round { DiscountReading::Round } else { DiscountReading::Time };
            let domain = domain_xml(&shapes);
            let texts: Vec<String> = profiles.iter().map(|p| profile_xml(&shapes, p)).collect();
            let first = scenario(&domain, &texts, reading, 50);
            let exported = export(&first, reading).expect("exportable");
            let (_, domain2) = &exported.files[0];
            let texts2: Vec<String> = exported.files[1..].iter().map(|(_, t)| t.clone()).collect();
            let second = scenario(domain2, &texts2, reading, 50);
            assert_same(&first, &second);
        }
    }
}

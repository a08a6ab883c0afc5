use super::*;

const DOMAIN: &str = include_str!("../../tests/data/negmas/laptop/domain.yml");
const BUYER: &str = include_str!("../../tests/data/negmas/laptop/buyer.yml");
const SELLER: &str = include_str!("../../tests/data/negmas/laptop/seller.yml");
const INFO: &str = include_str!("../../tests/data/negmas/laptop/_info.yaml");

fn folder(buyer: &str) -> Result<Imported, InteropError> {
    let files = [
        Source { name: "_info.yaml", text: INFO },
        Source { name: "buyer.yml", text: buyer },
        Source { name: "domain.yml", text: DOMAIN },
        Source { name: "seller.yml", text: SELLER },
    ];
    import("laptop", &files, None)
}

#[test]
fn reads_a_scenario_folder_and_puts_every_issue_on_the_unit_scale() {
    let imported = folder(BUYER).expect("valid");
    assert_eq!(imported.name, "Laptop deal");
    assert_eq!(imported.sources, ["domain.yml", "buyer.yml", "seller.yml"]);
    assert_eq!(imported.issues[2].domain, IssueDomain::Range { min: 500.0, max: 1500.0 });
    let buyer = &imported.parties[0];
    // Raw maxima 4, 2.5 and 2 under weights 2, 1, 1: S = 12.5.
    assert_eq!(buyer.weights, vec![8.0 / 12.5, 2.5 / 12.5, 2.0 / 12.5]);
    assert_eq!(buyer.values[0], Values::Levels(vec![0.5, 1.0, 0.25]));
    assert_eq!(buyer.values[1], Values::Levels(vec![0.2, 0.4, 0.6, 0.8, 1.0]));
    assert_eq!(buyer.values[2], Values::Points(vec![(500.0, 1.0), (1500.0, 0.0)]));
    assert_eq!(buyer.reservation, 2.0 / 12.5);
    // `factor: step` is per round.
    assert_eq!(buyer.discount, Some((0.95, DiscountReading::Round)));
    let seller = &imported.parties[1];
    assert_eq!(seller.weights, vec![0.2, 0.3, 0.5]);
    assert_eq!(seller.reservation, 0.0);
    assert!(seller.reservation_note.is_some());
}

#[test]
fn negative_values_are_rescaled_from_lowest_to_highest() {
    let buyer = BUYER.replace("bias: 3.0", "bias: 2.0");
    let imported = folder(&buyer).expect("valid");
    // Price: -0.002 x + 2 runs from 1 to -1: rescaled to 1 .. 0, with C = -1.
    let buyer = &imported.parties[0];
    assert_eq!(buyer.values[2], Values::Points(vec![(500.0, 1.0), (1500.0, 0.0)]));
    assert!(
        buyer.notes.iter().any(|n| n.contains("rescaled from [-1.0, 1.0]")),
        "{:?}",
        buyer.notes
    );
    // u' = (u - C) / S with C = -1 and S = 8 + 2.5 + 2.
    assert!((buyer.reservation - 3.0 / 12.5).abs() < 1e-12);
}

#[test]
fn malformed_yaml_is_reported_at_its_line_and_column() {
    let err = folder("type: LinearAdditiveUtilityFunction\nweights: [1, 2\nvalues: x\n")
        .expect_err("bad");
    assert!(err.message.contains("malformed YAML"), "{err}");
    assert!(err.place.starts_with("buyer.yml:3:"), "{err}");
}

#[test]
fn unknown_issues_and_unsupported_functions_are_refused_by_name() {
    let err = folder(&SELLER.replace("  Price: 0.5", "  Cost: 0.5")).expect_err("unknown");
    assert!(err.message.contains("unknown issue `Cost`"), "{err}");
    assert!(err.place.starts_with("buyer.yml:"), "{err}");
    let err =
        folder(&BUYER.replace("type: LinearFun", "type: QuadraticFun")).expect_err("unsupported");
    assert!(err.message.contains("`QuadraticFun` is not supported"), "{err}");
    let err = folder(
        &BUYER
            .replace("type: LinearAdditiveUtilityFunction", "type: HyperRectangleUtilityFunction"),
    )
    .expect_err("unsupported");
    assert!(err.message.contains("HyperRectangleUtilityFunction"), "{err}");
}

#[test]
fn a_folder_without_a_domain_is_refused() {
    let err = import("x", &[Source { name: "b.yml", text: BUYER }], None).expect_err("no domain");
    assert!(err.message.contains("no domain file"), "{err}");
}

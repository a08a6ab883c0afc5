//! The seed rule: which random seed each run of a sweep gets.
//!
//! Replicate `r` of every design point runs with the same seed (common random numbers), so
//! that differences between points are the parameters' doing, not noise:
//!
//! - replicate 0 runs with the sweep's base seed (the scenario's `seed`, or `--seed`), so a
//!   one-replicate sweep reproduces `accord run` at each point;
//! - replicate `r >= 1` runs with the `r`-th output of SplitMix64 started at the base seed:
//!   `z = base + r * 0x9E3779B97F4A7C15` (wrapping), then
//!   `z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9`, `z = (z ^ (z >> 27)) * 0x94D049BB133111EB`,
//!   `z ^ (z >> 31)`.
//!
//! Every row of `sweep.csv` records its seed, so any run can be replayed with
//! `accord run --seed`.

/// The rule in one line, recorded in `sweep.json`.
pub const SEED_RULE: &str = "replicate 0: the base seed; replicate r >= 1: the r-th output of \
    SplitMix64 started at the base seed; the same at every design point";

/// The seed of replicate `replicate` of a sweep with base seed `base`.
pub fn run_seed(base: u64, replicate: u64) -> u64 {
    if replicate == 0 { base } else { splitmix64(base.wrapping_add(replicate.wrapping_mul(GAMMA))) }
}

const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function (Steele, Lea and Flood 2014) applied to a state.
pub fn splitmix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicate_zero_is_the_base_seed_and_others_follow_splitmix64() {
        assert_eq!(run_seed(42, 0), 42);
        // Reference values of SplitMix64 seeded with 0 (the first three outputs).
        assert_eq!(run_seed(0, 1), 0xE220_A839_7B1D_CDAF);
        assert_eq!(run_seed(0, 2), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(run_seed(0, 3), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn seeds_of_replicates_differ() {
        let seeds: std::collections::HashSet<u64> = (0..10_000).map(|r| run_seed(7, r)).collect();
        assert_eq!(seeds.len(), 10_000);
    }
}

//! Splitting a sweep across processes: `--shard K/N` and `--shard slurm`.
//!
//! Shard `K` of `N` (1-based) runs the contiguous block of run indices
//! `[floor((K-1)·T/N), floor(K·T/N))` of a sweep of `T` runs, so the shards' `sweep.csv`
//! files, concatenated in shard order, are the unsharded `sweep.csv` (`accord merge` does
//! exactly that, after checking them).

use std::ops::Range;

use super::SweepError;

/// One shard of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: u64,
    /// How many shards.
    pub count: u64,
}

impl Shard {
    /// The whole sweep as one shard.
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// The run indices of this shard, out of `total`.
    pub fn runs(&self, total: u64) -> Range<u64> {
        let at = |k: u64| ((u128::from(k) * u128::from(total)) / u128::from(self.count)) as u64;
        at(self.index - 1)..at(self.index)
    }

    /// True for the whole sweep (1/1).
    pub fn is_whole(&self) -> bool {
        self.count == 1
    }

    /// Parses `K/N` or `slurm`; `env` reads an environment variable (the process's, or a
    /// test's map).
    pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, SweepError> {
        if text == "slurm" {
            return Shard::from_slurm(env);
        }
        let bad = |problem: String| SweepError::Usage {
            problem,
            help: "write --shard K/N with 1 <= K <= N (shard K of N), or --shard slurm inside \
                   a Slurm job array"
                .into(),
        };
        let Some((k, n)) = text.split_once('/') else {
            return Err(bad(format!("`--shard {text}` is not K/N")));
        };
        let (Ok(index), Ok(count)) = (k.trim().parse::<u64>(), n.trim().parse::<u64>()) else {
            return Err(bad(format!("`--shard {text}`: K and N must be whole numbers")));
        };
        if count == 0 || index == 0 || index > count {
            return Err(bad(format!("`--shard {text}`: K must lie in 1..=N")));
        }
        Ok(Shard { index, count })
    }

    /// The shard of a Slurm array task, from `SLURM_ARRAY_TASK_ID`, `_COUNT`, `_MIN` and
    /// `_MAX`. A range (`--array=1-4`, `0-3`) maps task `ID` to shard `ID - MIN + 1` of
    /// `COUNT`; an evenly spaced list or stepped range (`--array=1,3,5`, `0-6:2`) maps the
    /// `j`-th task id to shard `j`. Slurm does not tell a task the ids of an uneven list
    /// (`1,2,7`), so that is refused with the way out.
    pub fn from_slurm(env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, SweepError> {
        let usage = |problem: String, help: &str| SweepError::Usage { problem, help: help.into() };
        let read = |name: &str| -> Result<Option<u64>, SweepError> {
            match env(name) {
                None => Ok(None),
                Some(text) => text.trim().parse::<u64>().map(Some).map_err(|_| {
                    usage(
                        format!("{name}={text} is not a whole number"),
                        "run inside `sbatch --array`, or give --shard K/N",
                    )
                }),
            }
        };
        let id = read("SLURM_ARRAY_TASK_ID")?;
        let count = read("SLURM_ARRAY_TASK_COUNT")?;
        let min = read("SLURM_ARRAY_TASK_MIN")?;
        let max = read("SLURM_ARRAY_TASK_MAX")?;
        let (Some(id), Some(min), Some(max)) = (id, min, max) else {
            return Err(usage(
                "--shard slurm: SLURM_ARRAY_TASK_ID, _MIN and _MAX are not all set, so this \
                 is not a task of a Slurm job array"
                    .into(),
                "submit with `sbatch --array=1-N`, or give --shard K/N",
            ));
        };
        if id < min || id > max || min > max {
            return Err(usage(
                format!("--shard slurm: task id {id} lies outside {min}..={max}"),
                "give --shard K/N",
            ));
        }
        let span = max - min;
        let count = count.unwrap_or(span + 1);
        if count == 0 {
            return Err(usage("SLURM_ARRAY_TASK_COUNT is 0".into(), "give --shard K/N"));
        }
        if count == span + 1 {
            return Ok(Shard { index: id - min + 1, count });
        }
        // A list or stepped range: evenly spaced ids are min, min + step, ..., max.
        let step = if count > 1 && span % (count - 1) == 0 { span / (count - 1) } else { 0 };
        if step == 0 || (id - min) % step != 0 {
            return Err(usage(
                format!(
                    "--shard slurm: this array's {count} task ids between {min} and {max} are \
                     not evenly spaced, and Slurm does not tell a task the others' ids"
                ),
                "submit with --array=1-N (or evenly spaced ids such as 1,3,5), or give each \
                 task --shard K/N",
            ));
        }
        Ok(Shard { index: (id - min) / step + 1, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn slurm(vars: &[(&str, u64)]) -> Result<Shard, SweepError> {
        let map: HashMap<String, String> =
            vars.iter().map(|(k, v)| (format!("SLURM_ARRAY_TASK_{k}"), v.to_string())).collect();
        Shard::from_slurm(&|name| map.get(name).cloned())
    }

    #[test]
    fn shards_cover_every_run_once_in_order() {
        for total in [0, 1, 7, 1000, 1001] {
            for count in 1..=9 {
                let mut next = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.runs(total);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn parses_k_of_n_and_refuses_the_rest() {
        let none = |_: &str| None;
        assert_eq!(Shard::parse("2/4", &none).unwrap(), Shard { index: 2, count: 4 });
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", ""] {
            assert!(Shard::parse(bad, &none).is_err(), "{bad}");
        }
        assert!(Shard::parse("slurm", &none).is_err());
    }

    #[test]
    fn slurm_ranges_lists_and_steps_map_to_positions() {
        // --array=0-3: task 2 is shard 3 of 4.
        let s = slurm(&[("ID", 2), ("COUNT", 4), ("MIN", 0), ("MAX", 3)]).unwrap();
        assert_eq!(s, Shard { index: 3, count: 4 });
        // --array=1-4: task 4 is shard 4 of 4.
        let s = slurm(&[("ID", 4), ("COUNT", 4), ("MIN", 1), ("MAX", 4)]).unwrap();
        assert_eq!(s, Shard { index: 4, count: 4 });
        // --array=1,3,5 (Slurm says STEP=1): tasks 1, 3, 5 are shards 1, 2, 3 of 3.
        for (id, k) in [(1, 1), (3, 2), (5, 3)] {
            let s = slurm(&[("ID", id), ("COUNT", 3), ("MIN", 1), ("MAX", 5)]).unwrap();
            assert_eq!(s, Shard { index: k, count: 3 });
        }
        // --array=0-6:2
        let s = slurm(&[("ID", 4), ("COUNT", 4), ("MIN", 0), ("MAX", 6)]).unwrap();
        assert_eq!(s, Shard { index: 3, count: 4 });
        // --array=7
        let s = slurm(&[("ID", 7), ("COUNT", 1), ("MIN", 7), ("MAX", 7)]).unwrap();
        assert_eq!(s, Shard::WHOLE);
        // --array=1,2,7: uneven, refused.
        assert!(slurm(&[("ID", 2), ("COUNT", 3), ("MIN", 1), ("MAX", 7)]).is_err());
        // Not in an array.
        assert!(slurm(&[]).is_err());
    }
}

/// The default number of worker threads: inside a Slurm job, the CPUs Slurm allotted
/// (`SLURM_CPUS_PER_TASK`, else `SLURM_CPUS_ON_NODE`), since Slurm may not confine the task
/// to them; elsewhere `available` (the CPUs this process may run on: its affinity mask and
/// CPU quota, as `std::thread::available_parallelism` reports).
pub fn default_threads(env: &dyn Fn(&str) -> Option<String>, available: usize) -> usize {
    if env("SLURM_JOB_ID").is_some() {
        let cpus = |name: &str| env(name).and_then(|v| v.trim().parse::<usize>().ok());
        if let Some(n) = cpus("SLURM_CPUS_PER_TASK").or_else(|| cpus("SLURM_CPUS_ON_NODE")) {
            return n.clamp(1, available.max(1).max(n.min(1024)));
        }
    }
    available.max(1)
}

#[cfg(test)]
mod thread_tests {
    use super::default_threads;

    #[test]
    fn slurm_allotment_wins_over_the_machine() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(default_threads(&env(&[]), 8), 8);
        assert_eq!(
            default_threads(&env(&[("SLURM_JOB_ID", "3"), ("SLURM_CPUS_ON_NODE", "1")]), 8),
            1
        );
        assert_eq!(
            default_threads(
                &env(&[
                    ("SLURM_JOB_ID", "3"),
                    ("SLURM_CPUS_PER_TASK", "2"),
                    ("SLURM_CPUS_ON_NODE", "4")
                ]),
                8
            ),
            2
        );
        // Not in a job: Slurm variables of a login shell are ignored.
        assert_eq!(default_threads(&env(&[("SLURM_CPUS_ON_NODE", "1")]), 8), 8);
    }
}

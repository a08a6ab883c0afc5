//! `accord merge`: join the shards of a sweep.

use std::path::PathBuf;

use accord::sweep;

use super::CliError;

/// Arguments of `accord merge`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shards' folders (OUT/<stem>.shard-K-of-N), in any order.
    #[arg(required = true, value_name = "SHARD")]
    pub shards: Vec<PathBuf>,
    /// Folder for the merged sweep: OUT/<stem>/sweep.csv, summary.csv and sweep.json.
    #[arg(long, value_name = "OUT", default_value = "output")]
    pub out: PathBuf,
    /// Replace another sweep in OUT/<stem>/.
    #[arg(long)]
    pub force: bool,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    match sweep::merge(&args.shards, &args.out, args.force) {
        Ok(merged) => {
            stderr_line!(
                "merged {} into {}/{{sweep.csv, summary.csv, sweep.json}}: {}",
                super::count(merged.shards, "shard"),
                merged.dir.display(),
                super::count(merged.runs as usize, "run")
            );
            stderr_line!("charts: accord chart {}", merged.dir.join("sweep.csv").display());
            Ok(())
        }
        Err(e) if e.is_bad_input() => Err(CliError::bad_input(e)),
        Err(e) => Err(CliError::runtime(e)),
    }
}

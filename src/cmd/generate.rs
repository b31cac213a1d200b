//! `bestvalue generate` (hidden, for developers): synthetic returns and
//! committee workbooks for tests and benchmarks.

use bestvalue::Error;
use bestvalue::framework::Framework;
use bestvalue::generate::{SectorSpec, council, sector};
use bestvalue::progress::Progress;

use super::{Done, say};
use crate::cli::GenerateArgs;

pub fn run(a: GenerateArgs) -> Result<Done, Error> {
    let fw = Framework::load_or_default(a.framework.as_deref())?;
    if let Some(dir) = a.council {
        let (c, files) = council(&fw, &dir, a.seed)?;
        if !a.quiet {
            say(&format!(
                "Wrote {} returns for {} in {}.\n",
                files.len(),
                c.name,
                dir.display()
            ));
        }
    }
    if let Some(dir) = a.sector {
        let spec = SectorSpec {
            authorities: a.authorities,
            seed: a.seed,
            returns: a.returns,
            framework: a.framework.clone(),
        };
        let progress = Progress::on_terminal("Generating", a.quiet);
        let set = sector(&fw, &dir, &spec, &progress)?;
        if !a.quiet {
            say(&format!(
                "Wrote {} committee workbooks in {}{}.\n",
                set.councils.len(),
                set.committee_dir.display(),
                match &set.returns_dir {
                    Some(d) => format!(" and {} returns in {}", set.return_files, d.display()),
                    None => String::new(),
                }
            ));
        }
    }
    Ok(Done::Clean)
}

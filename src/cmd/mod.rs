//! One module per command, each a short function over the library's stages.
//! They print through [`say`] and [`tell`], so a closed stdout or stderr
//! (`bestvalue check returns/ | head`) never stops a run half-way.

mod build;
mod check;
mod codes;
mod compare;
pub mod dropped;
mod generate;
mod template;

use bestvalue::Error;

use crate::cli::{Cli, Command};

/// How a command finished, when it could run at all.
pub enum Done {
    /// Done, with no errors in the data (warnings allowed).
    Clean,
    /// Done, but the data had errors (or, for compare, sources not compared).
    Problems,
}

impl Done {
    fn from_errors(errors: bool) -> Done {
        if errors { Done::Problems } else { Done::Clean }
    }
}

pub fn run(cli: Cli) -> Result<Done, Error> {
    match cli.command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::Codes { markdown } => codes::run(markdown),
        Command::Template(a) => template::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Generate(a) => generate::run(a),
    }
}

/// Prints to stdout. A closed pipe is not an error: the outputs are written
/// either way, so the rest of the text is dropped instead of panicking as
/// `print!` does.
pub fn say(text: &str) {
    use std::io::Write;
    let text = crate::console::printable(text, false);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Prints to stderr, like [`say`]: messages about files written go here so
/// that JSON on stdout stays clean.
pub fn tell(text: &str) {
    use std::io::Write;
    let text = crate::console::printable(text, true);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// A date given on the command line, day first.
fn parse_date(flag: &str, text: &str) -> Result<chrono::NaiveDate, Error> {
    match bestvalue::dates::parse_text(text) {
        Ok(Some(d)) => Ok(d.date),
        _ => Err(Error::BadDate {
            flag: flag.to_string(),
            text: text.to_string(),
        }),
    }
}

//! `bestvalue`: parse the command line, run the command, turn the result into
//! the exit status. Exit codes are decided here and nowhere else: 0 done with
//! no errors, 1 data problems found (each command says which), 2 could not run.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    bestvalue::read::returns::install_panic_hook();
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(cmd::Done::Clean) => ExitCode::SUCCESS,
        Ok(cmd::Done::Problems) => ExitCode::from(1),
        Err(e) => {
            cmd::tell(&format!("bestvalue: {e}\n"));
            ExitCode::from(2)
        }
    }
}

//! `bestvalue`: parse the command line, run the command, turn the result into
//! the exit status. Exit codes are decided here and nowhere else: 0 done with
//! no errors, 1 data problems found (each command says which), 2 could not run.

mod cli;
mod cmd;
mod console;

use std::process::ExitCode;

use clap::Parser;

use cmd::dropped::Start;

fn main() -> ExitCode {
    bestvalue::read::returns::install_panic_hook();
    let _console = console::prepare();
    let start = cmd::dropped::how_started(
        std::env::args_os(),
        &cli::command_names(),
        console::owns_window(),
    );
    // Started from Explorer (a folder dropped on the exe, or the exe
    // double-clicked): the window may need to wait before it closes.
    let from_explorer = start != Start::Command;
    let done = match start {
        Start::Command => match cli::Cli::try_parse() {
            Ok(cli) => cmd::run(cli),
            // Help, or a command line clap refuses: printed as clap does,
            // and in a window of its own (several things dropped on the
            // exe) kept open until read.
            Err(e) => {
                let _ = e.print();
                console::wait_if_own_window();
                return ExitCode::from(e.exit_code() as u8);
            }
        },
        Start::Folder(folder) => cmd::dropped::run(&folder),
        Start::NotAFolder(path) => Err(bestvalue::Error::FileGivenAlone { path }),
        Start::Alone => {
            cmd::say(cmd::dropped::HOW_TO_USE);
            Ok(cmd::Done::Clean)
        }
    };
    let code = match done {
        Ok(cmd::Done::Clean) => ExitCode::SUCCESS,
        Ok(cmd::Done::Problems) => ExitCode::from(1),
        Err(e) => {
            cmd::tell(&format!("bestvalue: {e}\n"));
            ExitCode::from(2)
        }
    };
    if from_explorer {
        console::wait_if_own_window();
    }
    code
}

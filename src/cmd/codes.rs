//! `bestvalue codes`: the problem catalogue, as text or as the README's table.

use bestvalue::Error;
use bestvalue::problems::{catalogue_markdown, catalogue_text};

use super::{Done, say};

pub fn run(markdown: bool) -> Result<Done, Error> {
    say(&if markdown {
        catalogue_markdown()
    } else {
        catalogue_text()
    });
    Ok(Done::Clean)
}

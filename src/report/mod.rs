//! What a run reports on the console and as JSON.

pub mod console;
pub mod json;

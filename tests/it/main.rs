//! Every integration test, in one binary: linking one test executable
//! instead of fifteen is most of what a warm `cargo test` costs.

mod blank_templates;
mod build;
mod chase;
mod check;
mod cli;
mod common;
mod compare;
mod cycle;
mod dropped;
mod feedback;
mod feedback_template;
mod golden;
mod habits;
mod layers;
mod merge_order;
mod next_month;
mod next_year;
mod officer;
mod outputs;
mod paper;
mod pipes;
mod printed;
mod publish;
mod reading;
mod reliability;
mod rendering;
mod reports;
mod rules;
mod safety;
mod template_custom;
mod template_file;
mod templates;
mod theme_codes;
mod windows_ci;

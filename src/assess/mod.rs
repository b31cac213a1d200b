//! Assessing what was read: merging the rounds, consolidating the action
//! plan, comparing with last year, mapping between framework versions, and
//! what earlier returns know (for pre-filling templates).

pub mod consistency;
pub mod known;
pub mod mapping;
pub mod merge;
pub mod plan;
pub mod plausible;
pub mod travel;

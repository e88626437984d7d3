//! Contact persons: reads and writes, consent records, sharing (the record is in the model).

mod consent;
mod repo;
mod share;

pub use consent::*;
pub use kozmos_model::person::*;
pub use repo::*;
pub use share::{share_decision, Answer, ShareDecision};

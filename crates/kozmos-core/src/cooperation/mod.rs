//! Cooperations: reads and writes, stage changes and the activity log (the record is in the model).

mod repo;

pub use kozmos_model::cooperation::*;
pub use repo::*;

//! Foundations (Stiftungen): reads and writes (the record and its checks are in the model).

mod repo;

pub use kozmos_model::foundation::*;
pub use repo::*;

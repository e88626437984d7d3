//! Associations (Vereine): reads and writes (the record and its checks are in the model).

mod repo;

pub use crate::listing::{Page, PAGE_LIMIT_MAX};
pub use kozmos_model::association::*;
pub use repo::*;

//! The person's fields as the UI receives them (declared with the record, in `super`).

use super::FIELDS;
use crate::fields::{self, FieldDescription};

pub fn field_descriptions() -> Vec<FieldDescription> {
    fields::descriptions(FIELDS)
}

//! Labels and descriptions of the association's fields (declared with the record, in `super`).

use super::FIELDS;
use crate::error::Lang;
use crate::fields::{self, FieldDescription};

/// The label of an association field (the logo included).
pub fn field_label(name: &str, lang: Lang) -> &str {
    if name == "logo" {
        return "Logo";
    }
    fields::label(FIELDS, name, lang)
}

pub fn field_descriptions() -> Vec<FieldDescription> {
    fields::descriptions(FIELDS)
}

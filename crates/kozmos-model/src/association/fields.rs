//! The labels of the association's fields, the logo included (the fields are declared in `super`).

use super::FIELDS;
use crate::error::Lang;
use crate::fields;

/// The label of an association field (the logo included).
pub fn field_label(name: &str, lang: Lang) -> &str {
    if name == "logo" {
        return "Logo";
    }
    fields::label(FIELDS, name, lang)
}

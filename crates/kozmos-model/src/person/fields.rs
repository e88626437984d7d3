//! The editable fields of a person, in form order, with their kind and labels.

use crate::fields::{self, f, FieldDescription, FieldInfo, FieldKind::*};
use crate::vocab::Vocab;

pub const FIELDS: &[FieldInfo] = &[
    f("name", Text, "Name", "Name"),
    f(
        "name_original",
        Text,
        "Name in Originalschrift",
        "Name in original script",
    ),
    f(
        "name_latin",
        Text,
        "Name in lateinischer Umschrift",
        "Name in Latin transliteration",
    ),
    f("role", Text, "Funktion", "Role"),
    f("email", Text, "E-Mail", "E-mail"),
    f("phone", Text, "Telefon", "Phone"),
    f("languages", Codes, "Sprachen", "Languages").of(&[Vocab::Languages]),
    f("notes", LongText, "Notizen", "Notes"),
];

pub fn field_descriptions() -> Vec<FieldDescription> {
    fields::descriptions(FIELDS)
}

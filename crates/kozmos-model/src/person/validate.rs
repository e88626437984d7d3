//! Validation of a person draft: every problem reported at its field.

use super::{PersonDraft, PersonFields, FIELDS};
use crate::check::Checker;
use crate::error::Result;
use crate::vocab;

pub fn validate(draft: &PersonDraft) -> Result<PersonFields> {
    let mut c = Checker::new(FIELDS);
    let name = c.required_text(
        "name",
        &draft.name,
        200,
        "bitte den Namen eingeben.",
        "please enter the name.",
    );
    let fields = PersonFields {
        name: Some(name),
        name_original: c.text("name_original", &draft.name_original, 200, false),
        name_latin: c.text("name_latin", &draft.name_latin, 200, false),
        role: c.text("role", &draft.role, 100, false),
        email: c.email("email", &draft.email),
        phone: c.phone("phone", &draft.phone),
        languages: c.codes("languages", &draft.languages, |l| {
            vocab::find(vocab::LANGUAGES, l).is_some()
        }),
        notes: c.text("notes", &draft.notes, 4000, true),
    };
    c.finish(fields)
}

//! The privacy toolkit (DSGVO): the right of access (`access`: JSON and PDF of everything about one
//! person), erasure with the cooperation history anonymised and the file vacuumed (`erase`), the
//! retention review (`retention`), and the record of processing activities (`record`, Art. 30).
//! `names` and `mentions` find where free text names a person.

pub mod access;
pub mod erase;
pub mod mentions;
pub mod names;
pub mod record;
pub mod retention;

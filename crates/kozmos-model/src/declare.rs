//! One declaration per record type. `record_type!` takes the fields of a record in form order, each
//! spelled once with its stored type, its kind and its labels, and the table's other columns in
//! their place, and makes from it:
//! - the stored fields struct (validated values),
//! - the draft struct (what a form, the CLI or a spreadsheet row sends: text, lists as lists; a key
//!   left out is a field left empty, an unknown key is refused),
//! - the field list (`FieldInfo`: kind, labels, vocabulary) that validation, the CLI and the UI use,
//! - the synced table's column list, in declaration order,
//! - the conversion from stored fields back to a draft.
//!
//! Entries: `name: StoredType = Kind("de", "en" [, Vocab...]);` a field; `column name: ColType;` a
//! column that is no form field (parents, logo bytes, merge links); `stored name: Type;` a value of
//! the stored struct only (a child record's id).
//!
//! Adding a field to a record is then a migration (the schema test checks they agree) and one line.
//!
//! ```ignore
//! record_type! {
//!     /// The validated, stored fields of a person.
//!     fields PersonFields; draft PersonDraft; list FIELDS; columns COLUMNS;
//!     column association_id: Text;
//!     name: Option<String> = Text("Name", "Name");
//!     languages: Vec<String> = Codes("Sprachen", "Languages", Languages);
//! }
//! ```

/// See the module documentation.
#[macro_export]
macro_rules! record_type {
    (
        $(#[$fields_meta:meta])* fields $fields:ident;
        $(#[$draft_meta:meta])* draft $draft:ident;
        list $list:ident; columns $columns:ident;
        $($body:tt)*
    ) => {
        $crate::record_type!(@entry
            [$(#[$fields_meta])* $fields] [$(#[$draft_meta])* $draft] [$list] [$columns]
            {} {} {} {}
            $($body)*
        );
    };
    // A column of the table that is no form field: `column name: ColType;` (comments allowed).
    (@entry $f:tt $d:tt $l:tt $c:tt {$($fa:tt)*} {$($da:tt)*} {$($la:tt)*} {$($ca:tt)*}
        $(#[$meta:meta])* column $name:ident : $ty:ident;
        $($rest:tt)*
    ) => {
        $crate::record_type!(@entry $f $d $l $c
            {$($fa)*}
            {$($da)*}
            {$($la)*}
            {$($ca)* $crate::record::Column { name: stringify!($name), ty: $crate::record::ColType::$ty },}
            $($rest)*
        );
    };
    // A value of the stored struct only (no form field, no column of its own): `stored name: Type;`
    (@entry $f:tt $d:tt $l:tt $c:tt {$($fa:tt)*} {$($da:tt)*} {$($la:tt)*} {$($ca:tt)*}
        $(#[$meta:meta])* stored $name:ident : $stored:ty;
        $($rest:tt)*
    ) => {
        $crate::record_type!(@entry $f $d $l $c
            {$($fa)* $(#[$meta])* pub $name: $stored,}
            {$($da)*}
            {$($la)*}
            {$($ca)*}
            $($rest)*
        );
    };
    // A field: `name: StoredType = Kind("German label", "English label" [, Vocab...]);`
    (@entry $f:tt $d:tt $l:tt $c:tt {$($fa:tt)*} {$($da:tt)*} {$($la:tt)*} {$($ca:tt)*}
        $(#[$meta:meta])* $name:ident : $stored:ty = $kind:ident($de:literal, $en:literal $(, $vocab:ident)*);
        $($rest:tt)*
    ) => {
        $crate::record_type!(@entry $f $d $l $c
            {$($fa)* $(#[$meta])* pub $name: $stored,}
            {$($da)* pub $name: $crate::__draft_type!($kind),}
            {$($la)* $crate::fields::FieldInfo {
                name: stringify!($name),
                kind: $crate::fields::FieldKind::$kind,
                de: $de,
                en: $en,
                vocabs: &[$($crate::vocab::Vocab::$vocab),*],
            },}
            {$($ca)* $crate::record::Column { name: stringify!($name), ty: $crate::__column_type!($kind) },}
            $($rest)*
        );
    };
    (@entry
        [$(#[$fields_meta:meta])* $fields:ident] [$(#[$draft_meta:meta])* $draft:ident] [$list:ident] [$columns:ident]
        {$($fa:tt)*} {$($da:tt)*} {$($la:tt)*} {$($ca:tt)*}
    ) => {
        $(#[$fields_meta])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS, Default)]
        pub struct $fields { $($fa)* }

        $(#[$draft_meta])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS, Default)]
        #[serde(default, deny_unknown_fields)]
        pub struct $draft { $($da)* }

        /// The editable fields in form order, with kind, labels and vocabulary.
        pub const $list: &[$crate::fields::FieldInfo] = &[$($la)*];

        /// The synced table's columns (besides id and life).
        const $columns: &[$crate::record::Column] = &[$($ca)*];

        impl TryFrom<&$fields> for $draft {
            type Error = $crate::error::Error;

            fn try_from(fields: &$fields) -> $crate::error::Result<Self> {
                $crate::fields::to_draft(fields, $list)
            }
        }
    };
}

/// The draft type of a field kind: lists stay lists, everything else is text as typed.
#[doc(hidden)]
#[macro_export]
macro_rules! __draft_type {
    (Codes) => { Vec<String> };
    (List) => { Vec<String> };
    (Dates) => { Vec<String> };
    ($other:ident) => { String };
}

/// The column type of a field kind.
#[doc(hidden)]
#[macro_export]
macro_rules! __column_type {
    (Number) => {
        $crate::record::ColType::Int
    };
    (Money) => {
        $crate::record::ColType::Int
    };
    (Codes) => {
        $crate::record::ColType::List
    };
    (List) => {
        $crate::record::ColType::List
    };
    (Dates) => {
        $crate::record::ColType::List
    };
    ($other:ident) => {
        $crate::record::ColType::Text
    };
}

//! One flag per field of a record (`--city Jena`, `--themes bildung,sprache`), made from the
//! record's field list so that a new field gets its flag without touching the CLI.

use std::marker::PhantomData;

use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value as Json;

use kozmos_core::fields::{FieldInfo, FieldKind};

/// A record type's field list, for its flags.
pub trait FieldSet: Clone + std::fmt::Debug + Send + Sync + 'static {
    const FIELDS: &'static [FieldInfo];
}

#[derive(Debug, Clone)]
pub struct AssociationFieldSet;
impl FieldSet for AssociationFieldSet {
    const FIELDS: &'static [FieldInfo] = kozmos_core::association::FIELDS;
}

#[derive(Debug, Clone)]
pub struct FoundationFieldSet;
impl FieldSet for FoundationFieldSet {
    const FIELDS: &'static [FieldInfo] = kozmos_core::foundation::FIELDS;
}

#[derive(Debug, Clone)]
pub struct CooperationFieldSet;
impl FieldSet for CooperationFieldSet {
    const FIELDS: &'static [FieldInfo] = kozmos_core::cooperation::FIELDS;
}

#[derive(Debug, Clone)]
pub struct PersonFieldSet;
impl FieldSet for PersonFieldSet {
    const FIELDS: &'static [FieldInfo] = kozmos_core::person::FIELDS;
}

/// The field flags given on the command line, in field order.
#[derive(Debug, Clone)]
pub struct FieldFlags<S: FieldSet>(pub Vec<(&'static str, String)>, PhantomData<S>);

fn flag_name(field: &str) -> &'static str {
    Box::leak(field.replace('_', "-").into_boxed_str())
}

impl<S: FieldSet> FromArgMatches for FieldFlags<S> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let given = S::FIELDS
            .iter()
            .filter_map(|f| matches.get_one::<String>(f.name).map(|v| (f.name, v.clone())))
            .collect();
        Ok(FieldFlags(given, PhantomData))
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl<S: FieldSet> Args for FieldFlags<S> {
    fn augment_args(command: Command) -> Command {
        S::FIELDS.iter().fold(command, |command, f| {
            let code = super::codes::placeholder(f.vocabs);
            let value_name = match f.kind {
                FieldKind::Code => flag_name(&code),
                FieldKind::Codes => flag_name(&format!("{code},...")),
                FieldKind::List | FieldKind::Dates => "A,B,...",
                FieldKind::Number => "N",
                FieldKind::Money => "EURO",
                FieldKind::Date => "DATE",
                FieldKind::Reference => "ID",
                FieldKind::Text | FieldKind::LongText => "TEXT",
            };
            command.arg(
                Arg::new(f.name)
                    .long(flag_name(f.name))
                    .value_name(value_name)
                    .allow_negative_numbers(true)
                    .help(f.en),
            )
        })
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}

impl<S: FieldSet> FieldFlags<S> {
    /// The draft with the given flags applied; list flags split at commas.
    pub fn apply<D: Serialize + DeserializeOwned>(&self, draft: D) -> D {
        let mut json = serde_json::to_value(&draft).unwrap_or(Json::Null);
        for (name, raw) in &self.0 {
            let kind = S::FIELDS.iter().find(|f| f.name == *name).map(|f| f.kind);
            let value = match kind {
                Some(kind) if kind.is_list() => Json::from(
                    raw.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(Json::from)
                        .collect::<Vec<_>>(),
                ),
                _ => Json::from(raw.as_str()),
            };
            json[*name] = value;
        }
        serde_json::from_value(json).unwrap_or(draft)
    }
}

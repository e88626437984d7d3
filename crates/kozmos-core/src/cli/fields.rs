//! One flag per association field (`--city Jena`, `--themes bildung,sprache`), made from the
//! field list so that a new field gets its flag without touching the CLI.

use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};
use serde_json::Value as Json;

use crate::association::{AssociationDraft, FieldKind, FIELDS};

/// The field flags given on the command line, in field order.
#[derive(Debug, Clone, Default)]
pub struct FieldFlags(pub Vec<(&'static str, String)>);

fn flag_name(field: &str) -> &'static str {
    Box::leak(field.replace('_', "-").into_boxed_str())
}

impl FromArgMatches for FieldFlags {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let given = FIELDS
            .iter()
            .filter_map(|f| matches.get_one::<String>(f.name).map(|v| (f.name, v.clone())))
            .collect();
        Ok(FieldFlags(given))
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        *self = FieldFlags::from_arg_matches(matches)?;
        Ok(())
    }
}

impl Args for FieldFlags {
    fn augment_args(command: Command) -> Command {
        FIELDS.iter().fold(command, |command, f| {
            let value_name = match f.kind {
                FieldKind::Codes | FieldKind::List => "A,B,...",
                FieldKind::Number => "N",
                FieldKind::Date => "DATE",
                FieldKind::Code => "CODE",
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
        FieldFlags::augment_args(command)
    }
}

impl FieldFlags {
    /// The draft with the given flags applied; list flags split at commas.
    pub fn apply(&self, draft: AssociationDraft) -> AssociationDraft {
        let mut json = serde_json::to_value(&draft).unwrap_or(Json::Null);
        for (name, raw) in &self.0 {
            let kind = FIELDS.iter().find(|f| f.name == *name).map(|f| f.kind);
            let value = match kind {
                Some(FieldKind::Codes | FieldKind::List) => Json::from(
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

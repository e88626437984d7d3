//! Flags that take a code: found in the command tree by their placeholder (`--theme <THEME>`,
//! `--themes <THEME,...>`, `--region <STATE|DISTRICT>`), named in their help, checked before a
//! command runs, and listed by `kozmos vocab`.

use clap::parser::ValueSource;
use clap::{Arg, ArgMatches, Command};

use kozmos_core::check::unknown_code_message;
use kozmos_core::error::{Error, FieldError, Result};
use kozmos_core::vocab::Vocab;

/// A flag (or positional argument) of a command that takes codes of one or more vocabularies.
#[derive(Debug, Clone)]
pub struct CodeFlag {
    /// The command, e.g. "associations list".
    pub command: String,
    /// The flag as typed, e.g. "--theme", or the placeholder of a positional argument ("<STAGE>").
    pub flag: String,
    pub vocabs: Vec<Vocab>,
}

/// The placeholder of a flag taking one code (for a list: its items are separated by commas).
pub fn placeholder(vocabs: &[Vocab]) -> String {
    match vocabs {
        [] => "CODE".into(),
        _ => vocabs.iter().map(|v| v.placeholder()).collect::<Vec<_>>().join("|"),
    }
}

/// The vocabularies an argument takes codes of, and whether it takes a comma-separated list.
fn vocabs_of(arg: &Arg) -> Option<(Vec<Vocab>, bool)> {
    let name = value_name(arg);
    let (one, list) = match name.split_once(',') {
        Some((one, _)) => (one, true),
        None => (name.as_str(), false),
    };
    let vocabs: Option<Vec<Vocab>> = one
        .split('|')
        .map(|p| Vocab::by_placeholder(&p.replace('_', "-")))
        .collect();
    vocabs.map(|v| (v, list))
}

/// The placeholder the help shows for the argument's value.
fn value_name(arg: &Arg) -> String {
    match arg.get_value_names().and_then(|names| names.first()) {
        Some(name) => name.to_string(),
        None => arg.get_id().as_str().to_uppercase(),
    }
}

fn shown(arg: &Arg) -> String {
    match arg.get_long() {
        Some(long) => format!("--{long}"),
        None => format!("<{}>", value_name(arg)),
    }
}

/// Every code flag of the command tree, in the order of the help.
pub fn flags(command: &Command) -> Vec<CodeFlag> {
    let mut found = Vec::new();
    collect(command, "", &mut found);
    found
}

fn collect(command: &Command, path: &str, found: &mut Vec<CodeFlag>) {
    for arg in command.get_arguments() {
        if let Some((vocabs, _)) = vocabs_of(arg) {
            found.push(CodeFlag {
                command: path.to_string(),
                flag: shown(arg),
                vocabs,
            });
        }
    }
    for sub in command.get_subcommands() {
        let path = format!("{path} {}", sub.get_name()).trim().to_string();
        collect(sub, &path, found);
    }
}

/// The command tree with every code flag's help naming the command that lists its codes.
pub fn annotate(command: Command) -> Command {
    command
        .mut_args(|arg| match vocabs_of(&arg) {
            Some((vocabs, _)) => {
                let names: Vec<String> = vocabs.iter().map(|v| format!("kozmos vocab {}", v.name())).collect();
                let help = arg.get_help().map(|h| format!("{h} ")).unwrap_or_default();
                arg.help(format!("{help}[{}]", names.join(", ")))
            }
            None => arg,
        })
        .mut_subcommands(annotate)
}

/// Every code given on the command line must be one of its vocabulary: each unknown one is
/// reported at its flag, with the valid codes or the command listing them.
pub fn check(command: &Command, matches: &ArgMatches) -> Result<()> {
    let mut errors = Vec::new();
    check_level(command, matches, &mut errors);
    match errors.is_empty() {
        true => Ok(()),
        false => Err(Error::Invalid(errors)),
    }
}

fn check_level(command: &Command, matches: &ArgMatches, errors: &mut Vec<FieldError>) {
    for arg in command.get_arguments() {
        let Some((vocabs, list)) = vocabs_of(arg) else {
            continue;
        };
        let id = arg.get_id().as_str();
        if matches.value_source(id) == Some(ValueSource::DefaultValue) {
            continue;
        }
        let Some(values) = matches.try_get_raw(id).ok().flatten() else {
            continue;
        };
        for value in values.filter_map(|v| v.to_str()) {
            let codes: Vec<&str> = match list {
                true => value.split(',').collect(),
                false => vec![value],
            };
            for code in codes.into_iter().map(str::trim).filter(|c| !c.is_empty()) {
                if !vocabs.iter().any(|v| v.contains(code)) {
                    let flag = shown(arg);
                    let (de, en) = unknown_code_message((&flag, &flag), code, &vocabs);
                    errors.push(FieldError::new(id, "unknown_code", de, en));
                }
            }
        }
    }
    if let Some((name, sub_matches)) = matches.subcommand() {
        if let Some(sub) = command.find_subcommand(name) {
            check_level(sub, sub_matches, errors);
        }
    }
}

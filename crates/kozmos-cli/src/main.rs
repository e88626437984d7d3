//! The `kozmos` command line: `kozmos [--db PATH] NOUN VERB [ARGS] [--json]`.

mod backup;
mod codes;
mod duplicates;
mod fields;
mod import;
mod lang;
mod pdf;
mod print;
mod privacy;
mod sync;

use std::io::Write;
use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use kozmos_core::association::{self, AssociationDraft, AssociationQuery, LogoChange, SortKey};
use kozmos_core::cooperation::{self, ActivityDraft, CooperationDraft, CooperationQuery};
use kozmos_core::error::{Error, Lang, Result};
use kozmos_core::foundation::{self, FoundationDraft, FoundationQuery, FoundationSort};
use kozmos_core::person::{self, ConsentDraft, Parent, PersonDraft};
use kozmos_core::{db, site, Kozmos};
pub use lang::message_lang;

use fields::{AssociationFieldSet, CooperationFieldSet, FieldFlags, FoundationFieldSet, PersonFieldSet};

#[derive(Parser, Debug)]
#[command(
    name = "kozmos",
    version,
    about = "KOZMOS: Vereine und Stiftungen zusammenbringen / bring associations and foundations together"
)]
pub struct Cli {
    /// Database file (default: KOZMOS_DB, else the user's data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of messages (default: KOZMOS_LANG, else the system language, else German).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LangArg {
    De,
    En,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database if needed and set this installation's network and volunteer name.
    Init {
        #[arg(long, value_name = "SITE-NETWORK")]
        network: Option<String>,
        #[arg(long, value_name = "NAME")]
        volunteer: Option<String>,
    },
    /// Show the database path and this installation.
    Info,
    /// The association register.
    #[command(subcommand)]
    Associations(AssociationCommand),
    /// The foundation register.
    #[command(subcommand)]
    Foundations(FoundationCommand),
    /// Cooperations of an association with a foundation, from idea to report.
    #[command(subcommand)]
    Cooperations(CooperationCommand),
    /// Contact persons of associations and foundations, with their consent.
    #[command(subcommand)]
    Persons(PersonCommand),
    /// Fill the database with demo data (`demo --scale N [--seed S]`), or `demo remove` it.
    #[command(args_conflicts_with_subcommands = true)]
    Demo {
        #[command(subcommand)]
        command: Option<DemoCommand>,
        /// 1: about 140 associations; 100: the load test set.
        #[arg(long, default_value_t = 1)]
        scale: u32,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Rank the foundations that fit an association, or the associations that fit a foundation.
    #[command(subcommand)]
    Match(MatchCommand),
    /// Export open follow-ups and foundation deadlines as an .ics calendar (to stdout without --out).
    Calendar {
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Reports for funders (by_network, by_state, by_district, by_theme, funnel, amounts,
    /// foundations_reached): all, or one by its id; --csv writes one as CSV for Excel, --pdf as PDF.
    Report {
        id: Option<String>,
        #[arg(long, requires = "id", conflicts_with = "pdf")]
        csv: bool,
        /// A printable PDF (needs --out).
        #[arg(long, requires = "out")]
        pdf: bool,
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Backups of the database: create [--encrypt FILE], list, restore FILE [--yes], keep N.
    #[command(subcommand)]
    Backup(backup::BackupCommand),
    /// Sync files between installations: export, preview, import, status, conflicts, history, folder.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Profile sheets of associations as PDF: one, a meeting pack for a foundation, a batch;
    /// the KOZMOS contact printed on them. In the language of --lang (German by default).
    #[command(subcommand)]
    Pdf(pdf::PdfCommand),
    /// Privacy (DSGVO): a person's data (access), the retention review, the Art. 30 record.
    #[command(subcommand)]
    Privacy(privacy::PrivacyCommand),
    /// Likely duplicates (associations, foundations, persons), ranked, with the reasons;
    /// --dismiss ID ID marks a pair as "not a duplicate".
    Duplicates(duplicates::DuplicatesArgs),
    /// Merge OTHER into KEEP field by field (preview without --yes); --take FIELD,FIELD takes
    /// those values from OTHER. Persons, cooperations, projects, consents move to KEEP.
    Merge(duplicates::MergeArgs),
    /// Import a spreadsheet (CSV, XLSX, ODS) into associations, foundations or persons: shows the
    /// mapping and the preview; --yes writes (one transaction, after a backup copy).
    Import(import::ImportArgs),
    /// Export a list with its filter as CSV (for Excel) or XLSX, columns in the language of --lang.
    Export(import::ExportArgs),
    /// Search associations, foundations, persons and cooperations at once.
    Search {
        text: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// The vocabularies with the flags that take their codes; with a name, its codes and labels.
    Vocab { name: Option<String> },
}

#[derive(Subcommand, Debug)]
pub enum AssociationCommand {
    /// Add an association; every field is a flag (lists comma-separated).
    Add {
        #[command(flatten)]
        fields: FieldFlags<AssociationFieldSet>,
        /// Logo image (PNG or JPEG, at most 2 MB).
        #[arg(long, value_name = "FILE")]
        logo: Option<PathBuf>,
    },
    /// List associations.
    List {
        #[command(flatten)]
        filter: AssociationFilter,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Show one association.
    Show { id: String },
    /// Change the given fields of an association (an empty value clears a field).
    Edit {
        id: String,
        #[command(flatten)]
        fields: FieldFlags<AssociationFieldSet>,
        /// New logo image (PNG or JPEG, at most 2 MB).
        #[arg(long, value_name = "FILE", conflicts_with = "no_logo")]
        logo: Option<PathBuf>,
        /// Remove the logo.
        #[arg(long)]
        no_logo: bool,
    },
    /// Delete an association (it can be restored).
    Delete {
        id: String,
        /// Delete its cooperations too (otherwise refused while it has any).
        #[arg(long)]
        with_cooperations: bool,
    },
    /// Restore a deleted association.
    Restore { id: String },
}

/// Which cooperations: shared by `cooperations list` and `export cooperations`.
#[derive(clap::Args, Debug)]
pub struct CooperationFilter {
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    stage: Option<String>,
    #[arg(long, value_name = "ID")]
    association: Option<String>,
    #[arg(long, value_name = "ID")]
    foundation: Option<String>,
    /// Leave out completed, declined and withdrawn cooperations.
    #[arg(long)]
    open: bool,
    /// Only those whose next step is due on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    due_from: Option<String>,
    /// Only those whose next step is due on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    due_until: Option<String>,
}

impl CooperationFilter {
    /// The list query for this filter, one page of it.
    pub fn query(self, offset: u32, limit: u32) -> CooperationQuery {
        CooperationQuery {
            text: self.search.unwrap_or_default(),
            stage: self.stage,
            association_id: self.association,
            foundation_id: self.foundation,
            due_from: self.due_from,
            due_until: self.due_until,
            open_only: self.open,
            offset,
            limit,
        }
    }
}

/// Which associations, in which order: shared by `associations list` and `pdf batch`.
#[derive(clap::Args, Debug)]
pub struct AssociationFilter {
    /// Words to search for in names (any script), city, postcode, district, themes.
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    theme: Option<String>,
    #[arg(long, value_name = "TARGET-GROUP")]
    target_group: Option<String>,
    #[arg(long)]
    city: Option<String>,
    #[arg(long)]
    network: Option<String>,
    #[arg(long)]
    state: Option<String>,
    #[arg(long)]
    district: Option<String>,
    #[arg(long)]
    status: Option<String>,
    #[arg(long, value_enum, default_value = "name")]
    sort: SortArg,
    #[arg(long)]
    desc: bool,
}

impl AssociationFilter {
    fn query(self, offset: u32, limit: u32) -> AssociationQuery {
        AssociationQuery {
            text: self.search.unwrap_or_default(),
            theme: self.theme,
            target_group: self.target_group,
            city: self.city,
            network: self.network,
            state: self.state,
            district: self.district,
            status: self.status,
            sort: self.sort.into(),
            descending: self.desc,
            offset,
            limit,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum FoundationCommand {
    /// Add a foundation; every field is a flag (lists comma-separated, amounts in euro).
    Add {
        #[command(flatten)]
        fields: FieldFlags<FoundationFieldSet>,
    },
    /// List foundations.
    List {
        /// Words to search for in name, seat, funding area and themes.
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        theme: Option<String>,
        /// Seat: federal state code (ST, TH, ...).
        #[arg(long)]
        state: Option<String>,
        #[arg(long, value_name = "FUNDING-AREA")]
        funding_area: Option<String>,
        #[arg(long, value_enum, default_value = "name")]
        sort: FoundationSortArg,
        #[arg(long)]
        desc: bool,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Show one foundation.
    Show { id: String },
    /// Change the given fields of a foundation (an empty value clears a field).
    Edit {
        id: String,
        #[command(flatten)]
        fields: FieldFlags<FoundationFieldSet>,
    },
    /// Delete a foundation (it can be restored).
    Delete {
        id: String,
        /// Delete its cooperations too (otherwise refused while it has any).
        #[arg(long)]
        with_cooperations: bool,
    },
    /// Restore a deleted foundation.
    Restore { id: String },
}

#[derive(Subcommand, Debug)]
pub enum MatchCommand {
    /// Foundations for an association, best first.
    Association {
        id: String,
        #[command(flatten)]
        narrowing: MatchFlags,
    },
    /// Associations for a foundation, best first.
    Foundation {
        id: String,
        #[command(flatten)]
        narrowing: MatchFlags,
    },
    /// The best foundations for every association at once (the cross table).
    Best {
        /// How many foundations per association.
        #[arg(long, default_value_t = 3)]
        top: usize,
    },
}

#[derive(clap::Args, Debug)]
pub struct MatchFlags {
    /// Also list the excluded ones, with the reason.
    #[arg(long)]
    all: bool,
    /// Only those that name this theme (a code, see `kozmos vocab themes`).
    #[arg(long)]
    theme: Option<String>,
    /// Only foundations reaching / associations in this state or district (code, e.g. TH or 16053).
    #[arg(long, value_name = "STATE|DISTRICT")]
    region: Option<String>,
    /// Only foundations whose grant range holds / associations that need at most this amount (euros).
    #[arg(long, default_value = "")]
    amount: String,
    #[arg(long, default_value_t = 50)]
    limit: u32,
    #[arg(long, default_value_t = 0)]
    offset: u32,
}

impl MatchFlags {
    fn query(self) -> kozmos_core::matching::MatchQuery {
        kozmos_core::matching::MatchQuery {
            include_excluded: self.all,
            theme: self.theme,
            region: self.region,
            amount: self.amount,
            offset: self.offset,
            limit: self.limit,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum DemoCommand {
    /// Remove every demo record, and nothing else.
    Remove,
    /// How many demo records there are.
    Count,
}

#[derive(Subcommand, Debug)]
pub enum CooperationCommand {
    /// Add a cooperation (--association-id, --foundation-id and --idea are required).
    Add {
        #[command(flatten)]
        fields: FieldFlags<CooperationFieldSet>,
    },
    /// List cooperations, the most urgent next step first.
    List {
        #[command(flatten)]
        filter: CooperationFilter,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Every stage with its cooperations.
    Board,
    /// Show one cooperation with its log.
    Show { id: String },
    /// Change the given fields of a cooperation.
    Edit {
        id: String,
        #[command(flatten)]
        fields: FieldFlags<CooperationFieldSet>,
    },
    /// Move a cooperation to another stage (logged).
    Stage { id: String, stage: String },
    /// Add an entry to the activity log.
    Log {
        id: String,
        #[arg(long, value_name = "ACTIVITY-KIND")]
        kind: String,
        #[arg(long)]
        text: String,
        /// Default: today.
        #[arg(long, default_value = "")]
        date: String,
    },
    /// Delete a cooperation (it can be restored).
    Delete { id: String },
    /// Restore a deleted cooperation.
    Restore { id: String },
}

/// The organisation a person belongs to: exactly one of the two.
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct ParentArgs {
    #[arg(long, value_name = "ID")]
    association: Option<String>,
    #[arg(long, value_name = "ID")]
    foundation: Option<String>,
}

impl ParentArgs {
    fn parent(self) -> Parent {
        match (self.association, self.foundation) {
            (Some(id), _) => Parent::Association(id),
            (_, id) => Parent::Foundation(id.unwrap_or_default()),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum PersonCommand {
    /// Add a contact person to an association or a foundation.
    Add {
        #[command(flatten)]
        parent: ParentArgs,
        #[command(flatten)]
        fields: FieldFlags<PersonFieldSet>,
    },
    /// The persons of an organisation.
    List {
        #[command(flatten)]
        parent: ParentArgs,
    },
    /// Persons whose name (any script or its Latin form), role or e-mail match.
    Search { text: String },
    /// Show one person with every consent record.
    Show { id: String },
    /// Change the given fields of a person.
    Edit {
        id: String,
        #[command(flatten)]
        fields: FieldFlags<PersonFieldSet>,
    },
    /// Delete a person (it can be restored).
    Delete { id: String },
    /// Restore a deleted person.
    Restore { id: String },
    /// Record a consent given or withdrawn.
    Consent {
        id: String,
        #[arg(long, value_name = "CONSENT-PURPOSE")]
        purpose: String,
        #[arg(long, value_name = "CONSENT-STATUS")]
        status: String,
        /// Default: today.
        #[arg(long, value_name = "DATE", default_value = "")]
        date: String,
        #[arg(long, value_name = "CONSENT-CHANNEL", default_value = "")]
        channel: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Withdraw consent for one purpose, today.
    Withdraw {
        id: String,
        #[arg(long, value_name = "CONSENT-PURPOSE")]
        purpose: String,
    },
    /// Erase a person for privacy: name and contact data are blanked for good (needs --yes).
    Erase {
        id: String,
        /// Confirm that the erasure is final.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FoundationSortArg {
    Name,
    City,
    Changed,
}

impl From<FoundationSortArg> for FoundationSort {
    fn from(s: FoundationSortArg) -> Self {
        match s {
            FoundationSortArg::Name => FoundationSort::Name,
            FoundationSortArg::City => FoundationSort::City,
            FoundationSortArg::Changed => FoundationSort::Changed,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SortArg {
    Name,
    City,
    Founded,
    Changed,
}

impl From<SortArg> for SortKey {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Name => SortKey::Name,
            SortArg::City => SortKey::City,
            SortArg::Founded => SortKey::Founded,
            SortArg::Changed => SortKey::Changed,
        }
    }
}

/// Runs the command line; returns the process exit code.
fn main() {
    std::process::exit(exit_code());
}

/// Runs the command line, returning the process's exit code.
fn exit_code() -> i32 {
    let mut command = codes::annotate(Cli::command());
    let mut matches = command.clone().get_matches();
    let codes_checked = codes::check(&command, &matches);
    let cli = Cli::from_arg_matches_mut(&mut matches)
        .map_err(|e| e.format(&mut command))
        .unwrap_or_else(|e| e.exit());
    let lang = message_lang(cli.lang, |v| std::env::var(v).ok(), lang::system_lang);
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let mut out = std::io::stdout().lock();
    let result = codes_checked.map(|()| runtime.block_on(run(cli, lang, &mut out)));
    match result.and_then(|r| r) {
        Ok(()) => 0,
        Err(error) => {
            if json {
                eprintln!("{}", serde_json::to_string(&error.payload()).unwrap_or_default());
            } else {
                let prefix = if lang == Lang::De { "Fehler" } else { "Error" };
                match error.field_errors() {
                    many if many.len() > 1 => {
                        let (de, en) = ("Eingaben sind ungültig", "entries are invalid");
                        eprintln!("{prefix}: {} {}:", many.len(), if lang == Lang::De { de } else { en });
                        for e in many {
                            eprintln!("  - {}", e.message(lang));
                        }
                    }
                    _ => eprintln!("{prefix}: {}", error.message(lang)),
                }
            }
            1
        }
    }
}

async fn run(cli: Cli, lang: Lang, out: &mut impl Write) -> Result<()> {
    let path = db::resolve_path(cli.db.as_deref(), std::env::var_os(db::DB_ENV_VAR))?;
    let kozmos = Kozmos::open(&path).await?;
    if let Some(note) = kozmos.storage_note() {
        warn(note, cli.json, lang);
    }
    if let Command::Backup(command) = cli.command {
        let printer = print::Printer { json: cli.json, lang };
        let result = backup::execute(&kozmos, command, &printer, out).await;
        match &result {
            Ok(Some(restored)) => restored.close().await,
            _ => kozmos.close().await,
        }
        return result.map(drop);
    }
    let result = execute(&kozmos, cli.command, cli.json, lang, out).await;
    kozmos.close().await;
    result
}

/// A note about where the database lives, once per run on stderr (JSON with `--json`).
fn warn(note: &kozmos_core::storage::StorageNote, json: bool, lang: Lang) {
    if json {
        eprintln!("{}", serde_json::to_string(note).unwrap_or_default());
    } else {
        eprintln!("{}: {}", lang.pick("Warnung", "Warning"), note.message(lang));
    }
}

async fn execute(k: &Kozmos, command: Command, json: bool, lang: Lang, out: &mut impl Write) -> Result<()> {
    let store = &k.store;
    let printer = print::Printer { json, lang };
    match command {
        Command::Init { network, volunteer } => {
            let current = k.installation().await?;
            let installation = match (network, volunteer) {
                (None, None) => current,
                (network, volunteer) => {
                    let network = network.or(current.network).unwrap_or_default();
                    let volunteer = volunteer.or(current.volunteer).unwrap_or_default();
                    site::set_up(store.pool(), &network, &volunteer).await?
                }
            };
            printer.installation(out, &k.path, &installation)
        }
        Command::Info => printer.installation(out, &k.path, &k.installation().await?),
        Command::Foundations(command) => match command {
            FoundationCommand::Add { fields } => printer.foundation(
                out,
                &foundation::create(store, &fields.apply(FoundationDraft::default())).await?,
            ),
            FoundationCommand::List {
                search,
                theme,
                state,
                funding_area,
                sort,
                desc,
                limit,
                offset,
            } => {
                let query = FoundationQuery {
                    text: search.unwrap_or_default(),
                    theme,
                    state,
                    funding_area,
                    sort: sort.into(),
                    descending: desc,
                    offset,
                    limit,
                };
                printer.foundation_page(out, &foundation::list(store, &query).await?)
            }
            FoundationCommand::Show { id } => {
                let id = duplicates::survivor(k, kozmos_core::duplicates::Kind::Foundation, &id, &printer, out).await?;
                printer.foundation(out, &foundation::get(store, &id).await?)
            }
            FoundationCommand::Edit { id, fields } => {
                let draft = fields.apply(FoundationDraft::try_from(&foundation::get(store, &id).await?.fields)?);
                printer.foundation(out, &foundation::update(store, &id, &draft).await?)
            }
            FoundationCommand::Delete { id, with_cooperations } => {
                printer.foundation(out, &foundation::delete_with(store, &id, with_cooperations).await?.0)
            }
            FoundationCommand::Restore { id } => printer.foundation(out, &foundation::restore(store, &id).await?),
        },
        Command::Cooperations(command) => match command {
            CooperationCommand::Add { fields } => printer.cooperation(
                out,
                &cooperation::create(store, &fields.apply(CooperationDraft::default())).await?,
            ),
            CooperationCommand::List { filter, limit, offset } => {
                let query = filter.query(offset, limit);
                printer.cooperations(out, &cooperation::list(store, &query).await?.items)
            }
            CooperationCommand::Board => printer.board(
                out,
                &cooperation::board(store, &CooperationQuery::default(), 500).await?,
            ),
            CooperationCommand::Show { id } => printer.cooperation(out, &cooperation::get(store, &id).await?),
            CooperationCommand::Edit { id, fields } => {
                let draft = fields.apply(CooperationDraft::try_from(&cooperation::get(store, &id).await?.fields)?);
                printer.cooperation(out, &cooperation::update(store, &id, &draft).await?)
            }
            CooperationCommand::Stage { id, stage } => {
                printer.cooperation(out, &cooperation::set_stage(store, &id, &stage).await?)
            }
            CooperationCommand::Log { id, kind, text, date } => {
                let draft = ActivityDraft { date, kind, text };
                printer.cooperation(out, &cooperation::add_activity(store, &id, &draft).await?)
            }
            CooperationCommand::Delete { id } => printer.cooperation(out, &cooperation::delete(store, &id).await?),
            CooperationCommand::Restore { id } => printer.cooperation(out, &cooperation::restore(store, &id).await?),
        },
        Command::Persons(command) => match command {
            PersonCommand::Add { parent, fields } => {
                let draft = fields.apply(PersonDraft::default());
                printer.person(out, &person::create(store, &parent.parent(), &draft).await?)
            }
            PersonCommand::List { parent } => printer.persons(out, &person::persons_of(store, &parent.parent()).await?),
            PersonCommand::Search { text } => printer.persons(out, &person::search(store, &text, 0, 200).await?.items),
            PersonCommand::Show { id } => {
                let id = duplicates::survivor(k, kozmos_core::duplicates::Kind::Person, &id, &printer, out).await?;
                printer.person(out, &person::get(store, &id).await?)
            }
            PersonCommand::Edit { id, fields } => {
                let draft = fields.apply(PersonDraft::try_from(&person::get(store, &id).await?.fields)?);
                printer.person(out, &person::update(store, &id, &draft).await?)
            }
            PersonCommand::Delete { id } => printer.person(out, &person::delete(store, &id).await?),
            PersonCommand::Restore { id } => printer.person(out, &person::restore(store, &id).await?),
            PersonCommand::Consent {
                id,
                purpose,
                status,
                date,
                channel,
                note,
            } => {
                let draft = ConsentDraft {
                    purpose,
                    status,
                    date,
                    channel,
                    note,
                };
                printer.person(out, &person::record_consent(store, &id, &draft).await?)
            }
            PersonCommand::Withdraw { id, purpose } => {
                printer.person(out, &person::withdraw_consent(store, &id, &purpose).await?)
            }
            PersonCommand::Erase { id, yes } => {
                if !yes {
                    return Err(Error::invalid(
                        "yes",
                        "confirmation_needed",
                        "Das Löschen personenbezogener Daten ist endgültig. Bitte mit --yes bestätigen.",
                        "Erasing personal data is final. Please confirm with --yes.",
                    ));
                }
                printer.person(out, &kozmos_core::privacy::erase::erase_one(store, &id).await?)
            }
        },
        Command::Demo { command, scale, seed } => {
            let started = std::time::Instant::now();
            let (counts, verb) = match command {
                None => (
                    kozmos_core::demo::generate(store, scale, seed).await?,
                    ("angelegt", "added"),
                ),
                Some(DemoCommand::Remove) => (kozmos_core::demo::remove(store).await?, ("entfernt", "removed")),
                Some(DemoCommand::Count) => (kozmos_core::demo::count(store).await?, ("vorhanden", "present")),
            };
            printer.demo(out, &counts, printer.de_en(verb.0, verb.1), started.elapsed())
        }
        Command::Match(command) => match command {
            MatchCommand::Association { id, narrowing } => printer.matches(
                out,
                &kozmos_core::matching::for_association_page(store, &id, &narrowing.query())
                    .await?
                    .items,
                true,
            ),
            MatchCommand::Foundation { id, narrowing } => printer.matches(
                out,
                &kozmos_core::matching::for_foundation_page(store, &id, &narrowing.query())
                    .await?
                    .items,
                false,
            ),
            MatchCommand::Best { top } => printer.best(out, &kozmos_core::matching::cross_table(store, top).await?),
        },
        Command::Calendar { out: path } => {
            let calendar = kozmos_core::calendar::export(store, lang, time::OffsetDateTime::now_utc()).await?;
            match path {
                None => out.write_all(calendar.text.as_bytes()).map_err(Error::from),
                Some(path) => {
                    kozmos_core::files::write_atomically(&path, calendar.text.as_bytes())?;
                    printer.calendar(out, &calendar, &path)
                }
            }
        }
        Command::Report {
            id,
            csv,
            pdf,
            out: path,
        } => {
            let tables = match &id {
                Some(id) => vec![kozmos_core::reports::one(store, id).await?],
                None => kozmos_core::reports::all(store).await?,
            };
            let mut text = Vec::new();
            if pdf {
                let by = k.installation().await?.volunteer.unwrap_or_default();
                text = kozmos_core::pdf::reports_pdf(&tables, lang, kozmos_core::files::local_now(), &by)?;
            } else if csv {
                text.extend_from_slice(tables[0].to_csv(lang).as_bytes());
            } else {
                printer.reports(&mut text, &tables)?;
            }
            match path {
                None => out.write_all(&text).map_err(Error::from),
                Some(path) => kozmos_core::files::write_atomically(&path, &text),
            }
        }
        Command::Backup(_) => unreachable!("run handles backup commands"),
        Command::Sync(command) => sync::execute(k, command, &printer, out).await,
        Command::Duplicates(args) => duplicates::list(k, args, &printer, out).await,
        Command::Merge(args) => duplicates::merge(k, args, &printer, out).await,
        Command::Pdf(command) => pdf::execute(k, command, &printer, out).await,
        Command::Privacy(command) => privacy::execute(k, command, &printer, out).await,
        Command::Import(args) => import::import(k, args, &printer, out).await,
        Command::Export(args) => import::export(k, args, &printer, out).await,
        Command::Search { text, limit } => {
            printer.hits(out, &kozmos_core::search::everything(store, &text, limit).await?)
        }
        Command::Vocab { name: None } => printer.vocabularies(out, &codes::flags(&Cli::command())),
        Command::Vocab { name: Some(name) } => printer.vocabulary(out, &name),
        Command::Associations(command) => match command {
            AssociationCommand::Add { fields, logo } => {
                let draft = fields.apply(AssociationDraft::default());
                let logo = read_logo(logo)?;
                printer.association(out, &association::create(store, &draft, logo).await?)
            }
            AssociationCommand::List { filter, limit, offset } => {
                printer.association_page(out, &association::list(store, &filter.query(offset, limit)).await?)
            }
            AssociationCommand::Show { id } => {
                let id =
                    duplicates::survivor(k, kozmos_core::duplicates::Kind::Association, &id, &printer, out).await?;
                printer.association(out, &association::get(store, &id).await?)
            }
            AssociationCommand::Edit {
                id,
                fields,
                logo,
                no_logo,
            } => {
                let current = association::get(store, &id).await?;
                let draft = fields.apply(AssociationDraft::try_from(&current.fields)?);
                let logo = if no_logo { LogoChange::Remove } else { read_logo(logo)? };
                printer.association(out, &association::update(store, &id, &draft, logo).await?)
            }
            AssociationCommand::Delete { id, with_cooperations } => {
                printer.association(out, &association::delete_with(store, &id, with_cooperations).await?.0)
            }
            AssociationCommand::Restore { id } => printer.association(out, &association::restore(store, &id).await?),
        },
    }
}

fn read_logo(path: Option<PathBuf>) -> Result<LogoChange> {
    let Some(path) = path else {
        return Ok(LogoChange::Keep);
    };
    if path.as_os_str().is_empty() {
        return Ok(LogoChange::Remove);
    }
    let too_large = std::fs::metadata(&path).is_ok_and(|m| m.len() > association::LOGO_MAX_BYTES as u64);
    let bytes = if too_large {
        Ok(vec![0; association::LOGO_MAX_BYTES + 1])
    } else {
        std::fs::read(&path)
    };
    let bytes = bytes.map_err(|e| {
        Error::invalid(
            "logo",
            "logo_unreadable",
            format!("Die Bilddatei {} lässt sich nicht lesen: {e}", path.display()),
            format!("The image file {} cannot be read: {e}", path.display()),
        )
    })?;
    Ok(LogoChange::Set(association::validate_logo(bytes)?))
}

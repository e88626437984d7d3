//! TypeScript types for everything that crosses the IPC boundary, generated from the Rust types.
//! `ui/src/lib/bindings/` holds the output; a test fails when it is stale
//! (regenerate with `UPDATE_BINDINGS=1 cargo test -p kozmos-core --test bindings`).

use std::path::Path;

use ts_rs::{Config, ExportError, TS};

use crate::association::{Association, AssociationDraft, AssociationQuery, AssociationSummary};
use crate::cooperation::{
    ActivityDraft, BoardColumn, Cooperation, CooperationDraft, CooperationQuery, CooperationSummary,
};
use crate::duplicates::{DuplicateList, DuplicateQuery, Kind, MergePlan, MergeRequest, MergeResult};
use crate::foundation::{Foundation, FoundationDraft, FoundationQuery, FoundationSummary};
use crate::listing::Page;
use crate::person::{ConsentDraft, Parent, Person, PersonDraft, PersonSummary};
use crate::{ErrorPayload, StartupInfo};

/// Writes the bindings of every IPC type (and the types they use) into `dir`.
pub fn export_all(dir: &Path) -> Result<(), ExportError> {
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    StartupInfo::export_all(&cfg)?;
    Association::export_all(&cfg)?;
    Kind::export_all(&cfg)?;
    DuplicateQuery::export_all(&cfg)?;
    DuplicateList::export_all(&cfg)?;
    MergePlan::export_all(&cfg)?;
    MergeRequest::export_all(&cfg)?;
    MergeResult::export_all(&cfg)?;
    AssociationDraft::export_all(&cfg)?;
    AssociationQuery::export_all(&cfg)?;
    Page::<AssociationSummary>::export_all(&cfg)?;
    AssociationSummary::export_all(&cfg)?;
    Foundation::export_all(&cfg)?;
    FoundationDraft::export_all(&cfg)?;
    FoundationQuery::export_all(&cfg)?;
    FoundationSummary::export_all(&cfg)?;
    Page::<FoundationSummary>::export_all(&cfg)?;
    Person::export_all(&cfg)?;
    PersonDraft::export_all(&cfg)?;
    PersonSummary::export_all(&cfg)?;
    Parent::export_all(&cfg)?;
    ConsentDraft::export_all(&cfg)?;
    Cooperation::export_all(&cfg)?;
    CooperationDraft::export_all(&cfg)?;
    CooperationQuery::export_all(&cfg)?;
    CooperationSummary::export_all(&cfg)?;
    Page::<CooperationSummary>::export_all(&cfg)?;
    BoardColumn::export_all(&cfg)?;
    ActivityDraft::export_all(&cfg)?;
    crate::search::SearchHit::export_all(&cfg)?;
    crate::overview::Overview::export_all(&cfg)?;
    crate::calendar::CalendarExport::export_all(&cfg)?;
    crate::reports::ReportTable::export_all(&cfg)?;
    crate::demo::DemoCounts::export_all(&cfg)?;
    crate::project::Project::export_all(&cfg)?;
    crate::project::Idea::export_all(&cfg)?;
    crate::project::ProjectDraft::export_all(&cfg)?;
    crate::project::IdeaDraft::export_all(&cfg)?;
    crate::matching::Match::export_all(&cfg)?;
    crate::matching::MatchQuery::export_all(&cfg)?;
    Page::<crate::matching::Match>::export_all(&cfg)?;
    ErrorPayload::export_all(&cfg)?;
    crate::sync::import::Preview::export_all(&cfg)?;
    crate::sync::detail::RecordPage::export_all(&cfg)?;
    crate::sync::import::ImportResult::export_all(&cfg)?;
    crate::sync::export::ExportSummary::export_all(&cfg)?;
    crate::sync::conflicts::ConflictEntry::export_all(&cfg)?;
    crate::sync::status::SyncStatus::export_all(&cfg)?;
    crate::sync::folder::FolderSync::export_all(&cfg)?;
    crate::sync::passphrase::Strength::export_all(&cfg)?;
    crate::sync::folder_secret::Kept::export_all(&cfg)?;
    crate::backup::Reason::export_all(&cfg)?;
    crate::sync::profile::Profile::export_all(&cfg)?;
    crate::sheets::SheetPreview::export_all(&cfg)?;
    crate::sheets::SavedPdf::export_all(&cfg)?;
    crate::sheets::SheetFiles::export_all(&cfg)?;
    crate::sheets::KozmosContact::export_all(&cfg)?;
    crate::sheets::KozmosContactDraft::export_all(&cfg)?;
    crate::backup::BackupInfo::export_all(&cfg)?;
    crate::backup::BackupOverview::export_all(&cfg)?;
    crate::backup::Checked::export_all(&cfg)?;
    crate::privacy::retention::RetentionReview::export_all(&cfg)?;
    crate::privacy::access::AccessExport::export_all(&cfg)?;
    crate::import::ImportFile::export_all(&cfg)?;
    crate::import::ImportChoice::export_all(&cfg)?;
    crate::import::TablePreview::export_all(&cfg)?;
    crate::import::TableImportResult::export_all(&cfg)?;
    crate::export::ListExport::export_all(&cfg)?;
    crate::export::ExportFormat::export_all(&cfg)?;
    Ok(())
}

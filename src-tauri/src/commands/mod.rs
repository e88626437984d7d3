//! Commands the UI calls: each translates between the UI and the core, nothing more.

mod about;
mod associations;
pub mod backups;
mod calendar;
mod cooperations;
mod duplicates;
mod foundations;
mod import;
mod installation;
mod matching;
mod overview;
mod persons;
mod privacy;
mod projects;
mod reports;
mod search;
mod sheets;
pub mod sync;
pub mod updates;

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        installation::startup,
        about::about,
        about::third_party_licenses,
        updates::check_for_update,
        updates::found_update,
        updates::install_update,
        updates::preferences,
        updates::set_check_updates_at_start,
        sync::take_opened_sync_file,
        backups::backup_overview,
        backups::daily_backup_status,
        backups::create_backup,
        backups::set_backup_keep,
        backups::choose_backup_file,
        backups::check_backup,
        backups::restore_backup,
        calendar::export_calendar,
        reports::reports,
        reports::export_report_csv,
        reports::export_reports_pdf,
        installation::setup_installation,
        installation::set_language,
        associations::list_associations,
        associations::get_association,
        associations::association_draft,
        associations::create_association,
        associations::update_association,
        associations::delete_association,
        associations::restore_association,
        associations::set_association_logo,
        associations::association_logo,
        foundations::list_foundations,
        foundations::get_foundation,
        foundations::foundation_draft,
        foundations::create_foundation,
        foundations::update_foundation,
        foundations::delete_foundation,
        foundations::restore_foundation,
        cooperations::list_cooperations,
        cooperations::cooperation_board,
        cooperations::get_cooperation,
        cooperations::cooperation_draft,
        cooperations::create_cooperation,
        cooperations::update_cooperation,
        cooperations::set_cooperation_stage,
        cooperations::add_cooperation_activity,
        cooperations::delete_cooperation,
        cooperations::restore_cooperation,
        search::search_everything,
        matching::match_association,
        matching::match_foundation,
        matching::start_cooperation,
        projects::list_projects,
        projects::list_ideas,
        projects::project_draft,
        projects::idea_draft,
        projects::save_project,
        projects::save_idea,
        projects::delete_project,
        overview::overview,
        overview::load_demo,
        overview::remove_demo,
        overview::demo_count,
        persons::list_persons,
        persons::get_person,
        persons::person_draft,
        persons::create_person,
        persons::update_person,
        persons::delete_person,
        persons::restore_person,
        persons::erase_person,
        persons::record_consent,
        persons::withdraw_consent,
        privacy::retention_review,
        privacy::set_retention_years,
        privacy::erase_persons,
        privacy::save_access_export,
        privacy::save_processing_record,
        privacy::open_processing_record,
        import::pick_import_file,
        import::describe_import_file,
        import::preview_import,
        import::apply_import,
        import::save_rejected_rows,
        import::export_list,
        sync::sync_status,
        sync::passphrase_strength,
        sync::export_sync_file,
        sync::pick_sync_file,
        sync::preview_sync_file,
        sync::sync_preview_page,
        sync::apply_sync_file,
        sync::undoable_sync_import,
        sync::undo_sync_import,
        sync::sync_conflicts,
        sync::mark_conflict_seen,
        sync::restore_conflict,
        sync::sync_history,
        sync::set_sync_folder,
        sync::set_sync_folder_profile,
        sync::pick_sync_folder,
        sync::sync_folder_now,
        sync::sync_folder_passphrase,
        sync::set_sync_folder_encryption,
        sync::forget_sync_folder_passphrase,
        sheets::sheet_preview,
        sheets::save_sheet_pdf,
        sheets::open_sheet_pdf,
        sheets::save_pack_pdf,
        sheets::save_batch_pdf,
        sheets::save_batch_folder,
        sheets::kozmos_contacts,
        sheets::set_kozmos_contact,
        duplicates::find_duplicates,
        duplicates::dismiss_duplicate,
        duplicates::merge_preview,
        duplicates::merge_records,
        duplicates::resolve_record,
    ]
}

/// Writes the shell's own types (those the commands take or give besides the core's) for the
/// contract test.
#[cfg(test)]
pub fn export_types(cfg: &ts_rs::Config) -> Result<(), ts_rs::ExportError> {
    use ts_rs::TS;
    about::About::export_all(cfg)?;
    updates::UpdateCheck::export_all(cfg)?;
    updates::UpdateInfo::export_all(cfg)?;
    crate::preferences::Preferences::export_all(cfg)?;
    crate::picked::PickedPath::export_all(cfg)?;
    sync::PickedSyncFile::export_all(cfg)?;
    sync::SavedSyncFile::export_all(cfg)?;
    sync::FolderSyncResult::export_all(cfg)?;
    sync::FolderEncryption::export_all(cfg)?;
    calendar::SavedCalendar::export_all(cfg)?;
    backups::BackupSource::export_all(cfg)?;
    Ok(())
}

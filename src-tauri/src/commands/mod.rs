//! Commands the UI calls: each translates between the UI and the core, nothing more.

mod associations;
mod calendar;
mod cooperations;
mod foundations;
mod import;
mod installation;
mod matching;
mod overview;
mod persons;
mod projects;
mod reports;
mod search;
mod sheets;
pub mod sync;

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        installation::startup,
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
        sync::apply_sync_file,
        sync::sync_conflicts,
        sync::mark_conflict_seen,
        sync::restore_conflict,
        sync::sync_history,
        sync::set_sync_folder,
        sync::pick_sync_folder,
        sync::sync_folder_now,
        sheets::sheet_preview,
        sheets::save_sheet_pdf,
        sheets::open_sheet_pdf,
        sheets::save_pack_pdf,
        sheets::save_batch_pdf,
        sheets::save_batch_folder,
        sheets::kozmos_contacts,
        sheets::set_kozmos_contact,
    ]
}

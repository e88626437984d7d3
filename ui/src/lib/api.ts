// Typed calls into the Rust core; the types are generated from the Rust ones.
import { invoke } from '@tauri-apps/api/core';
import type { ExportFormat } from './bindings/ExportFormat';
import type { ImportChoice } from './bindings/ImportChoice';
import type { ImportFile } from './bindings/ImportFile';
import type { ImportKind } from './bindings/ImportKind';
import type { ListExport } from './bindings/ListExport';
import type { TableImportResult } from './bindings/TableImportResult';
import type { TablePreview } from './bindings/TablePreview';
import type { Association } from './bindings/Association';
import type { AssociationDraft } from './bindings/AssociationDraft';
import type { AssociationQuery } from './bindings/AssociationQuery';
import type { AssociationSummary } from './bindings/AssociationSummary';
import type { Foundation } from './bindings/Foundation';
import type { FoundationDraft } from './bindings/FoundationDraft';
import type { FoundationQuery } from './bindings/FoundationQuery';
import type { FoundationSummary } from './bindings/FoundationSummary';
import type { ConsentDraft } from './bindings/ConsentDraft';
import type { SearchHit } from './bindings/SearchHit';
import type { Match } from './bindings/Match';
import type { MatchQuery } from './bindings/MatchQuery';
import type { Idea } from './bindings/Idea';
import type { IdeaDraft } from './bindings/IdeaDraft';
import type { Project } from './bindings/Project';
import type { ProjectDraft } from './bindings/ProjectDraft';
import type { DemoCounts } from './bindings/DemoCounts';
import type { Overview } from './bindings/Overview';
import type { BackupInfo } from './bindings/BackupInfo';
import type { BackupOverview } from './bindings/BackupOverview';
import type { Checked } from './bindings/Checked';
import type { CalendarExport } from './bindings/CalendarExport';
import type { ReportTable } from './bindings/ReportTable';
import type { ActivityDraft } from './bindings/ActivityDraft';
import type { BoardColumn } from './bindings/BoardColumn';
import type { Cooperation } from './bindings/Cooperation';
import type { CooperationDraft } from './bindings/CooperationDraft';
import type { CooperationQuery } from './bindings/CooperationQuery';
import type { CooperationSummary } from './bindings/CooperationSummary';
import type { Parent } from './bindings/Parent';
import type { Person } from './bindings/Person';
import type { PersonDraft } from './bindings/PersonDraft';
import type { PersonSummary } from './bindings/PersonSummary';
import type { Installation } from './bindings/Installation';
import type { Lang } from './bindings/Lang';
import type { Page } from './bindings/Page';
import type { StartupInfo } from './bindings/StartupInfo';
import type { ConflictEntry } from './bindings/ConflictEntry';
import type { ExportSummary } from './bindings/ExportSummary';
import type { FolderSync } from './bindings/FolderSync';
import type { Kept } from './bindings/Kept';
import type { HistoryEntry } from './bindings/HistoryEntry';
import type { ImportResult } from './bindings/ImportResult';
import type { Preview } from './bindings/Preview';
import type { Profile } from './bindings/Profile';
import type { Strength } from './bindings/Strength';
import type { RecordPage } from './bindings/RecordPage';
import type { SyncStatus } from './bindings/SyncStatus';
import type { DuplicateKind } from './bindings/DuplicateKind';
import type { DuplicateList } from './bindings/DuplicateList';
import type { DuplicateQuery } from './bindings/DuplicateQuery';
import type { MergePlan } from './bindings/MergePlan';
import type { MergeRequest } from './bindings/MergeRequest';
import type { MergeResult } from './bindings/MergeResult';
import type { KozmosContact } from './bindings/KozmosContact';
import type { KozmosContactDraft } from './bindings/KozmosContactDraft';
import type { SavedPdf } from './bindings/SavedPdf';
import type { RetentionReview } from './bindings/RetentionReview';
import type { SheetFiles } from './bindings/SheetFiles';
import type { SheetPreview } from './bindings/SheetPreview';
import { toErrorPayload } from './errors';
import type { LicenseList } from './licenses';

/** A file the app saved, and what went into it. */
export type SavedCalendar = CalendarExport & { path: string };

/** A sync file the app wrote, and what went into it. */
export type SavedSyncFile = ExportSummary & { path: string };

/** The sync file the user chose to import, or the app was asked to open. */
/** A path the app picked (dialog, opened file): the token to hand back, and the path and name to show. */
export type PickedPath = { token: string; path: string; name: string };
export type PickedSyncFile = PickedPath & { encrypted: boolean };
/** A backup to check or restore: one of the list (its file name) or a file picked elsewhere (its token). */
export type BackupSource = { listed: string } | { picked: string };
/** The folder sync, with a token per incoming file (by its path) for the preview and apply. */
export type FolderSyncResult = FolderSync & { tokens: Record<string, string> };
/** The shared folder's encryption now, and where its passphrase is kept (null: it will be asked for). */
export type FolderEncryption = { status: SyncStatus; kept: Kept | null };

/** The app's version (the installers carry the same) and the system it runs on. */
export type About = { version: string; os: string; arch: string };

/** A newer release: what changed (the release notes, plain text) and when. */
export type UpdateInfo = { version: string; current_version: string; notes: string | null; date: string | null };

/** What a look for updates found; `not_configured`: a build without a release server. */
export type UpdateCheck =
  | { status: 'up_to_date'; current_version: string }
  | ({ status: 'available' } & UpdateInfo)
  | { status: 'not_configured' };

/** Preferences of the app on this computer. */
export type Preferences = { check_updates_at_start: boolean };

/** A cooperation query with every filter left open except those given. */
function cooperationQuery(query: Partial<CooperationQuery>): CooperationQuery {
  return {
    text: '',
    stage: null,
    association_id: null,
    foundation_id: null,
    due_from: null,
    due_until: null,
    open_only: false,
    offset: 0,
    limit: 50,
    ...query,
  };
}

let overviewInFlight: Promise<Overview> | null = null;

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw toErrorPayload(e);
  }
}

export const api = {
  startup: () => call<StartupInfo>('startup'),
  about: () => call<About>('about'),
  /** The generated list of bundled components and their licences (see ./licenses.ts). */
  thirdPartyLicenses: () => call<LicenseList>('third_party_licenses'),
  /** Asks the release server for a newer signed release; installs nothing. */
  checkForUpdate: () => call<UpdateCheck>('check_for_update'),
  /** The release an earlier check (the one at start) found; null when none. */
  foundUpdate: () => call<UpdateInfo | null>('found_update'),
  /** Downloads, checks and installs the release the last check found, then restarts KOZMOS. */
  installUpdate: () => call<null>('install_update'),
  preferences: () => call<Preferences>('preferences'),
  setCheckUpdatesAtStart: (enabled: boolean) => call<Preferences>('set_check_updates_at_start', { enabled }),
  setupInstallation: (network: string, volunteer: string) =>
    call<Installation>('setup_installation', { network, volunteer }),
  setLanguage: (lang: Lang) => call<Installation>('set_language', { lang }),
  listAssociations: (query: AssociationQuery) => call<Page<AssociationSummary>>('list_associations', { query }),
  getAssociation: (id: string) => call<Association>('get_association', { id }),
  associationDraft: (id: string | null) => call<AssociationDraft>('association_draft', { id }),
  createAssociation: (draft: AssociationDraft) => call<Association>('create_association', { draft }),
  updateAssociation: (id: string, draft: AssociationDraft) => call<Association>('update_association', { id, draft }),
  deleteAssociation: (id: string, withCooperations = false) =>
    call<[Association, string[]]>('delete_association', { id, withCooperations }),
  restoreAssociation: (id: string) => call<Association>('restore_association', { id }),
  setAssociationLogo: (id: string, data: string | null) => call<Association>('set_association_logo', { id, data }),
  associationLogo: (id: string) => call<string | null>('association_logo', { id }),
  listFoundations: (query: FoundationQuery) => call<Page<FoundationSummary>>('list_foundations', { query }),
  getFoundation: (id: string) => call<Foundation>('get_foundation', { id }),
  foundationDraft: (id: string | null) => call<FoundationDraft>('foundation_draft', { id }),
  createFoundation: (draft: FoundationDraft) => call<Foundation>('create_foundation', { draft }),
  updateFoundation: (id: string, draft: FoundationDraft) => call<Foundation>('update_foundation', { id, draft }),
  deleteFoundation: (id: string, withCooperations = false) =>
    call<[Foundation, string[]]>('delete_foundation', { id, withCooperations }),
  restoreFoundation: (id: string) => call<Foundation>('restore_foundation', { id }),
  listCooperations: (query: Partial<CooperationQuery>) =>
    call<Page<CooperationSummary>>('list_cooperations', { query: cooperationQuery(query) }),
  cooperationBoard: (query: Partial<CooperationQuery>) =>
    call<BoardColumn[]>('cooperation_board', { query: cooperationQuery(query) }),
  getCooperation: (id: string) => call<Cooperation>('get_cooperation', { id }),
  cooperationDraft: (id: string | null) => call<CooperationDraft>('cooperation_draft', { id }),
  createCooperation: (draft: CooperationDraft) => call<Cooperation>('create_cooperation', { draft }),
  updateCooperation: (id: string, draft: CooperationDraft) => call<Cooperation>('update_cooperation', { id, draft }),
  setCooperationStage: (id: string, stage: string) => call<Cooperation>('set_cooperation_stage', { id, stage }),
  addCooperationActivity: (id: string, draft: ActivityDraft) =>
    call<Cooperation>('add_cooperation_activity', { id, draft }),
  deleteCooperation: (id: string) => call<Cooperation>('delete_cooperation', { id }),
  restoreCooperation: (id: string) => call<Cooperation>('restore_cooperation', { id }),
  listProjects: (associationId: string) => call<Project[]>('list_projects', { associationId }),
  listIdeas: (associationId: string) => call<Idea[]>('list_ideas', { associationId }),
  projectDraft: (id: string | null) => call<ProjectDraft>('project_draft', { id }),
  ideaDraft: (id: string | null) => call<IdeaDraft>('idea_draft', { id }),
  saveProject: (id: string | null, associationId: string, draft: ProjectDraft) =>
    call<Project>('save_project', { id, associationId, draft }),
  saveIdea: (id: string | null, associationId: string, draft: IdeaDraft) =>
    call<Idea>('save_idea', { id, associationId, draft }),
  deleteProject: (kind: 'project' | 'idea', id: string) => call<null>('delete_project', { kind, id }),
  matchAssociation: (id: string, query: MatchQuery) => call<Page<Match>>('match_association', { id, query }),
  matchFoundation: (id: string, query: MatchQuery) => call<Page<Match>>('match_foundation', { id, query }),
  startCooperation: (associationId: string, foundationId: string) =>
    call<Cooperation>('start_cooperation', { associationId, foundationId }),
  /** The start page's data; callers asking while a request is under way (the start page and the
   *  reminder at start) share it. */
  overview: () => (overviewInFlight ??= call<Overview>('overview').finally(() => (overviewInFlight = null))),
  /** Asks where to save (system dialog) and writes the .ics file; null when the user cancelled. */
  exportCalendar: () => call<SavedCalendar | null>('export_calendar'),
  reports: () => call<ReportTable[]>('reports'),
  /** Asks where to save and writes the report as CSV; the path, or null when the user cancelled. */
  exportReportCsv: (id: string) => call<string | null>('export_report_csv', { id }),
  /** Asks where to save and writes one report, or all without an id, as PDF; the path, or null when cancelled. */
  exportReportsPdf: (id: string | null = null) => call<string | null>('export_reports_pdf', { id }),
  loadDemo: () => call<DemoCounts>('load_demo'),
  removeDemo: () => call<DemoCounts>('remove_demo'),
  demoCount: () => call<DemoCounts>('demo_count'),
  searchEverything: (text: string) => call<SearchHit[]>('search_everything', { text }),
  listPersons: (parent: Parent) => call<PersonSummary[]>('list_persons', { parent }),
  getPerson: (id: string) => call<Person>('get_person', { id }),
  personDraft: (id: string | null) => call<PersonDraft>('person_draft', { id }),
  createPerson: (parent: Parent, draft: PersonDraft) => call<Person>('create_person', { parent, draft }),
  updatePerson: (id: string, draft: PersonDraft) => call<Person>('update_person', { id, draft }),
  deletePerson: (id: string) => call<Person>('delete_person', { id }),
  restorePerson: (id: string) => call<Person>('restore_person', { id }),
  erasePerson: (id: string) => call<Person>('erase_person', { id }),
  retentionReview: (years: number | null = null) => call<RetentionReview>('retention_review', { years }),
  setRetentionYears: (years: number) => call<RetentionReview>('set_retention_years', { years }),
  erasePersons: (ids: string[]) => call<Person[]>('erase_persons', { ids }),
  /** Asks where to save everything about one person; the path, or null when cancelled. */
  saveAccessExport: (id: string, format: 'json' | 'pdf') => call<string | null>('save_access_export', { id, format }),
  saveProcessingRecord: () => call<string | null>('save_processing_record'),
  openProcessingRecord: () => call<string>('open_processing_record'),
  recordConsent: (id: string, draft: ConsentDraft) => call<Person>('record_consent', { id, draft }),
  withdrawConsent: (id: string, purpose: string) => call<Person>('withdraw_consent', { id, purpose }),
  backupOverview: () => call<BackupOverview>('backup_overview'),
  /** Rejects with the error of the daily backup made on start, if it failed. */
  dailyBackupStatus: () => call<null>('daily_backup_status'),
  createBackup: (passphrase: string | null) => call<BackupInfo>('create_backup', { passphrase }),
  setBackupKeep: (keep: number) => call<BackupOverview>('set_backup_keep', { keep }),
  /** Asks for a backup file elsewhere (system dialog); null when the user cancelled. */
  chooseBackupFile: () => call<PickedPath | null>('choose_backup_file'),
  checkBackup: (source: BackupSource, passphrase: string | null) => call<Checked>('check_backup', { source, passphrase }),
  restoreBackup: (source: BackupSource, passphrase: string | null) =>
    call<Checked>('restore_backup', { source, passphrase }),
  syncStatus: () => call<SyncStatus>('sync_status'),
  passphraseStrength: (passphrase: string) => call<Strength>('passphrase_strength', { passphrase }),
  /** Asks where to save (system dialog) and writes the sync file; null when the user cancelled. */
  exportSyncFile: (peer: string | null, profile: Profile, passphrase: string | null) =>
    call<SavedSyncFile | null>('export_sync_file', { peer, profile, passphrase }),
  /** Asks which sync file to import (system dialog); null when the user cancelled. */
  pickSyncFile: () => call<PickedSyncFile | null>('pick_sync_file'),
  /** The sync file the app was asked to open (double-click, a second start), once; null when none. */
  takeOpenedSyncFile: () => call<PickedSyncFile | null>('take_opened_sync_file'),
  previewSyncFile: (token: string, passphrase: string | null) =>
    call<Preview>('preview_sync_file', { token, passphrase }),
  /** A page of the records the file previewed with `token` would change (sync_preview_gone when
   * that preview is no longer kept: preview it again). */
  syncPreviewPage: (token: string, offset: number, limit: number) =>
    call<RecordPage>('sync_preview_page', { token, offset, limit }),
  /** Applies the previewed file; refused when the file is no longer the one previewed (its SHA-256). */
  applySyncFile: (token: string, passphrase: string | null, acceptClockAhead: boolean, allowMassChanges: boolean, sha256: string) =>
    call<ImportResult>('apply_sync_file', { token, passphrase, acceptClockAhead, allowMassChanges, sha256 }),
  syncConflicts: (includeSeen: boolean) => call<ConflictEntry[]>('sync_conflicts', { includeSeen }),
  markConflictSeen: (id: number) => call<null>('mark_conflict_seen', { id }),
  restoreConflict: (id: number) => call<null>('restore_conflict', { id }),
  syncHistory: (limit: number | null = null) => call<HistoryEntry[]>('sync_history', { limit }),
  /** Sets the folder picked with pickSyncFolder (its token), or clears it with null. */
  setSyncFolder: (token: string | null, profile: Profile) => call<SyncStatus>('set_sync_folder', { token, profile }),
  /** Changes the profile of the folder already set. */
  setSyncFolderProfile: (profile: Profile) => call<SyncStatus>('set_sync_folder_profile', { profile }),
  /** Asks for the shared folder (system dialog); null when the user cancelled. */
  pickSyncFolder: () => call<PickedPath | null>('pick_sync_folder'),
  /** Writes our file and previews the others'; a typed passphrase is checked and kept (in the keyring with `remember`). */
  syncFolderNow: (passphrase: string | null = null, remember = false) =>
    call<FolderSyncResult>('sync_folder_now', { passphrase, remember }),
  /** Where the shared folder's passphrase is known on this computer; null: it will be asked for. */
  syncFolderPassphrase: () => call<Kept | null>('sync_folder_passphrase'),
  setSyncFolderEncryption: (encrypted: boolean, passphrase: string | null, remember: boolean) =>
    call<FolderEncryption>('set_sync_folder_encryption', { encrypted, passphrase, remember }),
  forgetSyncFolderPassphrase: () => call<null>('forget_sync_folder_passphrase'),
  /** An association's profile sheet as page pictures (SVG), exactly as it prints, in the sheet's language. */
  sheetPreview: (id: string, lang: Lang) => call<SheetPreview>('sheet_preview', { id, lang }),
  /** Asks where to save (system dialog) and writes the sheet as PDF; null when the user cancelled. */
  saveSheetPdf: (id: string, lang: Lang) => call<SavedPdf | null>('save_sheet_pdf', { id, lang }),
  /** Writes the sheet into the app's cache and opens it in the system's PDF viewer, to print. */
  openSheetPdf: (id: string, lang: Lang) => call<SavedPdf>('open_sheet_pdf', { id, lang }),
  /** Asks where to save a meeting pack (a cover, then one sheet per association in this order); null when cancelled. */
  savePackPdf: (foundationId: string, associationIds: string[], lang: Lang) =>
    call<SavedPdf | null>('save_pack_pdf', { foundationId, associationIds, lang }),
  /** Asks where to save the sheets of every association the query finds, as one PDF; null when cancelled. */
  saveBatchPdf: (query: AssociationQuery, lang: Lang) => call<SavedPdf | null>('save_batch_pdf', { query, lang }),
  /** Asks for a folder (system dialog) and writes one sheet per association into it; null when cancelled. */
  saveBatchFolder: (query: AssociationQuery, lang: Lang) => call<SheetFiles | null>('save_batch_folder', { query, lang }),
  /** The KOZMOS contact each network prints on its associations' sheets. */
  kozmosContacts: () => call<KozmosContact[]>('kozmos_contacts'),
  setKozmosContact: (network: string, draft: KozmosContactDraft) =>
    call<KozmosContact>('set_kozmos_contact', { network, draft }),
  /** Likely duplicates, ranked, with their reasons (pairs marked "not a duplicate" left out). */
  findDuplicates: (query: DuplicateQuery) => call<DuplicateList>('find_duplicates', { query }),
  dismissDuplicate: (kindA: DuplicateKind, idA: string, kindB: DuplicateKind, idB: string) =>
    call<null>('dismiss_duplicate', { kindA, idA, kindB, idB }),
  /** Both records field by field, and the related records that would move; writes nothing. */
  mergePreview: (keep: string, other: string) => call<MergePlan>('merge_preview', { keep, other }),
  mergeRecords: (request: MergeRequest) => call<MergeResult>('merge_records', { request }),
  /** The record to open for an id: itself, or its survivor when it was merged away. */
  resolveRecord: (kind: DuplicateKind, id: string) => call<string>('resolve_record', { kind, id }),
  /** Asks which spreadsheet to import (system dialog); its path, or null when the user cancelled. */
  pickImportFile: () => call<PickedPath | null>('pick_import_file'),
  /** The file's columns with samples and the proposed (or saved) mapping for this kind. */
  describeImportFile: (token: string, kind: ImportKind) => call<ImportFile>('describe_import_file', { token, kind }),
  /** What importing would do, row by row; writes nothing. */
  previewImport: (token: string, choice: ImportChoice) => call<TablePreview>('preview_import', { token, choice }),
  /** Imports in one transaction after a backup copy; the mapping is saved for files of this shape. */
  applyImport: (token: string, choice: ImportChoice, sha256: string) =>
    call<TableImportResult>('apply_import', { token, choice, sha256 }),
  /** Asks where to save the rejected rows (with reasons) as CSV; null when cancelled. */
  saveRejectedRows: (token: string, choice: ImportChoice) =>
    call<string | null>('save_rejected_rows', { token, choice }),
  /** Asks where to save the list with its current filter as CSV or Excel; null when cancelled. */
  exportList: (list: ListExport, format: ExportFormat) => call<string | null>('export_list', { list, format }),
};

// Typed calls into the Rust core; the types are generated from the Rust ones.
import { invoke } from '@tauri-apps/api/core';
import type { ExportFormat } from './bindings/ExportFormat';
import type { ImportChoice } from './bindings/ImportChoice';
import type { ImportKind } from './bindings/ImportKind';
import type { ListExport } from './bindings/ListExport';
import type { AssociationDraft } from './bindings/AssociationDraft';
import type { AssociationQuery } from './bindings/AssociationQuery';
import type { FoundationDraft } from './bindings/FoundationDraft';
import type { FoundationQuery } from './bindings/FoundationQuery';
import type { ConsentDraft } from './bindings/ConsentDraft';
import type { MatchQuery } from './bindings/MatchQuery';
import type { IdeaDraft } from './bindings/IdeaDraft';
import type { ProjectDraft } from './bindings/ProjectDraft';
import type { Overview } from './bindings/Overview';
import type { ActivityDraft } from './bindings/ActivityDraft';
import type { CooperationDraft } from './bindings/CooperationDraft';
import type { CooperationQuery } from './bindings/CooperationQuery';
import type { Parent } from './bindings/Parent';
import type { PersonDraft } from './bindings/PersonDraft';
import type { Lang } from './bindings/Lang';
import type { Profile } from './bindings/Profile';
import type { DuplicateKind } from './bindings/DuplicateKind';
import type { DuplicateQuery } from './bindings/DuplicateQuery';
import type { MergeRequest } from './bindings/MergeRequest';
import type { KozmosContactDraft } from './bindings/KozmosContactDraft';
import type { BackupSource } from './bindings/ipc/BackupSource';
import type { Commands } from './bindings/ipc/commands';
import { toErrorPayload } from './errors';
import type { LicenseList } from './licenses';

// The shell's own types, generated with the command contract (src-tauri/src/contract.rs).
export type { About } from './bindings/ipc/About';
export type { BackupSource } from './bindings/ipc/BackupSource';
export type { FolderEncryption } from './bindings/ipc/FolderEncryption';
export type { FolderSyncResult } from './bindings/ipc/FolderSyncResult';
export type { PickedPath } from './bindings/ipc/PickedPath';
export type { PickedSyncFile } from './bindings/ipc/PickedSyncFile';
export type { Preferences } from './bindings/ipc/Preferences';
export type { SavedCalendar } from './bindings/ipc/SavedCalendar';
export type { SavedSyncFile } from './bindings/ipc/SavedSyncFile';
export type { UpdateCheck } from './bindings/ipc/UpdateCheck';
export type { UpdateInfo } from './bindings/ipc/UpdateInfo';

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

type Command = keyof Commands;
type Args<K extends Command> = Commands[K]['args'];

/** The one call into the shell: the command's name, arguments and result come from the generated
 *  contract, so a renamed command or argument fails the type check. */
async function call<K extends Command>(
  command: K,
  ...args: Record<string, never> extends Args<K> ? [args?: Args<K>] : [args: Args<K>]
): Promise<Commands[K]['result']> {
  try {
    return await invoke<Commands[K]['result']>(command, args[0]);
  } catch (e) {
    throw toErrorPayload(e);
  }
}

export const api = {
  startup: () => call('startup'),
  about: () => call('about'),
  /** The generated list of bundled components and their licences (see ./licenses.ts). */
  thirdPartyLicenses: () => call('third_party_licenses') as Promise<LicenseList>,
  /** Asks the release server for a newer signed release; installs nothing. */
  checkForUpdate: () => call('check_for_update'),
  /** The release an earlier check (the one at start) found; null when none. */
  foundUpdate: () => call('found_update'),
  /** Downloads, checks and installs the release the last check found, then restarts KOZMOS. */
  installUpdate: () => call('install_update'),
  preferences: () => call('preferences'),
  setCheckUpdatesAtStart: (enabled: boolean) => call('set_check_updates_at_start', { enabled }),
  setupInstallation: (network: string, volunteer: string) =>
    call('setup_installation', { network, volunteer }),
  setLanguage: (lang: Lang) => call('set_language', { lang }),
  listAssociations: (query: AssociationQuery) => call('list_associations', { query }),
  getAssociation: (id: string) => call('get_association', { id }),
  associationDraft: (id: string | null) => call('association_draft', { id }),
  createAssociation: (draft: AssociationDraft) => call('create_association', { draft }),
  updateAssociation: (id: string, draft: AssociationDraft) => call('update_association', { id, draft }),
  deleteAssociation: (id: string, withCooperations = false) =>
    call('delete_association', { id, withCooperations }),
  restoreAssociation: (id: string) => call('restore_association', { id }),
  setAssociationLogo: (id: string, data: string | null) => call('set_association_logo', { id, data }),
  associationLogo: (id: string) => call('association_logo', { id }),
  listFoundations: (query: FoundationQuery) => call('list_foundations', { query }),
  getFoundation: (id: string) => call('get_foundation', { id }),
  foundationDraft: (id: string | null) => call('foundation_draft', { id }),
  createFoundation: (draft: FoundationDraft) => call('create_foundation', { draft }),
  updateFoundation: (id: string, draft: FoundationDraft) => call('update_foundation', { id, draft }),
  deleteFoundation: (id: string, withCooperations = false) =>
    call('delete_foundation', { id, withCooperations }),
  restoreFoundation: (id: string) => call('restore_foundation', { id }),
  listCooperations: (query: Partial<CooperationQuery>) =>
    call('list_cooperations', { query: cooperationQuery(query) }),
  cooperationBoard: (query: Partial<CooperationQuery>) =>
    call('cooperation_board', { query: cooperationQuery(query) }),
  getCooperation: (id: string) => call('get_cooperation', { id }),
  cooperationDraft: (id: string | null) => call('cooperation_draft', { id }),
  createCooperation: (draft: CooperationDraft) => call('create_cooperation', { draft }),
  updateCooperation: (id: string, draft: CooperationDraft) => call('update_cooperation', { id, draft }),
  setCooperationStage: (id: string, stage: string) => call('set_cooperation_stage', { id, stage }),
  addCooperationActivity: (id: string, draft: ActivityDraft) =>
    call('add_cooperation_activity', { id, draft }),
  deleteCooperation: (id: string) => call('delete_cooperation', { id }),
  restoreCooperation: (id: string) => call('restore_cooperation', { id }),
  listProjects: (associationId: string) => call('list_projects', { associationId }),
  listIdeas: (associationId: string) => call('list_ideas', { associationId }),
  projectDraft: (id: string | null) => call('project_draft', { id }),
  ideaDraft: (id: string | null) => call('idea_draft', { id }),
  saveProject: (id: string | null, associationId: string, draft: ProjectDraft) =>
    call('save_project', { id, associationId, draft }),
  saveIdea: (id: string | null, associationId: string, draft: IdeaDraft) =>
    call('save_idea', { id, associationId, draft }),
  deleteProject: (kind: 'project' | 'idea', id: string) => call('delete_project', { kind, id }),
  matchAssociation: (id: string, query: MatchQuery) => call('match_association', { id, query }),
  matchFoundation: (id: string, query: MatchQuery) => call('match_foundation', { id, query }),
  startCooperation: (associationId: string, foundationId: string) =>
    call('start_cooperation', { associationId, foundationId }),
  /** The start page's data; callers asking while a request is under way (the start page and the
   *  reminder at start) share it. */
  overview: () => (overviewInFlight ??= call('overview').finally(() => (overviewInFlight = null))),
  /** Asks where to save (system dialog) and writes the .ics file; null when the user cancelled. */
  exportCalendar: () => call('export_calendar'),
  reports: () => call('reports'),
  /** Asks where to save and writes the report as CSV; the path, or null when the user cancelled. */
  exportReportCsv: (id: string) => call('export_report_csv', { id }),
  /** Asks where to save and writes one report, or all without an id, as PDF; the path, or null when cancelled. */
  exportReportsPdf: (id: string | null = null) => call('export_reports_pdf', { id }),
  loadDemo: () => call('load_demo'),
  removeDemo: () => call('remove_demo'),
  demoCount: () => call('demo_count'),
  searchEverything: (text: string) => call('search_everything', { text }),
  listPersons: (parent: Parent) => call('list_persons', { parent }),
  getPerson: (id: string) => call('get_person', { id }),
  personDraft: (id: string | null) => call('person_draft', { id }),
  createPerson: (parent: Parent, draft: PersonDraft) => call('create_person', { parent, draft }),
  updatePerson: (id: string, draft: PersonDraft) => call('update_person', { id, draft }),
  deletePerson: (id: string) => call('delete_person', { id }),
  restorePerson: (id: string) => call('restore_person', { id }),
  erasePerson: (id: string) => call('erase_person', { id }),
  retentionReview: (years: number | null = null) => call('retention_review', { years }),
  setRetentionYears: (years: number) => call('set_retention_years', { years }),
  erasePersons: (ids: string[]) => call('erase_persons', { ids }),
  /** Asks where to save everything about one person; the path, or null when cancelled. */
  saveAccessExport: (id: string, format: 'json' | 'pdf') => call('save_access_export', { id, format }),
  saveProcessingRecord: () => call('save_processing_record'),
  openProcessingRecord: () => call('open_processing_record'),
  recordConsent: (id: string, draft: ConsentDraft) => call('record_consent', { id, draft }),
  withdrawConsent: (id: string, purpose: string) => call('withdraw_consent', { id, purpose }),
  backupOverview: () => call('backup_overview'),
  /** Rejects with the error of the daily backup made on start, if it failed. */
  dailyBackupStatus: () => call('daily_backup_status'),
  createBackup: (passphrase: string | null) => call('create_backup', { passphrase }),
  setBackupKeep: (keep: number) => call('set_backup_keep', { keep }),
  /** Asks for a backup file elsewhere (system dialog); null when the user cancelled. */
  chooseBackupFile: () => call('choose_backup_file'),
  checkBackup: (source: BackupSource, passphrase: string | null) => call('check_backup', { source, passphrase }),
  restoreBackup: (source: BackupSource, passphrase: string | null) =>
    call('restore_backup', { source, passphrase }),
  syncStatus: () => call('sync_status'),
  passphraseStrength: (passphrase: string) => call('passphrase_strength', { passphrase }),
  /** Asks where to save (system dialog) and writes the sync file; null when the user cancelled. */
  exportSyncFile: (peer: string | null, profile: Profile, passphrase: string | null) =>
    call('export_sync_file', { peer, profile, passphrase }),
  /** Asks which sync file to import (system dialog); null when the user cancelled. */
  pickSyncFile: () => call('pick_sync_file'),
  /** The sync file the app was asked to open (double-click, a second start), once; null when none. */
  takeOpenedSyncFile: () => call('take_opened_sync_file'),
  previewSyncFile: (token: string, passphrase: string | null) =>
    call('preview_sync_file', { token, passphrase }),
  /** A page of the records the file previewed with `token` would change (sync_preview_gone when
   * that preview is no longer kept: preview it again). */
  syncPreviewPage: (token: string, offset: number, limit: number) =>
    call('sync_preview_page', { token, offset, limit }),
  /** Applies the previewed file; refused when the file is no longer the one previewed (its SHA-256). */
  applySyncFile: (token: string, passphrase: string | null, acceptClockAhead: boolean, allowMassChanges: boolean, sha256: string) =>
    call('apply_sync_file', { token, passphrase, acceptClockAhead, allowMassChanges, sha256 }),
  /** The last import, when it can still be undone (else null). */
  undoableSyncImport: () => call('undoable_sync_import', {}),
  undoSyncImport: () => call('undo_sync_import', {}),
  syncConflicts: (includeSeen: boolean) => call('sync_conflicts', { includeSeen }),
  markConflictSeen: (id: number) => call('mark_conflict_seen', { id }),
  restoreConflict: (id: number) => call('restore_conflict', { id }),
  syncHistory: (limit: number | null = null) => call('sync_history', { limit }),
  /** Sets the folder picked with pickSyncFolder (its token), or clears it with null. */
  setSyncFolder: (token: string | null, profile: Profile) => call('set_sync_folder', { token, profile }),
  /** Changes the profile of the folder already set. */
  setSyncFolderProfile: (profile: Profile) => call('set_sync_folder_profile', { profile }),
  /** Asks for the shared folder (system dialog); null when the user cancelled. */
  pickSyncFolder: () => call('pick_sync_folder'),
  /** Writes our file and previews the others'; a typed passphrase is checked and kept (in the keyring with `remember`). */
  syncFolderNow: (passphrase: string | null = null, remember = false) =>
    call('sync_folder_now', { passphrase, remember }),
  /** Where the shared folder's passphrase is known on this computer; null: it will be asked for. */
  syncFolderPassphrase: () => call('sync_folder_passphrase'),
  setSyncFolderEncryption: (encrypted: boolean, passphrase: string | null, remember: boolean) =>
    call('set_sync_folder_encryption', { encrypted, passphrase, remember }),
  forgetSyncFolderPassphrase: () => call('forget_sync_folder_passphrase'),
  /** An association's profile sheet as page pictures (SVG), exactly as it prints, in the sheet's language. */
  sheetPreview: (id: string, lang: Lang) => call('sheet_preview', { id, lang }),
  /** Asks where to save (system dialog) and writes the sheet as PDF; null when the user cancelled. */
  saveSheetPdf: (id: string, lang: Lang) => call('save_sheet_pdf', { id, lang }),
  /** Writes the sheet into the app's cache and opens it in the system's PDF viewer, to print. */
  openSheetPdf: (id: string, lang: Lang) => call('open_sheet_pdf', { id, lang }),
  /** Asks where to save a meeting pack (a cover, then one sheet per association in this order); null when cancelled. */
  savePackPdf: (foundationId: string, associationIds: string[], lang: Lang) =>
    call('save_pack_pdf', { foundationId, associationIds, lang }),
  /** Asks where to save the sheets of every association the query finds, as one PDF; null when cancelled. */
  saveBatchPdf: (query: AssociationQuery, lang: Lang) => call('save_batch_pdf', { query, lang }),
  /** Asks for a folder (system dialog) and writes one sheet per association into it; null when cancelled. */
  saveBatchFolder: (query: AssociationQuery, lang: Lang) => call('save_batch_folder', { query, lang }),
  /** The KOZMOS contact each network prints on its associations' sheets. */
  kozmosContacts: () => call('kozmos_contacts'),
  setKozmosContact: (network: string, draft: KozmosContactDraft) =>
    call('set_kozmos_contact', { network, draft }),
  /** Likely duplicates, ranked, with their reasons (pairs marked "not a duplicate" left out). */
  findDuplicates: (query: DuplicateQuery) => call('find_duplicates', { query }),
  dismissDuplicate: (kindA: DuplicateKind, idA: string, kindB: DuplicateKind, idB: string) =>
    call('dismiss_duplicate', { kindA, idA, kindB, idB }),
  /** Both records field by field, and the related records that would move; writes nothing. */
  mergePreview: (keep: string, other: string) => call('merge_preview', { keep, other }),
  mergeRecords: (request: MergeRequest) => call('merge_records', { request }),
  /** The record to open for an id: itself, or its survivor when it was merged away. */
  resolveRecord: (kind: DuplicateKind, id: string) => call('resolve_record', { kind, id }),
  /** Asks which spreadsheet to import (system dialog); its path, or null when the user cancelled. */
  pickImportFile: () => call('pick_import_file'),
  /** The file's columns with samples and the proposed (or saved) mapping for this kind. */
  describeImportFile: (token: string, kind: ImportKind) => call('describe_import_file', { token, kind }),
  /** What importing would do, row by row; writes nothing. */
  previewImport: (token: string, choice: ImportChoice) => call('preview_import', { token, choice }),
  /** Imports in one transaction after a backup copy; the mapping is saved for files of this shape. */
  applyImport: (token: string, choice: ImportChoice, sha256: string) =>
    call('apply_import', { token, choice, sha256 }),
  /** Asks where to save the rejected rows (with reasons) as CSV; null when cancelled. */
  saveRejectedRows: (token: string, choice: ImportChoice) =>
    call('save_rejected_rows', { token, choice }),
  /** Asks where to save the list with its current filter as CSV or Excel; null when cancelled. */
  exportList: (list: ListExport, format: ExportFormat) => call('export_list', { list, format }),
};

// App-wide state: what the core told us at start, the current view, and this session's deletions.
import type { StartupInfo } from './bindings/StartupInfo';
import type { AssociationQuery } from './bindings/AssociationQuery';
import type { FoundationQuery } from './bindings/FoundationQuery';
import type { Entity } from './vocab';
import type { Parent } from './bindings/Parent';
import type { BatchFilter } from './sheets';
import type { PickedSyncFile } from './api';

/** An association in a meeting pack, as the pack page lists it. */
export type PackItem = { id: string; name: string; name_original: string | null; city: string | null };

/** The parts of the Synchronisation area. */
export type SyncTab = 'overview' | 'export' | 'import' | 'conflicts' | 'folder' | 'history';

/** The parts of the Daten area: spreadsheet import, duplicates, privacy, backups. */
export type DataTab = 'import' | 'duplicates' | 'privacy' | 'backups';

export type View =
  | { kind: 'overview' }
  | { kind: 'list'; entity: Entity }
  | { kind: 'detail'; entity: Entity; id: string }
  | { kind: 'edit'; entity: Entity; id: string | null; parent?: Parent }
  | { kind: 'settings'; section?: 'contacts'; back?: View }
  | { kind: 'reports' }
  | { kind: 'matching' }
  /** `file`: a sync file the app was asked to open (its import preview opens at once). */
  | { kind: 'sync'; tab: SyncTab; file?: PickedSyncFile }
  | { kind: 'data'; tab: DataTab }
  | { kind: 'sheets' }
  | { kind: 'sheet'; id: string }
  | { kind: 'pack'; foundationId: string };

export const app = $state({
  info: null as StartupInfo | null,
  view: { kind: 'overview' } as View,
  toast: '',
  /** Ids deleted since the app started: their delete can be undone until the app closes. */
  deletedThisSession: [] as string[],
  /** Cooperations deleted together with an organisation this session, by organisation id. */
  deletedWith: {} as Record<string, string[]>,
  /** The Abgleich page's choice, kept while the user looks at a match and comes back. */
  matching: { side: 'association', id: '' } as { side: 'association' | 'foundation'; id: string },
  /** Meeting packs being put together, by foundation id: kept while the user looks elsewhere. */
  packs: {} as Record<string, PackItem[]>,
  /** The Profilblätter page's batch filter, kept while the user looks elsewhere. */
  batch: { filter: { network: '', district: '', theme: '', status: '' } as BatchFilter },
  listQuery: {
    text: '',
    theme: null,
    target_group: null,
    city: null,
    network: null,
    state: null,
    district: null,
    status: null,
    sort: 'name',
    descending: false,
    offset: 0,
    limit: 50,
  } as AssociationQuery,
  foundationQuery: {
    text: '',
    theme: null,
    state: null,
    funding_area: null,
    sort: 'name',
    descending: false,
    offset: 0,
    limit: 50,
  } as FoundationQuery,
});

let toastTimer: ReturnType<typeof setTimeout> | undefined;

export function showToast(message: string) {
  app.toast = message;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (app.toast = ''), 4000);
}

export function go(view: View) {
  app.view = view;
  window.scrollTo?.(0, 0);
}

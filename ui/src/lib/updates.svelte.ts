// Updates found by the check at start or by the user, and the download's progress.
import { listen } from '@tauri-apps/api/event';
import { api, type UpdateInfo } from './api';
import { formatNumber } from './text';

export type Progress = { downloaded: number; total: number | null };

export const updates = $state({
  /** The newer release, once a check found one. */
  found: null as UpdateInfo | null,
  /** The banner about it was closed for this session. */
  dismissed: false,
  progress: null as Progress | null,
});

/** Follows the app's update events (the check at start runs in the background, and may have
 * found a release before the window listened). */
export async function watchUpdates() {
  await listen<UpdateInfo>('update-found', (event) => (updates.found = event.payload));
  await listen<Progress>('update-progress', (event) => (updates.progress = event.payload));
  updates.found ??= await api.foundUpdate();
}

/** "3,2 von 12,0 MB" / "3.2 of 12.0 MB"; only the downloaded part when the size is unknown. */
export function progressText(progress: Progress, lang: 'de' | 'en'): string {
  const mb = (bytes: number) => formatNumber(bytes / 1_000_000, lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (progress.total === null) return `${mb(progress.downloaded)} MB`;
  return `${mb(progress.downloaded)} ${lang === 'de' ? 'von' : 'of'} ${mb(progress.total)} MB`;
}

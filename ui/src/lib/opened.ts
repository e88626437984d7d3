// Sync files the app was asked to open: double-clicked in the file manager, or handed over by a
// second start. The app keeps the newest until the window takes it.
import { listen } from '@tauri-apps/api/event';
import { api, type PickedSyncFile } from './api';

/** Calls `open` with every file the app is asked to open, the one it started with first. */
export async function watchOpenedFiles(open: (file: PickedSyncFile) => void) {
  const take = async () => {
    const file = await api.takeOpenedSyncFile();
    if (file) open(file);
  };
  await listen('sync-file-opened', take);
  await take();
}

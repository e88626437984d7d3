// Wording for the Backups page: why a backup was made, its line in the list.
import type { BackupInfo } from './bindings/BackupInfo';
import type { BackupReason } from './bindings/BackupReason';
import type { Lang } from './bindings/Lang';
import { KEEP_MAX, KEEP_MIN } from './bindings/limits';
import { translate, type MessageKey } from './i18n.svelte';
import { formatBytes } from './sync';
import { formatDate } from './text';

/** A label for every reason Rust names (a new one fails the type check until it has one). */
const LABELS: Record<BackupReason, MessageKey> = {
  auto: 'backups.reason.auto',
  manuell: 'backups.reason.manuell',
  'vor-import': 'backups.reason.vor-import',
  'vor-tabellenimport': 'backups.reason.vor-tabellenimport',
  'vor-wiederherstellung': 'backups.reason.vor-wiederherstellung',
};

export function reasonLabel(reason: string, lang: Lang): string {
  return Object.hasOwn(LABELS, reason)
    ? translate(lang, LABELS[reason as BackupReason])
    : translate(lang, 'backups.reason.other', { reason });
}

/** "29.11.2026, 12:00 · Täglich (automatisch) · 2,1 MB · verschlüsselt" */
export function backupLine(b: BackupInfo, lang: Lang): string {
  const parts = [formatDate(b.created_at, lang, true), reasonLabel(b.reason, lang), formatBytes(b.size_bytes, lang)];
  if (b.encrypted) parts.push(translate(lang, 'backups.encrypted'));
  return parts.join(' · ');
}

/** The keep setting as typed: a whole number within the core's limits, else null. */
export function parseKeep(text: string): number | null {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= KEEP_MIN && n <= KEEP_MAX ? n : null;
}

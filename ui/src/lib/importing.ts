// Spreadsheet import in the UI: status labels, the rows a filter shows, the mapping checks.
import type { MessageKey } from './messages/de';
import type { ImportRowStatus } from './bindings/ImportRowStatus';
/** Per column of the file: the target field, or null when the column is skipped. */
export type Mapping = (string | null)[];
import type { TablePreviewRow } from './bindings/TablePreviewRow';

export const STATUS_KEYS: Record<ImportRowStatus, MessageKey> = {
  create: 'import.statusCreate',
  update: 'import.statusUpdate',
  unchanged: 'import.statusUnchanged',
  duplicate: 'import.statusDuplicate',
  reject: 'import.statusReject',
};

/** The rows the chosen filter shows ('all' or one status). */
export function filterRows(rows: TablePreviewRow[], status: ImportRowStatus | 'all'): TablePreviewRow[] {
  return status === 'all' ? rows : rows.filter((r) => r.status === status);
}

/** Sets a column's target; a target taken by another column is taken away from it. */
export function setTarget(mapping: Mapping, column: number, target: string | null): Mapping {
  return mapping.map((m, i) => (i === column ? target : m === target && target !== null ? null : m));
}

/** How many rows an import would write. */
export function writes(counts: { create: number; update: number }): number {
  return counts.create + counts.update;
}

/** Why an import writes nothing, as message keys with their counts: rejected, unchanged, duplicates. */
export function nothingParts(counts: { reject: number; unchanged: number; duplicate: number }): [MessageKey, number][] {
  const parts: [keyof typeof counts, MessageKey, MessageKey][] = [
    ['reject', 'import.part.reject', 'import.part.reject.one'],
    ['unchanged', 'import.part.unchanged', 'import.part.unchanged.one'],
    ['duplicate', 'import.part.duplicate', 'import.part.duplicate.one'],
  ];
  return parts.filter(([field]) => counts[field] > 0).map(([field, many, one]) => [counts[field] === 1 ? one : many, counts[field]]);
}

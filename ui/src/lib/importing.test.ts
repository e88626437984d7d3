import { describe, expect, it } from 'vitest';
import type { TablePreviewRow } from './bindings/TablePreviewRow';
import { filterRows, nothingParts, setTarget, STATUS_KEYS, writes } from './importing';
import de from './messages/de';

const row = (line: number, status: TablePreviewRow['status']): TablePreviewRow => ({
  line,
  status,
  target_id: null,
  target: null,
  duplicate_of_line: null,
  cells: [],
  errors: [],
  foreign_id: false,
});

describe('import', () => {
  it('moves a field to the column it is chosen for and skips columns', () => {
    expect(setTarget(['name', 'city', null], 2, 'name')).toEqual([null, 'city', 'name']);
    expect(setTarget(['name', 'city'], 1, null)).toEqual(['name', null]);
  });

  it('filters rows by status and counts the writes', () => {
    const rows = [row(2, 'create'), row(3, 'reject'), row(4, 'create')];
    expect(filterRows(rows, 'all')).toHaveLength(3);
    expect(filterRows(rows, 'reject').map((r) => r.line)).toEqual([3]);
    expect(writes({ create: 2, update: 1 })).toBe(3);
  });

  it('labels every status', () => {
    for (const key of Object.values(STATUS_KEYS)) expect(de[key]).toBeTruthy();
  });
});

describe('nothingParts', () => {
  it('says why nothing is imported, in the singular for one row, leaving out what is zero', () => {
    expect(nothingParts({ reject: 140, unchanged: 0, duplicate: 0 })).toEqual([['import.part.reject', 140]]);
    expect(nothingParts({ reject: 1, unchanged: 2, duplicate: 1 })).toEqual([
      ['import.part.reject.one', 1],
      ['import.part.unchanged', 2],
      ['import.part.duplicate.one', 1],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { backupLine, parseKeep, reasonLabel } from './backups';
import { KEEP_MAX, KEEP_MIN } from './bindings/limits';

describe('backups', () => {
  it('names the reasons in both languages, unknown ones as they are', () => {
    expect(reasonLabel('auto', 'de')).toBe('Täglich (automatisch)');
    expect(reasonLabel('vor-import', 'en')).toBe('Before sync import');
    expect(reasonLabel('<b>x</b>', 'de')).toBe('Sonstige (<b>x</b>)');
    // The copy before a spreadsheet import, named as Rust names it (REASON_IMPORT).
    expect(reasonLabel('vor-tabellenimport', 'de')).toBe('Vor Tabellenimport');
    expect(reasonLabel('vor-tabellenimport', 'en')).toBe('Before spreadsheet import');
    // Names of object properties are not reasons.
    expect(reasonLabel('toString', 'de')).toBe('Sonstige (toString)');
  });

  it('shows time, reason, size and encryption in one line', () => {
    const line = backupLine(
      {
        file_name: 'kozmos-20261129-120000-manuell.sqlite3.age',
        path: '/x',
        created_at: '2026-11-29T12:00:00Z',
        reason: 'manuell',
        automatic: false,
        encrypted: true,
        size_bytes: 2_200_000,
      },
      'de',
    );
    expect(line).toContain('29.11.2026');
    expect(line).toContain('Selbst angelegt · 2,1\u00a0MB · verschlüsselt');
  });

  it('accepts 1 to 365 as the number kept, as the core does', () => {
    expect(parseKeep(' 14 ')).toBe(14);
    expect([parseKeep(String(KEEP_MIN)), parseKeep(String(KEEP_MAX))]).toEqual([1, 365]);
    for (const bad of ['', '  ', '0', '366', '2.5', 'abc', '-3', '1e3', '<b>7</b>']) expect(parseKeep(bad)).toBeNull();
  });
});

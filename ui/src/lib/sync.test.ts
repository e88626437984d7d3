import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from './bindings/HistoryEntry';
import type { StartupInfo } from './bindings/StartupInfo';
import type { SyncStatus } from './bindings/SyncStatus';
import {
  aheadText,
  confirmationMissing,
  countsText,
  fieldLabel,
  fileName,
  formatBytes,
  historyAmount,
  leftOutLabel,
  massChangeText,
  needsMassConfirm,
  networkLabel,
  networkShort,
  outcomeLabel,
  passphraseProblem,
  profileLabel,
  profileShort,
  recordLabel,
  recordsRangeText,
  shortSite,
  siteLabel,
  tableLabel,
  valueText,
} from './sync';

const HERE = '0190a1b2-0000-7000-8000-00000000000a';
const THERE = 'd031e0d2-4cc3-48b5-9d69-52b635bf453b';

const term = (code: string, de: string, en: string) => ({ code, de, en });

const info = {
  installation: { site_id: HERE, network: 'migranetz', volunteer: 'Bernd', ui_lang: 'de', created_at: '' },
  database_path: '/tmp/x.sqlite3',
  vocabularies: {
    themes: [term('kultur', 'Kunst & Kultur', 'Arts & culture'), term('bildung', 'Bildung', 'Education')],
    districts: [{ code: '15003', name: 'Magdeburg', state: 'ST' }],
    site_networks: [term('lamsa', 'LAMSA e.V. (Sachsen-Anhalt)', 'LAMSA e.V. (Saxony-Anhalt)'), term('migranetz', 'MigraNetz Thüringen', 'MigraNetz Thuringia')],
    consent_purposes: [term('share', 'Weitergabe an das andere Netzwerk', 'Sharing with the other network')],
    consent_statuses: [term('given', 'erteilt', 'given')],
    consent_channels: [],
    activity_kinds: [term('call', 'Anruf', 'Call')],
    stages: [term('idee', 'Idee', 'Idea')],
  },
  association_fields: [
    { name: 'name', kind: 'text', de: 'Name', en: 'Name' },
    { name: 'city', kind: 'text', de: 'Ort', en: 'Town' },
    { name: 'district', kind: 'code', de: 'Landkreis', en: 'District' },
    { name: 'themes', kind: 'codes', de: 'Themen', en: 'Themes' },
    { name: 'members', kind: 'number', de: 'Mitglieder', en: 'Members' },
    { name: 'notice_date', kind: 'date', de: 'Datum des Bescheids', en: 'Notice date' },
  ],
  foundation_fields: [{ name: 'grant_max', kind: 'money', de: 'Fördersumme bis', en: 'Grants up to' }],
  person_fields: [],
  cooperation_fields: [{ name: 'stage', kind: 'code', de: 'Phase', en: 'Stage' }],
  project_fields: [],
  idea_fields: [],
} as unknown as StartupInfo;

const status = {
  site: HERE,
  network: 'migranetz',
  peers: [{ site: THERE, network: 'lamsa', last_seen: '2026-11-29T18:51:21Z', has_ours_until: null }],
  open_conflicts: 1,
  folder: null,
  folder_profile: 'consented',
  folder_encrypted: false,
  recent: [],
} as SyncStatus;

describe('records and fields of a preview or conflict', () => {
  it('name the record type in words, and say what an unknown table is called', () => {
    expect(tableLabel('associations', 'de')).toBe('Verein');
    expect(tableLabel('activities', 'en')).toBe('Log entry');
    expect(tableLabel('spaceships', 'de')).toBe('spaceships');
  });

  it('label fields from the field descriptions, else the catalogs, else by their column', () => {
    expect(fieldLabel(info, 'associations', 'city', 'de')).toBe('Ort');
    expect(fieldLabel(info, 'associations', 'city', 'en')).toBe('Town');
    expect(fieldLabel(info, 'associations', '_life', 'de')).toBe('Zustand');
    expect(fieldLabel(info, 'consents', 'status', 'de')).toBe('Einwilligung');
    expect(fieldLabel(info, 'activities', 'stage_to', 'en')).toBe('Stage after');
    expect(fieldLabel(info, 'associations', 'mystery', 'de')).toBe('mystery');
  });

  it('show values the way the record views do: labels for codes, euros, dates, grouped numbers', () => {
    expect(valueText(info, 'associations', 'district', '15003', 'de')).toBe('Magdeburg');
    expect(valueText(info, 'associations', 'themes', 'kultur, bildung', 'en')).toBe('Arts & culture, Education');
    expect(valueText(info, 'associations', 'members', '1200', 'de')).toBe('1.200');
    expect(valueText(info, 'associations', 'notice_date', '2027-03-31', 'de')).toBe('31.03.2027');
    expect(valueText(info, 'foundations', 'grant_max', '2500050', 'de')).toBe('25.000,50\u00a0€');
    expect(valueText(info, 'cooperations', 'stage', 'idee', 'en')).toBe('Idea');
    expect(valueText(info, 'consents', 'status', 'given', 'de')).toBe('erteilt');
    expect(valueText(info, 'activities', 'kind', 'call', 'de')).toBe('Anruf');
    expect(valueText(info, 'persons', '_life', 'purged', 'de')).toBe('anonymisiert');
    expect(valueText(info, 'associations', 'city', 'Gera', 'de')).toBe('Gera');
    expect(valueText(info, 'associations', 'city', '', 'de')).toBe('');
  });

  it('keep user text as it is, whatever it looks like', () => {
    const text = '<img src=x onerror=alert(1)> {n}';
    expect(valueText(info, 'associations', 'city', text, 'de')).toBe(text);
    expect(recordLabel(info, 'associations', text, 'de')).toBe(text);
  });

  it('name records by their label; consents and log entries by purpose or kind; erased persons as such', () => {
    expect(recordLabel(info, 'associations', 'Hội người Việt Erfurt', 'de')).toBe('Hội người Việt Erfurt');
    expect(recordLabel(info, 'consents', 'share', 'de')).toBe('Weitergabe an das andere Netzwerk');
    expect(recordLabel(info, 'activities', 'call', 'en')).toBe('Call');
    expect(recordLabel(info, 'persons', '', 'de')).toBe('(anonymisiert)');
    expect(recordLabel(info, 'associations', '', 'en')).toBe('(no name)');
  });

  it('translate outcomes, profiles and what a profile left out', () => {
    expect(outcomeLabel('purged', 'de')).toBe('anonymisiert');
    expect(outcomeLabel('new', 'en')).toBe('new');
    expect(profileLabel('no-persons', 'de')).toBe('Ohne Kontaktpersonen');
    expect(profileLabel('weird', 'de')).toBe('weird');
    expect(profileShort('consented', 'de')).toBe('mit Einwilligung');
    expect(profileShort('all', 'en')).toBe('all data');
    expect(leftOutLabel('persons-without-consent', 'en')).toMatch(/^contact persons without consent/);
    expect(leftOutLabel('something-new', 'de')).toBe('something-new');
  });
});

describe('installations', () => {
  it('tell this installation, a known peer by its network, and others by a short id', () => {
    expect(siteLabel(info, status, HERE, 'de')).toBe('diese Installation');
    expect(siteLabel(info, status, THERE, 'de')).toBe('LAMSA e.V. (d031e0d2)');
    expect(siteLabel(info, status, THERE, 'de', false)).toBe('LAMSA e.V.');
    expect(siteLabel(info, null, THERE, 'en')).toBe('d031e0d2');
    expect(shortSite(THERE)).toBe('d031e0d2');
    expect(networkLabel(info, null, 'de')).toBe('unbekanntes Netzwerk');
    expect(networkLabel(info, 'migranetz', 'en')).toBe('MigraNetz Thuringia');
    expect(networkLabel(info, 'lamsa', 'de')).toBe('LAMSA e.V. (Sachsen-Anhalt)');
    expect(networkShort(info, 'lamsa', 'en')).toBe('LAMSA e.V.');
    expect(networkShort(info, 'migranetz', 'de')).toBe('MigraNetz Thüringen');
  });

  it('take the file name from a path with either kind of slash', () => {
    expect(fileName('/home/anna/kozmos-lamsa-2026-11-29.kozmos-sync')).toBe('kozmos-lamsa-2026-11-29.kozmos-sync');
    expect(fileName('C:\\Users\\anna\\a.kozmos-sync')).toBe('a.kozmos-sync');
    expect(fileName('plain')).toBe('plain');
  });
});

describe('sizes, clocks and counts', () => {
  it('write sizes in bytes, KB and MB the way each language writes numbers', () => {
    expect(formatBytes(985, 'de')).toBe('985\u00a0Byte');
    expect(formatBytes(985, 'en')).toBe('985\u00a0bytes');
    expect(formatBytes(12_595, 'de')).toBe('12,3\u00a0KB');
    expect(formatBytes(3 * 1024 * 1024 + 300_000, 'en')).toBe('3.3\u00a0MB');
  });

  it('say roughly how far a clock runs ahead', () => {
    expect(aheadText(12 * 60_000, 'de')).toBe('etwa 12 Minuten');
    expect(aheadText(5 * 3_600_000, 'en')).toBe('about 5 hours');
    expect(aheadText(3 * 86_400_000, 'de')).toBe('etwa 3 Tage');
  });

  it('list only the counts that are not zero, in a fixed order', () => {
    const counts = { new: 2, changed: 0, deleted: 0, restored: 0, purged: 1, unchanged: 40, conflicts: 1, duplicates: 0 };
    // A number stays on the line of its word (no-break space).
    const plain = (text: string) => text.replaceAll('\u00a0', ' ');
    expect(countsText(counts, 'de')).toBe('2\u00a0neu · 1\u00a0anonymisiert · 1\u00a0Konflikt');
    expect(plain(countsText({ ...counts, conflicts: 3, duplicates: 1 }, 'en'))).toBe('2 new · 1 erased · 3 conflicts · 1 possible duplicate');
    expect(plain(countsText({ ...counts, new: 1200 }, 'de'))).toBe('1.200 neu · 1 anonymisiert · 1 Konflikt');
    expect(countsText({ ...counts, new: 0, purged: 0, conflicts: 0 }, 'en')).toBe('nothing new');
  });

  it('sum up history entries: exports by records and size, imports by their counts', () => {
    const base: HistoryEntry = {
      id: 1,
      at: '2026-11-29T18:51:21Z',
      direction: 'export',
      peer: null,
      peer_network: null,
      export_id: 'x',
      file_sha256: 'y',
      file_name: 'a.kozmos-sync',
      profile: 'consented',
      full: true,
      encrypted: false,
      counts: { rows: 1234, fields: 76, bytes: 985 },
      undone_at: null,
    };
    expect(historyAmount(base, 'de')).toBe('1.234 Einträge, 985\u00a0Byte');
    expect(historyAmount({ ...base, counts: { rows: 1, fields: 30, bytes: 2048 } }, 'en')).toBe('1 record, 2\u00a0KB');
    expect(historyAmount({ ...base, direction: 'import', counts: { new: 2, unchanged: 3 } }, 'en')).toBe('2\u00a0new');
  });
});

describe('the passphrase of an export', () => {
  it('is needed only when encrypting, and must be typed the same twice', () => {
    expect(passphraseProblem(false, '', '')).toBeNull();
    expect(passphraseProblem(true, '', '')).toEqual({ field: 'passphrase', key: 'sync.passphraseMissing' });
    expect(passphraseProblem(true, 'Pferd Batterie', 'Pferd Baterie')).toEqual({ field: 'repeat', key: 'sync.passphraseMismatch' });
    expect(passphraseProblem(true, 'Pferd Batterie', 'Pferd Batterie')).toBeNull();
  });
});

describe('mass changes', () => {
  const erasing = { table: 'persons', kind: 'purged' as const, count: 6, table_size: 20 };
  const preview = (mass: (typeof erasing)[], level: 'ok' | 'warn' | 'confirm' = 'ok', already: string | null = null) => ({
    already_imported: already,
    mass_changes: mass,
    clock: { ahead_ms: 0, level },
  });

  it('asks for the extra confirmation only when the file has mass changes and was not imported before', () => {
    expect(needsMassConfirm(preview([]))).toBe(false);
    expect(needsMassConfirm(preview([erasing]))).toBe(true);
    expect(needsMassConfirm(preview([erasing], 'ok', '2026-12-04T10:00:00Z'))).toBe(false);
  });

  it('keeps apply disabled until every needed confirmation is ticked', () => {
    expect(confirmationMissing(preview([]), false, false)).toBe(false);
    expect(confirmationMissing(preview([erasing]), false, false)).toBe(true);
    expect(confirmationMissing(preview([erasing]), true, false)).toBe(true);
    expect(confirmationMissing(preview([erasing]), false, true)).toBe(false);
    expect(confirmationMissing(preview([erasing], 'confirm'), false, true)).toBe(true);
    expect(confirmationMissing(preview([erasing], 'confirm'), true, true)).toBe(false);
    expect(confirmationMissing(preview([], 'warn'), false, false)).toBe(false);
  });

  it('says what would happen in both languages', () => {
    expect(massChangeText(erasing, 'de')).toBe('Kontaktperson: 6 von 20 würden anonymisiert (endgültig gelöscht)');
    expect(massChangeText({ ...erasing, kind: 'deleted', table: 'associations', count: 1200, table_size: 5000 }, 'en')).toBe(
      'Association: 1,200 of 5,000 would be deleted',
    );
  });
});

describe('recordsRangeText', () => {
  it('names the records on the page and the total in the UI language', () => {
    expect(recordsRangeText(0, 100, 1234, 'de')).toBe('Einträge 1–100 von 1.234');
    expect(recordsRangeText(1200, 34, 1234, 'en')).toBe('Records 1,201–1,234 of 1,234');
    expect(recordsRangeText(0, 0, 0, 'de')).toBe('Einträge 0–0 von 0');
  });
});

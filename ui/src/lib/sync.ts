// Sync files in words: record types, fields and values of a preview or conflict, sites, sizes,
// counts and the history, in the UI's language.
import type { Counts } from './bindings/Counts';
import type { FieldDescription } from './bindings/FieldDescription';
import type { HistoryEntry } from './bindings/HistoryEntry';
import type { Lang } from './bindings/Lang';
import type { MassChange } from './bindings/MassChange';
import type { Outcome } from './bindings/Outcome';
import type { Preview } from './bindings/Preview';
import type { Profile } from './bindings/Profile';
import type { StartupInfo } from './bindings/StartupInfo';
import type { SyncStatus } from './bindings/SyncStatus';
import { catalogs, translate, type MessageKey } from './i18n.svelte';
import { formatDate, formatNumber } from './text';
import { formatEuro, termLabel, vocabFor, type Entity } from './vocab';

/** The column name of a record's life (alive, deleted, erased) in previews and conflicts. */
export const LIFE = '_life';

/** The privacy profiles, most private first. */
export const PROFILES: readonly Profile[] = ['no-persons', 'consented', 'all'];

/** The counts a preview or an import shows, in this order ("unchanged" is told apart). */
export const COUNT_KEYS = ['new', 'changed', 'deleted', 'restored', 'purged', 'withheld', 'conflicts', 'duplicates'] as const;

/** Records per page of a preview's list (the preview carries the first; as `sync::detail::PAGE_RECORDS`). */
export const PREVIEW_PAGE = 100;

/** The record type of a synced table in the UI (consents and log entries have no forms of their own). */
const ENTITY: Record<string, Entity | undefined> = {
  associations: 'association',
  foundations: 'foundation',
  persons: 'person',
  cooperations: 'cooperation',
  projects: 'project',
  ideas: 'idea',
};

const FIELDS: Record<Entity, keyof StartupInfo> = {
  association: 'association_fields',
  foundation: 'foundation_fields',
  person: 'person_fields',
  cooperation: 'cooperation_fields',
  project: 'project_fields',
  idea: 'idea_fields',
};

/** A message by a key made at run time; the fallback when the catalogs have no such key. */
function known(lang: Lang, key: string, fallback: string): string {
  return key in catalogs.de ? translate(lang, key as MessageKey) : fallback;
}

/** A synced table as a record type in words ("associations" → "Verein"). */
export function tableLabel(table: string, lang: Lang): string {
  return known(lang, `sync.table.${table}`, table);
}

/** The first eight characters of a site id: enough to tell installations apart. */
export function shortSite(site: string): string {
  return site.slice(0, 8);
}

/** The last part of a path (either kind of slash). */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** A field's description from the startup info, when its table has a form. */
export function fieldOf(info: StartupInfo, table: string, field: string): FieldDescription | undefined {
  const entity = ENTITY[table];
  if (!entity) return undefined;
  return (info[FIELDS[entity]] as FieldDescription[]).find((f) => f.name === field);
}

/** A field's label: from the field descriptions, else the catalogs (life, consents, log entries). */
export function fieldLabel(info: StartupInfo, table: string, field: string, lang: Lang): string {
  if (field === LIFE) return translate(lang, 'sync.field.life');
  const described = fieldOf(info, table, field);
  if (described) return lang === 'en' ? described.en : described.de;
  return known(lang, `sync.field.${field}`, field);
}

/** The code list a field of a table without a form takes its labels from. */
function extraVocab(info: StartupInfo, table: string, field: string) {
  const v = info.vocabularies;
  if (table === 'consents') {
    return { purpose: v.consent_purposes, status: v.consent_statuses, channel: v.consent_channels }[field];
  }
  if (table === 'activities') {
    return { kind: v.activity_kinds, stage_from: v.stages, stage_to: v.stages }[field];
  }
  return undefined;
}

/** A stored value (as the core shows it: lists joined with ", ") the way the record views show it:
 *  labels for codes, dates and amounts the language's way. Empty stays empty. */
export function valueText(info: StartupInfo, table: string, field: string, value: string, lang: Lang): string {
  if (value === '') return '';
  if (field === LIFE) return known(lang, `sync.life.${value}`, value);
  const extra = extraVocab(info, table, field);
  if (extra) return termLabel(extra, value, lang);
  const described = fieldOf(info, table, field);
  const entity = ENTITY[table];
  if (!described || !entity) return value;
  const label = (code: string) => termLabel(vocabFor(entity, field, info.vocabularies, lang), code, lang);
  const parts = () => value.split(', ');
  switch (described.kind) {
    case 'code':
      return label(value);
    case 'codes':
      return parts().map(label).join(', ');
    case 'money':
      return /^-?\d+$/.test(value) ? formatEuro(Number(value), lang) : value;
    case 'number':
      return /^-?\d+$/.test(value) ? formatNumber(Number(value), lang) : value;
    case 'date':
      return formatDate(value, lang);
    case 'dates':
      return parts().map((d) => formatDate(d, lang)).join(', ');
    default:
      return value;
  }
}

/** The name a record is known by; consents and log entries by their purpose or kind. */
export function recordLabel(info: StartupInfo, table: string, label: string, lang: Lang): string {
  if (table === 'consents') return termLabel(info.vocabularies.consent_purposes, label, lang) || translate(lang, 'sync.unnamed');
  if (table === 'activities') return termLabel(info.vocabularies.activity_kinds, label, lang) || translate(lang, 'sync.unnamed');
  if (label === '') return translate(lang, table === 'persons' ? 'person.erased' : 'sync.unnamed');
  return label;
}

export function outcomeLabel(outcome: Outcome, lang: Lang): string {
  return translate(lang, `sync.outcome.${outcome}`);
}

export function profileLabel(profile: string, lang: Lang): string {
  return known(lang, `sync.profile.${profile}`, profile);
}

/** What a profile left out, from the codes in a file's header. */
export function leftOutLabel(code: string, lang: Lang): string {
  return known(lang, `sync.leftOut.${code}`, code);
}

export function networkLabel(info: StartupInfo, network: string | null | undefined, lang: Lang): string {
  return network ? termLabel(info.vocabularies.site_networks, network, lang) : translate(lang, 'sync.unknownNetwork');
}

/** A network's name without the region in brackets ("LAMSA e.V. (Sachsen-Anhalt)" → "LAMSA e.V."), for tables. */
export function networkShort(info: StartupInfo, network: string | null | undefined, lang: Lang): string {
  return networkLabel(info, network, lang).replace(/\s*\([^)]*\)\s*$/, '');
}

/** A profile's short name, for tables. */
export function profileShort(profile: string, lang: Lang): string {
  return known(lang, `sync.profileShort.${profile}`, profile);
}

/** An installation in words: this one, a peer by its network (with its short id unless `withId` is
 *  false), else its short id. */
export function siteLabel(info: StartupInfo, status: SyncStatus | null, site: string, lang: Lang, withId = true): string {
  if (site === info.installation.site_id) return translate(lang, 'sync.thisSite');
  const peer = status?.peers.find((p) => p.site === site);
  const short = shortSite(site);
  if (!peer?.network) return short;
  const network = networkShort(info, peer.network, lang);
  return withId ? `${network} (${short})` : network;
}

/** A file size: bytes, then KB and MB with one decimal (the unit stays on the number's line). */
export function formatBytes(bytes: number, lang: Lang): string {
  if (bytes < 1024) return translate(lang, 'sync.bytes', { n: bytes });
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${formatNumber(value, lang, { maximumFractionDigits: 1 })}\u00a0${unit}`;
}

/** How far another computer's clock runs ahead, roughly: minutes, hours or days. */
export function aheadText(ms: number, lang: Lang): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 120) return translate(lang, 'sync.minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return translate(lang, 'sync.hours', { n: hours });
  return translate(lang, 'sync.days', { n: Math.round(hours / 24) });
}

/** The counts that are not zero, as "2 neu · 1 geändert"; "nothing new" when all are. */
export function countsText(counts: Partial<Counts> | Record<string, number>, lang: Lang): string {
  const c = counts as Record<string, number | undefined>;
  const parts = COUNT_KEYS.filter((k) => (c[k] ?? 0) > 0).map((k) => {
    const n = c[k] ?? 0;
    const what = translate(lang, n === 1 ? `sync.count1.${k}` : `sync.count.${k}`);
    return translate(lang, 'sync.countPart', { n, what });
  });
  return parts.length > 0 ? parts.join(' · ') : translate(lang, 'sync.nothingNew');
}

/** What an export or import moved, in a few words. */
export function historyAmount(entry: HistoryEntry, lang: Lang): string {
  const c = entry.counts ?? {};
  if (entry.direction === 'export') {
    const rows = c.rows ?? 0;
    const size = formatBytes(c.bytes ?? 0, lang);
    if (rows === 1) return translate(lang, 'sync.exportAmount1', { size });
    return translate(lang, 'sync.exportAmount', { rows, size });
  }
  return countsText(c, lang);
}

/** Whether the two passphrase fields are fine to export with: the message key of the problem, if any. */
export function passphraseProblem(
  encrypt: boolean,
  passphrase: string,
  repeat: string,
): { field: 'passphrase' | 'repeat'; key: MessageKey } | null {
  if (!encrypt) return null;
  if (passphrase === '') return { field: 'passphrase', key: 'sync.passphraseMissing' };
  if (repeat !== passphrase) return { field: 'repeat', key: 'sync.passphraseMismatch' };
  return null;
}

/** Whether applying the previewed file needs the extra confirmation of its mass changes. */
export function needsMassConfirm(preview: Pick<Preview, 'already_imported' | 'mass_changes'>): boolean {
  return !preview.already_imported && preview.mass_changes.length > 0;
}

/** Whether a confirmation the file needs is not yet ticked: its clock far ahead, its mass changes. */
export function confirmationMissing(
  preview: Pick<Preview, 'already_imported' | 'mass_changes' | 'clock'>,
  clockAccepted: boolean,
  massConfirmed: boolean,
): boolean {
  return (preview.clock.level === 'confirm' && !clockAccepted) || (needsMassConfirm(preview) && !massConfirmed);
}

/** One mass change in words: "Kontaktperson: 6 von 20 würden anonymisiert". */
export function massChangeText(m: MassChange, lang: Lang): string {
  return translate(lang, `sync.mass.${m.kind}` as MessageKey, {
    table: tableLabel(m.table, lang),
    count: m.count,
    size: m.table_size,
  });
}

/** Which records of a preview a page shows: "Einträge 101–200 von 1.234". */
export function recordsRangeText(offset: number, shown: number, total: number, lang: Lang): string {
  const from = shown === 0 ? 0 : offset + 1;
  return translate(lang, 'sync.recordsRange', { from, to: offset + shown, total });
}

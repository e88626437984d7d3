// Profile sheets in the UI: page pictures as data URLs, the meeting pack's list, the batch filter
// and the warnings the core reports, grouped for showing.
import type { AssociationQuery } from './bindings/AssociationQuery';
import type { Lang } from './bindings/Lang';
import type { Match } from './bindings/Match';
import type { SheetWarning } from './bindings/SheetWarning';
import type { UiCode } from './bindings/UiCode';
import { translate, type MessageKey } from './i18n.svelte';

/** How many of the best matches "take the best matches" adds to a meeting pack. */
export const BEST_MATCHES = 5;

/** The most associations in one meeting pack (the core's PACK_MAX). */
export const PACK_MAX = 60;

/** The code of the warning that says a network's KOZMOS contact is not set yet. */
export const CONTACT_MISSING: UiCode = 'kozmos_contact_missing';

/**
 * An SVG document as a data URL for an <img>. The bytes are UTF-8 and base64-encoded, so any
 * character (should an SVG ever hold one beyond ASCII) arrives unchanged.
 */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** The list with the item at `index` moved by `delta` places (clamped to the ends); a new array. */
export function moveItem<T>(list: readonly T[], index: number, delta: number): T[] {
  const out = [...list];
  if (index < 0 || index >= out.length) return out;
  const target = Math.max(0, Math.min(out.length - 1, index + delta));
  const [item] = out.splice(index, 1);
  out.splice(target, 0, item);
  return out;
}

/** The list with the item at `index` removed; a new array. */
export function removeItem<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** Appends the items whose id is not in the list yet (nor twice among themselves), up to `max`. */
export function addUnique<T extends { id: string }>(
  list: readonly T[],
  items: readonly T[],
  max = PACK_MAX,
): { list: T[]; added: number; skipped: number } {
  const out = [...list];
  const ids = new Set(out.map((i) => i.id));
  let added = 0;
  let skipped = 0;
  for (const item of items) {
    if (ids.has(item.id) || out.length >= max) {
      skipped += 1;
      continue;
    }
    ids.add(item.id);
    out.push(item);
    added += 1;
  }
  return { list: out, added, skipped };
}

/** The ids of the best `count` eligible matches, best first (the core ranks them). */
export function bestMatchIds(matches: readonly Match[], count = BEST_MATCHES): string[] {
  return matches.filter((m) => m.eligible).slice(0, count).map((m) => m.association_id);
}

/** The batch filter: a network, and optionally a district, a theme and a status. */
export interface BatchFilter {
  network: string;
  district: string;
  theme: string;
  status: string;
}

/** The association query a batch filter stands for (every page: the core reads them all). */
export function batchQuery(filter: BatchFilter): AssociationQuery {
  return {
    text: '',
    theme: filter.theme || null,
    target_group: null,
    city: null,
    network: filter.network || null,
    state: null,
    district: filter.district || null,
    status: filter.status || null,
    sort: 'name',
    descending: false,
    offset: 0,
    limit: 1,
  };
}

/** One message, and the associations whose sheets it concerns (in the order first seen). */
export interface WarningGroup {
  code: string;
  message_de: string;
  message_en: string;
  associations: string[];
}

/** Warnings with the same message put together, so a batch names "no KOZMOS contact" once. */
export function groupWarnings(warnings: readonly SheetWarning[]): WarningGroup[] {
  const groups = new Map<string, WarningGroup>();
  for (const w of warnings) {
    const key = `${w.code}\u0000${w.message_de}`;
    let group = groups.get(key);
    if (!group) {
      group = { code: w.code, message_de: w.message_de, message_en: w.message_en, associations: [] };
      groups.set(key, group);
    }
    if (!group.associations.includes(w.association_name)) group.associations.push(w.association_name);
  }
  return [...groups.values()];
}

/** True when a sheet names only the organisation because the KOZMOS contact is not set. */
export function contactMissing(warnings: readonly SheetWarning[]): boolean {
  return warnings.some((w) => w.code === CONTACT_MISSING);
}

/** A count in words, singular for one ("1 Seite", "2 Seiten"): `key1` is the singular's key. */
export function counted(lang: Lang, key: MessageKey, n: number): string {
  const one = `${key}1` as MessageKey;
  return translate(lang, n === 1 ? one : key, { n });
}

/** Names for a list of associations: the first few, then how many more. */
export function someNames(names: readonly string[], lang: Lang, shown = 4): string {
  if (names.length <= shown) return names.join(', ');
  return translate(lang, 'sheets.andMore', { names: names.slice(0, shown).join(', '), n: names.length - shown });
}

// The licence list under "Über KOZMOS", as scripts/licenses.mjs writes it at build time.

export type ComponentKind = 'font' | 'crate' | 'npm';

export type Component = {
  kind: ComponentKind;
  name: string;
  version: string | null;
  /** SPDX expression, e.g. "MIT OR Apache-2.0". */
  license: string;
  repository: string | null;
  /** Keys into `LicenseList.texts`: the licence files the component ships (may be none). */
  texts: string[];
};

export type LicenseList = { components: Component[]; texts: Record<string, string> };

export const KINDS: ComponentKind[] = ['font', 'crate', 'npm'];

/** The components of one kind whose name or licence contains `filter` (any case), by name. */
export function componentsOf(list: LicenseList, kind: ComponentKind, filter: string): Component[] {
  const needle = filter.trim().toLowerCase();
  return list.components
    .filter((c) => c.kind === kind)
    .filter((c) => needle === '' || c.name.toLowerCase().includes(needle) || c.license.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** How many components use each licence expression, most used first. */
export function licenseCounts(list: LicenseList): { license: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const c of list.components) counts.set(c.license, (counts.get(c.license) ?? 0) + 1);
  return [...counts].map(([license, count]) => ({ license, count })).sort((a, b) => b.count - a.count || a.license.localeCompare(b.license));
}

// Small text helpers for forms and display.

/** The locale a UI language writes numbers and dates in. */
export function localeOf(lang: 'de' | 'en'): string {
  return lang === 'en' ? 'en-GB' : 'de-DE';
}

/** A number the way the language writes it: 1.092 in German, 1,092 in English. */
export function formatNumber(value: number, lang: 'de' | 'en', options?: Intl.NumberFormatOptions): string {
  return value.toLocaleString(localeOf(lang), options);
}

/** Lines of a textarea as list entries: trimmed, empty lines dropped. */
export function linesToList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export function listToLines(list: readonly string[]): string {
  return list.join('\n');
}

/** Calls `fn` once calls have paused for `ms` milliseconds. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** A date (YYYY-MM-DD or RFC 3339) the way the language writes it. */
export function formatDate(iso: string | null | undefined, lang: 'de' | 'en', withTime = false): string {
  if (!iso) return '';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = withTime
    ? { dateStyle: 'medium', timeStyle: 'short' }
    : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(localeOf(lang), options).format(date);
}

/** True when a YYYY-MM-DD date lies before today. */
export function isPast(isoDate: string, today: Date = new Date()): boolean {
  const day = today.toISOString().slice(0, 10);
  return isoDate < day;
}

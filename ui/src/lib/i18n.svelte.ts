// The UI language and its message catalogs. German by default.
import de, { type MessageKey } from './messages/de';
import en from './messages/en';
import type { Lang } from './bindings/Lang';
import { formatNumber } from './text';

export type { MessageKey };

export const catalogs: Record<Lang, Record<MessageKey, string>> = { de, en };

let current = $state<Lang>('de');

export const i18n = {
  get lang(): Lang {
    return current;
  },
  set lang(value: Lang) {
    current = value;
    document.documentElement.lang = value;
  },
};

/** Fills "{name}" placeholders; a number is written the way `lang` writes it (1.092, 1,092). */
export function format(template: string, params: Record<string, string | number> = {}, lang: Lang = 'de'): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (!(key in params)) return whole;
    const value = params[key];
    return typeof value === 'number' ? formatNumber(value, lang) : value;
  });
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return format(catalogs[lang][key] ?? catalogs.de[key] ?? key, params, lang);
}

/** A UI string in the current language. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(current, key, params);
}

/** Picks the German or English text of a bilingual pair (labels, messages from the core). */
export function pick(de: string, en: string): string {
  return current === 'en' ? en : de;
}

import { describe, expect, it } from 'vitest';
import de from './messages/de';
import en from './messages/en';
import { format, translate } from './i18n.svelte';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it('have the same keys in German and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
  });

  it('have no empty strings and the same placeholders in both languages', () => {
    for (const key of Object.keys(de) as (keyof typeof de)[]) {
      expect(de[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(de[key]));
    }
  });

  it('fill placeholders and leave unknown ones visible', () => {
    expect(translate('de', 'list.count', { from: 1, to: 50, total: 140 })).toBe('1–50 von 140');
    expect(translate('en', 'list.count', { from: 1, to: 50, total: 140 })).toBe('1–50 of 140');
    expect(format('{a} und {b}', { a: 'x' })).toBe('x und {b}');
  });

  it('write numbers the way the language does, and leave text as it is', () => {
    expect(translate('de', 'reminders.many', { n: 1092 })).toBe('1.092 nächste Schritte sind überfällig:');
    expect(translate('en', 'reminders.many', { n: 1092 })).toBe('1,092 next steps are overdue:');
    expect(translate('de', 'list.count', { from: 1001, to: 1050, total: 14000 })).toBe('1.001–1.050 von 14.000');
    expect(translate('de', 'confirm.deleteText', { name: 'Verein 1092' })).toContain('Verein 1092');
  });

  it('never interpret user text as a placeholder pattern', () => {
    const name = '<img src=x onerror=alert(1)> {total} $&';
    expect(translate('de', 'confirm.deleteText', { name })).toContain(name);
  });
});

import { describe, expect, it } from 'vitest';
import type { Vocabularies } from './bindings/Vocabularies';
import { districtName, sortedByLabel, termLabel, vocabFor } from './vocab';

const term = (code: string, de: string, en: string) => ({ code, de, en });
const vocab: Vocabularies = {
  themes: [{ code: 'bildung', de: 'Bildung & Weiterbildung', en: 'Education', para52: [7] }],
  target_groups: [term('youth', 'Jugendliche', 'Youth')],
  support_kinds: [term('advice', 'Beratung', 'Advice')],
  legal_forms: [term('ev', 'eingetragener Verein (e.V.)', 'Registered association (e.V.)')],
  charitable_statuses: [],
  notice_kinds: [],
  networks: [term('lamsa', 'LAMSA', 'LAMSA')],
  site_networks: [term('lamsa', 'LAMSA', 'LAMSA'), term('other', 'andere Stelle', 'Other')],
  states: [term('TH', 'Thüringen', 'Thuringia')],
  districts: [{ code: '16053', name: 'Jena', state: 'TH', city: true }],
  budget_bands: [],
  statuses: [],
  languages: [term('uk', 'Ukrainisch', 'Ukrainian'), term('ar', 'Arabisch', 'Arabic'), term('de', 'Deutsch', 'German')],
};

describe('vocabularies', () => {
  it('show labels for codes and the code itself when unknown', () => {
    expect(termLabel(vocab.themes, 'bildung', 'de')).toBe('Bildung & Weiterbildung');
    expect(termLabel(vocab.themes, 'bildung', 'en')).toBe('Education');
    expect(termLabel(vocab.themes, 'unbekannt', 'de')).toBe('unbekannt');
    expect(termLabel(vocab.themes, null, 'de')).toBe('');
    expect(districtName(vocab, '16053')).toBe('Jena');
  });

  it('give each code field its vocabulary', () => {
    expect(vocabFor('themes', vocab, 'de')).toBe(vocab.themes);
    expect(vocabFor('needs', vocab, 'de')).toBe(vocab.support_kinds);
    expect(vocabFor('district', vocab, 'de')).toEqual([term('16053', 'Jena', 'Jena')]);
    expect(vocabFor('owner_network', vocab, 'de').map((t) => t.code)).toEqual(['lamsa']);
    expect(vocabFor('city', vocab, 'de')).toEqual([]);
  });

  it('sort long pick lists by label in the language', () => {
    expect(sortedByLabel(vocab.languages, 'de').map((t) => t.code)).toEqual(['ar', 'de', 'uk']);
    expect(sortedByLabel(vocab.languages, 'en').map((t) => t.code)).toEqual(['ar', 'de', 'uk']);
  });
});

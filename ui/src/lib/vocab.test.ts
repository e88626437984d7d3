import { describe, expect, it } from 'vitest';
import type { Vocabularies } from './bindings/Vocabularies';
import { districtName, formatEuro, sortedByLabel, termLabel, vocabFor } from './vocab';

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
  foundation_legal_forms: [term('treuhand', 'Treuhandstiftung', 'Trust foundation')],
  foundation_kinds: [],
  yes_no: [term('yes', 'ja', 'yes'), term('no', 'nein', 'no')],
  application_routes: [],
  funding_areas: [term('east', 'Ostdeutschland', 'East Germany')],
  consent_purposes: [],
  consent_statuses: [],
  consent_channels: [],
  stages: [term('idee', 'Idee', 'Idea')],
  activity_kinds: [],
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
    expect(vocabFor('association', 'themes', vocab, 'de')).toBe(vocab.themes);
    expect(vocabFor('association', 'needs', vocab, 'de')).toBe(vocab.support_kinds);
    expect(vocabFor('association', 'district', vocab, 'de')).toEqual([term('16053', 'Jena', 'Jena')]);
    expect(vocabFor('association', 'owner_network', vocab, 'de').map((t) => t.code)).toEqual(['lamsa']);
    expect(vocabFor('association', 'city', vocab, 'de')).toEqual([]);
  });

  it('give a foundation its own legal forms and yes/no answers', () => {
    expect(vocabFor('foundation', 'legal_form', vocab, 'de')).toBe(vocab.foundation_legal_forms);
    expect(vocabFor('association', 'legal_form', vocab, 'de')).toBe(vocab.legal_forms);
    expect(vocabFor('foundation', 'ev_only', vocab, 'de')).toBe(vocab.yes_no);
    expect(vocabFor('foundation', 'area_districts', vocab, 'de')).toEqual([term('16053', 'Jena', 'Jena')]);
    expect(vocabFor('foundation', 'themes', vocab, 'de')).toBe(vocab.themes);
    expect(vocabFor('cooperation', 'stage', vocab, 'de')).toBe(vocab.stages);
  });

  it('write euro amounts from whole cents', () => {
    expect(formatEuro(500000, 'de')).toBe('5.000\u00a0€');
    expect(formatEuro(125050, 'de')).toBe('1.250,50\u00a0€');
    expect(formatEuro(125050, 'en')).toBe('€1,250.50');
  });

  it('sort long pick lists by label in the language', () => {
    expect(sortedByLabel(vocab.languages, 'de').map((t) => t.code)).toEqual(['ar', 'de', 'uk']);
    expect(sortedByLabel(vocab.languages, 'en').map((t) => t.code)).toEqual(['ar', 'de', 'uk']);
  });
});

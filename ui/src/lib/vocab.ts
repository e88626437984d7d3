// Labels of stored codes, from the vocabularies the core sends.
import type { Lang } from './bindings/Lang';
import type { Vocabularies } from './bindings/Vocabularies';

interface Labelled {
  code: string;
  de: string;
  en: string;
}

export function termLabel(terms: readonly Labelled[], code: string | null | undefined, lang: Lang): string {
  if (!code) return '';
  const term = terms.find((t) => t.code === code);
  return term ? (lang === 'en' ? term.en : term.de) : code;
}

export function districtName(vocab: Vocabularies, code: string | null | undefined): string {
  if (!code) return '';
  return vocab.districts.find((d) => d.code === code)?.name ?? code;
}

/** Terms sorted by their label in the language, for long pick lists. */
export function sortedByLabel<T extends Labelled>(terms: readonly T[], lang: Lang): T[] {
  return [...terms].sort((a, b) => (lang === 'en' ? a.en : a.de).localeCompare(lang === 'en' ? b.en : b.de, lang));
}

/** The vocabulary whose codes a field holds (empty for free-text fields). */
export function vocabFor(field: string, vocab: Vocabularies, lang: Lang): Labelled[] {
  switch (field) {
    case 'legal_form':
      return vocab.legal_forms;
    case 'charitable_status':
      return vocab.charitable_statuses;
    case 'notice_kind':
      return vocab.notice_kinds;
    case 'network':
      return vocab.networks;
    case 'owner_network':
      return vocab.site_networks.filter((n) => n.code !== 'other');
    case 'state':
      return vocab.states;
    case 'district':
      return vocab.districts.map((d) => ({ code: d.code, de: d.name, en: d.name }));
    case 'budget_band':
      return vocab.budget_bands;
    case 'status':
      return vocab.statuses;
    case 'languages':
      return sortedByLabel(vocab.languages, lang);
    case 'themes':
      return vocab.themes;
    case 'target_groups':
      return vocab.target_groups;
    case 'needs':
      return vocab.support_kinds;
    default:
      return [];
  }
}

// Labels of stored codes, from the vocabularies the core sends.
import type { Lang } from './bindings/Lang';
import type { Vocabularies } from './bindings/Vocabularies';
import { localeOf } from './text';

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

export type Entity = 'association' | 'foundation' | 'person' | 'cooperation' | 'project' | 'idea';

/** The vocabulary whose codes a field of a record type holds (empty for free-text fields). */
export function vocabFor(entity: Entity, field: string, vocab: Vocabularies, lang: Lang): Labelled[] {
  const districts = () => vocab.districts.map((d) => ({ code: d.code, de: d.name, en: d.name }));
  if (entity === 'foundation') {
    switch (field) {
      case 'legal_form':
        return vocab.foundation_legal_forms;
      case 'kind':
        return vocab.foundation_kinds;
      case 'accepts_applications':
      case 'requires_charitable':
      case 'ev_only':
        return vocab.yes_no;
      case 'application_route':
        return vocab.application_routes;
      case 'funding_area':
        return vocab.funding_areas;
      case 'area_districts':
        return districts();
      case 'area_states':
        return vocab.states;
    }
  }
  if (entity === 'cooperation' && field === 'stage') return vocab.stages;
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
      return districts();
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
    case 'support_kinds':
      return vocab.support_kinds;
    default:
      return [];
  }
}

/** Whole cents as euro the way the language writes them. */
export function formatEuro(cents: number, lang: Lang): string {
  return new Intl.NumberFormat(localeOf(lang), {
    style: 'currency',
    currency: 'EUR',
    maximumFractionDigits: cents % 100 === 0 ? 0 : 2,
    minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
  }).format(cents / 100);
}

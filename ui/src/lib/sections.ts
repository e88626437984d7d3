// How the association's fields are grouped on the detail view and in the form.
import type { MessageKey } from './i18n.svelte';

export interface Section {
  title: MessageKey;
  fields: string[];
}

export const associationSections: Section[] = [
  { title: 'section.basics', fields: ['name', 'name_original', 'short_name', 'legal_form', 'status', 'network', 'owner_network'] },
  { title: 'section.place', fields: ['state', 'district', 'city', 'postcode', 'address', 'website', 'email', 'phone'] },
  {
    title: 'section.profile',
    fields: ['mission_de', 'mission_en', 'themes', 'target_groups', 'needs', 'languages', 'communities', 'previous_funders'],
  },
  {
    title: 'section.register',
    fields: ['founded_year', 'register_court', 'register_number', 'charitable_status', 'tax_office', 'notice_kind', 'notice_date'],
  },
  { title: 'section.figures', fields: ['members', 'volunteers', 'staff', 'budget_band'] },
  { title: 'section.internal', fields: ['notes'] },
];

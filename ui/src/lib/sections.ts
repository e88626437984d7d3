// How each record's fields are grouped on the detail view and in the form. The field names are
// checked against the drafts generated from Rust: a field renamed, added or left out there fails
// `npm run check` here.
import type { AssociationDraft } from './bindings/AssociationDraft';
import type { CooperationDraft } from './bindings/CooperationDraft';
import type { FoundationDraft } from './bindings/FoundationDraft';
import type { IdeaDraft } from './bindings/IdeaDraft';
import type { PersonDraft } from './bindings/PersonDraft';
import type { ProjectDraft } from './bindings/ProjectDraft';
import type { MessageKey } from './i18n.svelte';

export interface Section {
  title: MessageKey;
  fields: readonly string[];
}

type SectionsOf<D> = readonly { title: MessageKey; fields: readonly (keyof D & string)[] }[];
type Missing<D, S extends SectionsOf<D>> = Exclude<keyof D, S[number]['fields'][number]>;

/** The sections of draft `D`'s form; each of its fields must be in one of them. */
function sectionsOf<D>() {
  return <const S extends SectionsOf<D>>(
    sections: S & ([Missing<D, S>] extends [never] ? unknown : { missingFields: Missing<D, S> }),
  ): Section[] => [...sections];
}

export const associationSections = sectionsOf<AssociationDraft>()([
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
]);

export const foundationSections = sectionsOf<FoundationDraft>()([
  { title: 'section.basics', fields: ['name', 'short_name', 'legal_form', 'kind', 'owner_network'] },
  {
    title: 'section.funding',
    fields: ['themes', 'target_groups', 'support_kinds', 'grant_min', 'grant_max', 'cofunding_percent'],
  },
  { title: 'section.area', fields: ['funding_area', 'area_municipality', 'area_districts', 'area_states'] },
  {
    title: 'section.application',
    fields: ['accepts_applications', 'application_route', 'deadlines', 'requires_charitable', 'ev_only', 'min_age_years'],
  },
  { title: 'section.place', fields: ['city', 'state', 'address', 'postcode', 'website', 'email', 'phone'] },
  { title: 'section.internal', fields: ['last_contact', 'notes'] },
]);

export const personSections = sectionsOf<PersonDraft>()([
  { title: 'section.person', fields: ['name', 'name_original', 'name_latin', 'role'] },
  { title: 'section.contact', fields: ['email', 'phone', 'languages'] },
  { title: 'section.internal', fields: ['notes'] },
]);

export const cooperationSections = sectionsOf<CooperationDraft>()([
  { title: 'section.cooperation', fields: ['idea', 'association_id', 'foundation_id', 'stage', 'description'] },
  { title: 'section.nextStep', fields: ['next_step', 'next_step_due', 'next_step_owner'] },
  { title: 'section.money', fields: ['amount_requested', 'amount_granted'] },
  {
    title: 'section.dates',
    fields: ['first_contact', 'submitted', 'decision', 'project_start', 'project_end', 'report_due'],
  },
  { title: 'section.internal', fields: ['notes'] },
]);

export const projectSections = sectionsOf<ProjectDraft>()([
  { title: 'project.title', fields: ['title', 'year', 'people_reached', 'budget', 'funder', 'description'] },
]);

export const ideaSections = sectionsOf<IdeaDraft>()([{ title: 'idea.title', fields: ['title', 'description', 'amount_needed', 'time_frame'] }]);

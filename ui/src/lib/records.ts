// What the generic record views need to know about each record type.
import { api } from './api';
import type { FieldDescription } from './bindings/FieldDescription';
import type { StartupInfo } from './bindings/StartupInfo';
import type { MessageKey } from './i18n.svelte';
import {
  associationSections,
  cooperationSections,
  foundationSections,
  ideaSections,
  personSections,
  projectSections,
  type Section,
} from './sections';
import type { Parent } from './bindings/Parent';
import type { Entity } from './vocab';

type Draft = Record<string, string | string[]>;

export interface RecordType {
  sections: Section[];
  fields: (info: StartupInfo) => FieldDescription[];
  loadDraft: (id: string | null, parent?: Parent) => Promise<Draft>;
  save: (id: string | null, draft: Draft, parent?: Parent) => Promise<{ id: string }>;
  newTitle: MessageKey;
  /** Child records have no page of their own: after saving, the parent's page shows them. */
  child?: true;
}

export const records: Record<Entity, RecordType> = {
  association: {
    sections: associationSections,
    fields: (info) => info.association_fields,
    loadDraft: async (id) => (await api.associationDraft(id)) as unknown as Draft,
    save: (id, draft) => {
      const typed = draft as unknown as Parameters<typeof api.createAssociation>[0];
      return id ? api.updateAssociation(id, typed) : api.createAssociation(typed);
    },
    newTitle: 'form.newTitle',
  },
  foundation: {
    sections: foundationSections,
    fields: (info) => info.foundation_fields,
    loadDraft: async (id) => (await api.foundationDraft(id)) as unknown as Draft,
    save: (id, draft) => {
      const typed = draft as unknown as Parameters<typeof api.createFoundation>[0];
      return id ? api.updateFoundation(id, typed) : api.createFoundation(typed);
    },
    newTitle: 'foundation.newTitle',
  },
  person: {
    sections: personSections,
    fields: (info) => info.person_fields,
    loadDraft: async (id) => (await api.personDraft(id)) as unknown as Draft,
    save: (id, draft, parent) => {
      const typed = draft as unknown as Parameters<typeof api.createPerson>[1];
      if (id) return api.updatePerson(id, typed);
      if (!parent) throw new Error('a new person needs an organisation');
      return api.createPerson(parent, typed);
    },
    newTitle: 'person.newTitle',
  },
  cooperation: {
    sections: cooperationSections,
    fields: (info) => info.cooperation_fields,
    loadDraft: async (id, parent) => {
      const draft = (await api.cooperationDraft(id)) as unknown as Draft;
      if (!id && parent) draft[parent.kind === 'association' ? 'association_id' : 'foundation_id'] = parent.id;
      return draft;
    },
    save: (id, draft) => {
      const typed = draft as unknown as Parameters<typeof api.createCooperation>[0];
      return id ? api.updateCooperation(id, typed) : api.createCooperation(typed);
    },
    newTitle: 'cooperation.newTitle',
  },
  project: {
    sections: projectSections,
    fields: (info) => info.project_fields,
    loadDraft: async (id) => (await api.projectDraft(id)) as unknown as Draft,
    save: (id, draft, parent) =>
      api.saveProject(id, parent?.id ?? '', draft as unknown as Parameters<typeof api.saveProject>[2]),
    newTitle: 'project.new',
    child: true,
  },
  idea: {
    sections: ideaSections,
    fields: (info) => info.idea_fields,
    loadDraft: async (id) => (await api.ideaDraft(id)) as unknown as Draft,
    save: (id, draft, parent) => api.saveIdea(id, parent?.id ?? '', draft as unknown as Parameters<typeof api.saveIdea>[2]),
    newTitle: 'idea.new',
    child: true,
  },
};

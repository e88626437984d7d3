import { describe, expect, it } from 'vitest';
import { defaultChoices, movedItems, survivorName, swapped, takenFields } from './duplicates';
import type { MergePlan } from './bindings/MergePlan';

const plan: MergePlan = {
  kind: 'association',
  keep: 'a',
  keep_name: 'Verein Müller',
  other: 'b',
  other_name: 'Verein Mueller e.V.',
  fields: [
    { field: 'name', label_de: 'Name', label_en: 'Name', keep: 'Verein Müller', other: 'Verein Mueller e.V.', take_other: false, same: false },
    { field: 'email', label_de: 'E-Mail', label_en: 'E-mail', keep: '', other: 'post@x.example', take_other: true, same: false },
    { field: 'city', label_de: 'Ort', label_en: 'City', keep: 'Halle', other: 'Halle', take_other: false, same: true },
  ],
  moved: { persons: 2, cooperations: 0, activities: 0, projects: 1, ideas: 0, consents: 0 },
};

describe('merge choices', () => {
  it('defaults to the survivor, or the other where the survivor is empty', () => {
    const choices = defaultChoices(plan);
    expect(choices).toEqual({ name: false, email: true, city: false });
    expect(takenFields(plan, choices)).toEqual(['email']);
    expect(takenFields(plan, { ...choices, name: true, city: true })).toEqual(['name', 'email']);
    expect(survivorName(plan, choices)).toBe('Verein Müller');
    expect(survivorName(plan, { ...choices, name: true })).toBe('Verein Mueller e.V.');
  });

  it('swapping the survivor swaps the values and the defaults', () => {
    const s = swapped(plan);
    expect([s.keep, s.other]).toEqual(['b', 'a']);
    expect(s.fields[1]).toMatchObject({ keep: 'post@x.example', other: '', take_other: false });
    expect(takenFields(s, defaultChoices(s))).toEqual([]);
  });

  it('lists only the kinds of record that move', () => {
    expect(movedItems(plan.moved)).toEqual([
      { key: 'dupes.movedPersons', count: 2 },
      { key: 'dupes.movedProjects', count: 1 },
    ]);
  });
});

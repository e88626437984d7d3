// The duplicates tab's logic: which kind a record is (for opening it), the default choice per
// field, the fields taken from the other record, and the related records that will move.
import type { DuplicateKind } from './bindings/DuplicateKind';
import type { MergePlan } from './bindings/MergePlan';
import type { MovedRecords } from './bindings/MovedRecords';
import type { MessageKey } from './i18n.svelte';

/** Per field: true when the other record's value survives. */
export type Choices = Record<string, boolean>;

/** The default: the survivor's value, or the other's where the survivor has none. */
export function defaultChoices(plan: MergePlan): Choices {
  return Object.fromEntries(plan.fields.map((f) => [f.field, f.take_other]));
}

/** The fields whose value comes from the other record (fields with one value on both sides left out). */
export function takenFields(plan: MergePlan, choices: Choices): string[] {
  return plan.fields.filter((f) => !f.same && choices[f.field]).map((f) => f.field);
}

/** The name the survivor will carry with these choices. */
export function survivorName(plan: MergePlan, choices: Choices): string {
  const name = plan.fields.find((f) => f.field === 'name');
  return name && choices.name && !name.same ? name.other : plan.keep_name;
}

/** The merge plan with the survivor and the other record swapped (each field's values too). */
export function swapped(plan: MergePlan): MergePlan {
  return {
    ...plan,
    keep: plan.other,
    keep_name: plan.other_name,
    other: plan.keep,
    other_name: plan.keep_name,
    fields: plan.fields.map((f) => ({
      ...f,
      keep: f.other,
      other: f.keep,
      take_other: !f.same && f.other.trim() === '' && f.keep.trim() !== '',
    })),
  };
}

const MOVED: [keyof MovedRecords, MessageKey][] = [
  ['persons', 'dupes.movedPersons'],
  ['cooperations', 'dupes.movedCooperations'],
  ['activities', 'dupes.movedActivities'],
  ['projects', 'dupes.movedProjects'],
  ['ideas', 'dupes.movedIdeas'],
  ['consents', 'dupes.movedConsents'],
];

/** The kinds of related record that move, with their counts (none left out when zero). */
export function movedItems(moved: MovedRecords): { key: MessageKey; count: number }[] {
  return MOVED.filter(([k]) => moved[k] > 0).map(([k, key]) => ({ key, count: moved[k] }));
}

export const KIND_KEYS: Record<DuplicateKind, MessageKey> = {
  association: 'dupes.kindAssociation',
  foundation: 'dupes.kindFoundation',
  person: 'dupes.kindPerson',
};

/**
 * When `id` was merged away, opens its survivor instead (an old link, a bookmark, a search hit
 * from before the merge) and says so; true when it did.
 */
export async function openSurvivor(kind: DuplicateKind, id: string): Promise<boolean> {
  const [{ api }, { go, showToast }, { t }] = await Promise.all([
    import('./api'),
    import('./app.svelte'),
    import('./i18n.svelte'),
  ]);
  const survivor = await api.resolveRecord(kind, id);
  if (survivor === id) return false;
  showToast(t('dupes.openedSurvivor'));
  go({ kind: 'detail', entity: kind, id: survivor });
  return true;
}

// The retention review's selection and wording, kept apart from the page so they can be tested.
import type { MessageKey } from './messages/de';
import type { RetentionReview } from './bindings/RetentionReview';

/** The chosen ids that are still listed after the review was loaded again. */
export function keepListed(selected: string[], review: RetentionReview): string[] {
  const listed = new Set(review.persons.map((p) => p.id));
  return selected.filter((id) => listed.has(id));
}

/** Adds or removes one id. */
export function toggle(selected: string[], id: string): string[] {
  return selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id];
}

/** Every listed id, or none when all are chosen already. */
export function toggleAll(selected: string[], review: RetentionReview): string[] {
  return selected.length === review.persons.length ? [] : review.persons.map((p) => p.id);
}

const REASONS = ['edit', 'consent', 'activity', 'cooperation'] as const;

/** The message key that explains a person's last activity. */
export function reasonKey(reason: string): MessageKey {
  const known = (REASONS as readonly string[]).includes(reason) ? reason : 'edit';
  return `privacy.reason.${known}` as MessageKey;
}

/** The names for the confirm text: up to `max`, then "…" with the rest counted. */
export function nameList(names: string[], max = 5): string {
  const quoted = names.slice(0, max).map((n) => `„${n}“`);
  return names.length > max ? `${quoted.join(', ')} … (+${names.length - max})` : quoted.join(', ');
}

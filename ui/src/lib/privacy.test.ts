import { describe, expect, it } from 'vitest';
import type { RetentionReview } from './bindings/RetentionReview';
import { keepListed, nameList, reasonKey, toggle, toggleAll } from './privacy';

const person = (id: string) => ({
  id,
  name: id,
  name_original: null,
  role: null,
  parent: { kind: 'association' as const, id: 'a' },
  parent_name: 'Verein',
  last_activity: '2022-01-01',
  reason: 'edit',
});
const review: RetentionReview = { years: 3, cutoff: '2023-12-02', persons: [person('a'), person('b')] };

describe('retention selection', () => {
  it('toggles one and all', () => {
    expect(toggle([], 'a')).toEqual(['a']);
    expect(toggle(['a'], 'a')).toEqual([]);
    expect(toggleAll(['a'], review)).toEqual(['a', 'b']);
    expect(toggleAll(['a', 'b'], review)).toEqual([]);
  });
  it('forgets ids no longer listed', () => {
    expect(keepListed(['a', 'gone'], review)).toEqual(['a']);
  });
  it('explains every reason, unknown ones as an edit', () => {
    expect(reasonKey('activity')).toBe('privacy.reason.activity');
    expect(reasonKey('<script>')).toBe('privacy.reason.edit');
  });
  it('lists a few names and counts the rest', () => {
    expect(nameList(['A', 'B'])).toBe('„A“, „B“');
    expect(nameList(['A', 'B', 'C'], 2)).toBe('„A“, „B“ … (+1)');
  });
});

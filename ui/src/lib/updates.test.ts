import { describe, expect, it } from 'vitest';
import { progressText } from './updates.svelte';

describe('update progress', () => {
  it('says how much of the download arrived, in the language of the UI', () => {
    expect(progressText({ downloaded: 3_210_000, total: 12_000_000 }, 'de')).toBe('3,2 von 12,0 MB');
    expect(progressText({ downloaded: 3_210_000, total: 12_000_000 }, 'en')).toBe('3.2 of 12.0 MB');
    expect(progressText({ downloaded: 500_000, total: null }, 'de')).toBe('0,5 MB');
  });
});

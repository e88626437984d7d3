import { describe, expect, it } from 'vitest';
import { componentsOf, licenseCounts, type LicenseList } from './licenses';

const list: LicenseList = {
  components: [
    { kind: 'crate', name: 'sqlx', version: '0.9.0', license: 'MIT OR Apache-2.0', repository: null, texts: ['a'] },
    { kind: 'crate', name: 'age', version: '0.12.1', license: 'MIT OR Apache-2.0', repository: null, texts: [] },
    { kind: 'npm', name: 'svelte', version: '5.57.3', license: 'MIT', repository: null, texts: ['b'] },
    { kind: 'font', name: 'Noto Sans Arabic', version: null, license: 'OFL-1.1', repository: null, texts: ['c'] },
  ],
  texts: { a: 'MIT…', b: 'MIT…', c: 'SIL OPEN FONT LICENSE' },
};

describe('licence list', () => {
  it('lists one kind by name and filters by name or licence, in any case', () => {
    expect(componentsOf(list, 'crate', '').map((c) => c.name)).toEqual(['age', 'sqlx']);
    expect(componentsOf(list, 'crate', 'SQL').map((c) => c.name)).toEqual(['sqlx']);
    expect(componentsOf(list, 'font', 'ofl').map((c) => c.name)).toEqual(['Noto Sans Arabic']);
    expect(componentsOf(list, 'npm', 'apache')).toEqual([]);
  });

  it('counts the licences, the most used first', () => {
    expect(licenseCounts(list)).toEqual([
      { license: 'MIT OR Apache-2.0', count: 2 },
      { license: 'MIT', count: 1 },
      { license: 'OFL-1.1', count: 1 },
    ]);
  });
});

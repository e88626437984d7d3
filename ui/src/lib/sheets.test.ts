import { describe, expect, it } from 'vitest';
import {
  addUnique,
  batchQuery,
  bestMatchIds,
  contactMissing,
  counted,
  groupWarnings,
  moveItem,
  removeItem,
  someNames,
  svgDataUrl,
} from './sheets';
import type { Match } from './bindings/Match';
import type { SheetWarning } from './bindings/SheetWarning';

const decode = (url: string) => {
  const [head, data] = url.split(',');
  expect(head).toBe('data:image/svg+xml;base64');
  return new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
};

describe('page pictures', () => {
  it('become base64 data URLs that decode to the same SVG', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="595.28" height="841.89"><rect width="100%" height="100%" fill="#ffffff"/></svg>';
    expect(decode(svgDataUrl(svg))).toBe(svg);
  });

  it('keep characters beyond Latin-1 (btoa alone would throw)', () => {
    const svg = '<svg><title>الجمعية · Hội người Việt · Українська €</title></svg>';
    expect(() => btoa(svg)).toThrow();
    expect(decode(svgDataUrl(svg))).toBe(svg);
  });

  it('handle pages larger than one chunk of bytes', () => {
    const svg = `<svg>${'<rect x="1" y="2"/>'.repeat(20000)}</svg>`;
    expect(decode(svgDataUrl(svg))).toBe(svg);
  });
});

describe('the pack list', () => {
  const a = { id: 'a', name: 'A' };
  const b = { id: 'b', name: 'B' };
  const c = { id: 'c', name: 'C' };

  it('moves an entry up and down, and not past the ends', () => {
    expect(moveItem([a, b, c], 2, -1)).toEqual([a, c, b]);
    expect(moveItem([a, b, c], 0, 1)).toEqual([b, a, c]);
    expect(moveItem([a, b, c], 0, -1)).toEqual([a, b, c]);
    expect(moveItem([a, b, c], 2, 1)).toEqual([a, b, c]);
    expect(moveItem([a, b, c], 5, -1)).toEqual([a, b, c]);
  });

  it('moves and removes without changing the list it was given', () => {
    const list = [a, b, c];
    moveItem(list, 0, 1);
    removeItem(list, 1);
    expect(list).toEqual([a, b, c]);
    expect(removeItem(list, 1)).toEqual([a, c]);
  });

  it('adds only entries not there yet, and counts the others', () => {
    expect(addUnique([a], [b, a, c, b])).toEqual({ list: [a, b, c], added: 2, skipped: 2 });
    expect(addUnique([], [])).toEqual({ list: [], added: 0, skipped: 0 });
  });

  it('stops at the most a pack holds', () => {
    expect(addUnique([a], [b, c], 2)).toEqual({ list: [a, b], added: 1, skipped: 1 });
  });

  it('takes the best eligible matches, best first', () => {
    const m = (id: string, eligible: boolean, score: number) => ({ association_id: id, eligible, score }) as Match;
    const ranked = [m('x', true, 40), m('out', false, 0), m('y', true, 30), m('z', true, 20)];
    expect(bestMatchIds(ranked, 2)).toEqual(['x', 'y']);
    expect(bestMatchIds(ranked)).toEqual(['x', 'y', 'z']);
  });
});

describe('the batch filter', () => {
  it('leaves what is not chosen open', () => {
    const q = batchQuery({ network: 'migranetz', district: '', theme: 'kultur', status: '' });
    expect(q).toMatchObject({ network: 'migranetz', district: null, theme: 'kultur', status: null, text: '', offset: 0 });
    expect(batchQuery({ network: '', district: '', theme: '', status: '' }).network).toBeNull();
  });
});

describe('warnings', () => {
  const w = (name: string, code: string, de: string): SheetWarning => ({
    association_id: name,
    association_name: name,
    code,
    field: '',
    message_de: de,
    message_en: `${de} (en)`,
  });
  const contact = 'Für LAMSA e.V. – KOZMOS ist keine Ansprechperson hinterlegt.';

  it('name the same message once, with every association it concerns', () => {
    const groups = groupWarnings([
      w('Verein A', 'persons_not_printed', '1 Ansprechperson …'),
      w('Verein A', 'kozmos_contact_missing', contact),
      w('Verein B', 'kozmos_contact_missing', contact),
      w('Verein B', 'persons_not_printed', '2 Ansprechpersonen …'),
    ]);
    expect(groups.map((g) => [g.code, g.associations])).toEqual([
      ['persons_not_printed', ['Verein A']],
      ['kozmos_contact_missing', ['Verein A', 'Verein B']],
      ['persons_not_printed', ['Verein B']],
    ]);
    expect(groups[1].message_en).toBe(`${contact} (en)`);
  });

  it('tell when the KOZMOS contact is missing', () => {
    expect(contactMissing([w('A', 'kozmos_contact_missing', contact)])).toBe(true);
    expect(contactMissing([w('A', 'logo_unprintable', 'Logo')])).toBe(false);
    expect(contactMissing([])).toBe(false);
  });

  it('list a few names, then how many more', () => {
    expect(someNames(['A', 'B'], 'de')).toBe('A, B');
    expect(someNames(['A', 'B', 'C', 'D', 'E', 'F'], 'de')).toBe('A, B, C, D und 2 weitere');
    expect(someNames(['A', 'B', 'C', 'D', 'E', 'F'], 'en')).toBe('A, B, C, D and 2 more');
  });
});

describe('counts in words', () => {
  it('use the singular for one', () => {
    expect(counted('de', 'sheet.pages', 1)).toBe('1 Seite');
    expect(counted('de', 'sheet.pages', 2)).toBe('2 Seiten');
    expect(counted('en', 'sheets.sheets', 1)).toBe('1 profile sheet');
    expect(counted('de', 'sheets.sheets', 1200)).toBe('1.200 Profilblätter');
  });
});

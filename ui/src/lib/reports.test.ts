import { describe, expect, it } from 'vitest';
import { formatValue, type ReportTable } from './reports';

const amounts: ReportTable = {
  id: 'amounts',
  de: 'Summen',
  en: 'Amounts',
  columns: [
    { de: 'beantragt', en: 'requested', money: true },
    { de: 'Bewilligungen', en: 'grants', money: false },
  ],
  bar: 0,
  rows: [{ code: '2026:lamsa', de: '2026 · LAMSA', en: '2026 · LAMSA', values: [250050, 12000] }],
};

describe('report values', () => {
  it('show amounts as euros and counts grouped, the way each language writes them', () => {
    expect(formatValue(amounts, 0, 250050, 'de')).toBe('2.500,50\u00a0€');
    expect(formatValue(amounts, 0, 250050, 'en')).toBe('€2,500.50');
    expect(formatValue(amounts, 1, 12000, 'de')).toBe('12.000');
    expect(formatValue(amounts, 1, 12000, 'en')).toBe('12,000');
  });

  it('treat a column that is not there as a count', () => {
    expect(formatValue(amounts, 7, 3, 'de')).toBe('3');
  });
});

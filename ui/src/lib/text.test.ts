import { describe, expect, it, vi } from 'vitest';
import { debounce, formatDate, isPast, linesToList, listToLines } from './text';

describe('list fields', () => {
  it('take one entry per line, trimmed, without empty lines', () => {
    expect(linesToList(' Syrien \r\n\n Ukraine\n  ')).toEqual(['Syrien', 'Ukraine']);
    expect(linesToList('')).toEqual([]);
    expect(listToLines(['Aktion Mensch', 'Beisheim Stiftung'])).toBe('Aktion Mensch\nBeisheim Stiftung');
  });
});

describe('dates', () => {
  it('are written the way each language writes them', () => {
    expect(formatDate('2024-03-07', 'de')).toBe('07.03.2024');
    expect(formatDate('2024-03-07', 'en')).toBe('7 Mar 2024');
    expect(formatDate(null, 'de')).toBe('');
    expect(formatDate('kein Datum', 'de')).toBe('kein Datum');
  });

  it('know what lies in the past', () => {
    const today = new Date('2026-11-29T12:00:00Z');
    expect(isPast('2026-11-28', today)).toBe(true);
    expect(isPast('2026-11-29', today)).toBe(false);
    expect(isPast('2031-01-01', today)).toBe(false);
  });
});

describe('debounce', () => {
  it('runs once after typing pauses', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const typed = debounce(fn, 120);
    typed('m');
    typed('mu');
    typed('mue');
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(120);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith('mue');
    vi.useRealTimers();
  });
});

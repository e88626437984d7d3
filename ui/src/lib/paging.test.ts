import { describe, expect, it } from 'vitest';
import { nextOffset, pageRange, prevOffset } from './paging';

describe('paging', () => {
  it('describes the rows shown', () => {
    expect(pageRange(0, 50, 140)).toEqual({ from: 1, to: 50, hasPrev: false, hasNext: true });
    expect(pageRange(100, 40, 140)).toEqual({ from: 101, to: 140, hasPrev: true, hasNext: false });
    expect(pageRange(0, 0, 0)).toEqual({ from: 0, to: 0, hasPrev: false, hasNext: false });
  });

  it('moves between pages without leaving the list', () => {
    expect(nextOffset(0, 50, 140)).toBe(50);
    expect(nextOffset(100, 50, 140)).toBe(100);
    expect(prevOffset(50, 50)).toBe(0);
    expect(prevOffset(20, 50)).toBe(0);
    expect(nextOffset(9950, 50, 10000)).toBe(9950);
  });
});

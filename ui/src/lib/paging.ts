// Page arithmetic for the lists.
export interface PageRange {
  from: number;
  to: number;
  hasPrev: boolean;
  hasNext: boolean;
}

export function pageRange(offset: number, shown: number, total: number): PageRange {
  return {
    from: shown === 0 ? 0 : offset + 1,
    to: offset + shown,
    hasPrev: offset > 0,
    hasNext: offset + shown < total,
  };
}

export function prevOffset(offset: number, limit: number): number {
  return Math.max(0, offset - limit);
}

export function nextOffset(offset: number, limit: number, total: number): number {
  return offset + limit < total ? offset + limit : offset;
}

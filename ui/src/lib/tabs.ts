/** Keyboard moves in a tab list: arrow keys, Home and End; the index of the tab to select, or null. */
export function tabKeyTarget(key: string, index: number, count: number): number | null {
  const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: count - 1 };
  if (!(key in moves)) return null;
  return (moves[key] + count) % count;
}

// Reports as the core computes them, and their values formatted for reading.
import type { Lang } from './bindings/Lang';
import type { ReportTable } from './bindings/ReportTable';
import { formatNumber } from './text';
import { formatEuro } from './vocab';

export type { ReportTable };

/** A count grouped by thousands, or cents as euros, as the column says. */
export function formatValue(table: ReportTable, column: number, value: number, lang: Lang): string {
  return table.columns[column]?.money
    ? formatEuro(value, lang)
    : formatNumber(value, lang, { maximumFractionDigits: 0 });
}

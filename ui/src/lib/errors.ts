// Errors from the core arrive as ErrorPayload; anything else is wrapped into one.
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { Lang } from './bindings/Lang';
import type { UiCode } from './bindings/UiCode';

export function isErrorPayload(e: unknown): e is ErrorPayload {
  return typeof e === 'object' && e !== null && 'code' in e && 'message_de' in e && 'message_en' in e;
}

export function toErrorPayload(e: unknown): ErrorPayload {
  if (isErrorPayload(e)) return { ...e, fields: Array.isArray(e.fields) ? e.fields : [] };
  const text = e instanceof Error ? e.message : String(e);
  return { code: 'unexpected', field: null, message_de: text, message_en: text, fields: [] };
}

/** Whether an error or warning carries one of the codes the UI acts on (generated from Rust's `UiCode`). */
export function hasCode(e: { code: string } | null | undefined, code: UiCode): boolean {
  return e?.code === code;
}

export function errorMessage(e: ErrorPayload, lang: Lang): string {
  return lang === 'en' ? e.message_en : e.message_de;
}

/** One message per field (the first problem of each), for showing next to the field. */
export function fieldMessages(e: ErrorPayload | null, lang: Lang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of e?.fields ?? []) {
    if (!(f.field in out)) out[f.field] = lang === 'en' ? f.message_en : f.message_de;
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { errorMessage, fieldMessages, hasCode, toErrorPayload } from './errors';

const payload = {
  code: 'invalid',
  field: null,
  message_de: '2 Eingaben sind ungültig',
  message_en: '2 entries are invalid',
  fields: [
    { code: 'postcode_invalid', field: 'postcode', message_de: 'PLZ: fünf Ziffern', message_en: 'Postcode: five digits' },
    { code: 'too_long', field: 'postcode', message_de: 'zweiter Fehler', message_en: 'second error' },
    { code: 'email_invalid', field: 'email', message_de: 'E-Mail ungültig', message_en: 'E-mail invalid' },
  ],
};

describe('errors from the core', () => {
  it('keep payloads as they are', () => {
    expect(toErrorPayload(payload)).toEqual(payload);
    expect(errorMessage(payload, 'en')).toBe('2 entries are invalid');
  });

  it('wrap anything else so the UI can always show a message', () => {
    const fromString = toErrorPayload('window closed');
    expect(fromString.code).toBe('unexpected');
    expect(fromString.message_de).toBe('window closed');
    expect(toErrorPayload(new Error('boom')).message_en).toBe('boom');
    expect(toErrorPayload(undefined).fields).toEqual([]);
    expect(toErrorPayload({ code: 'x', message_de: 'a', message_en: 'b' }).fields).toEqual([]);
  });

  it('give one message per field, the first, in the chosen language', () => {
    expect(fieldMessages(payload, 'de')).toEqual({ postcode: 'PLZ: fünf Ziffern', email: 'E-Mail ungültig' });
    expect(fieldMessages(payload, 'en').postcode).toBe('Postcode: five digits');
    expect(fieldMessages(null, 'de')).toEqual({});
  });
});

describe('hasCode', () => {
  it('matches only the code the UI acts on', () => {
    const gone = { code: 'sync_preview_gone', field: 'file', message_de: '', message_en: '', fields: [] };
    expect(hasCode(gone, 'sync_preview_gone')).toBe(true);
    expect(hasCode(gone, 'sync_passphrase_needed')).toBe(false);
    expect(hasCode(null, 'has_cooperations')).toBe(false);
  });
});

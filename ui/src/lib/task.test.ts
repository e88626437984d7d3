import { describe, expect, it } from 'vitest';
import type { ErrorPayload } from './bindings/ErrorPayload';
import { Task } from './task.svelte';

const payload: ErrorPayload = { code: 'invalid', field: null, message_de: 'ungültig', message_en: 'invalid', fields: [] };

describe('a task', () => {
  it('is busy while the work runs and not after', async () => {
    const task = new Task();
    let finish = () => {};
    const running = task.run(() => new Promise<void>((resolve) => (finish = resolve)));
    expect(task.busy).toBe(true);
    finish();
    expect(await running).toBeNull();
    expect(task.busy).toBe(false);
    expect(task.error).toBeNull();
  });

  it('keeps a thrown payload, returns it and is no longer busy', async () => {
    const task = new Task();
    const returned = await task.run(async () => {
      throw payload;
    });
    expect(returned).toEqual(payload);
    expect(task.error).toEqual(payload);
    expect(task.busy).toBe(false);
  });

  it('clears the error when the next run starts', async () => {
    const task = new Task();
    await task.run(async () => {
      throw payload;
    });
    let during: ErrorPayload | null = payload;
    await task.run(async () => {
      during = task.error;
    });
    expect(during).toBeNull();
    expect(task.error).toBeNull();
  });
});

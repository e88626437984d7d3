// One piece of work behind a button or form: busy while it runs, its error kept for display.
import type { ErrorPayload } from './bindings/ErrorPayload';

export class Task {
  busy = $state(false);
  error = $state<ErrorPayload | null>(null);

  /** Clears the last error, runs `work` while busy, keeps what it throws; returns that error, or null. */
  async run(work: () => Promise<void>): Promise<ErrorPayload | null> {
    this.busy = true;
    this.error = null;
    try {
      await work();
      return null;
    } catch (e) {
      this.error = e as ErrorPayload;
      return this.error;
    } finally {
      this.busy = false;
    }
  }
}

// Deleting an association or foundation from its page: confirm first; when it has cooperations,
// ask whether they go too; undo (with those cooperations) until the app closes.
import { api } from './api';
import { app } from './app.svelte';
import type { ErrorPayload } from './bindings/ErrorPayload';
import { hasCode } from './errors';

/** What the delete dialogs need of a deletion. */
export interface DeletionDialogs {
  confirming: boolean;
  cascade: ErrorPayload | null;
  delete(withCooperations: boolean): Promise<void>;
}

export class OrganisationDeletion<T> implements DeletionDialogs {
  confirming = $state(false);
  /** Set when the core refused because cooperations exist: the question to ask. */
  cascade = $state<ErrorPayload | null>(null);
  error = $state<ErrorPayload | null>(null);

  constructor(
    private id: string,
    private remove: (withCooperations: boolean) => Promise<[T, string[]]>,
    private restore: () => Promise<T>,
    private show: (record: T) => void,
  ) {}

  get canUndo(): boolean {
    return app.deletedThisSession.includes(this.id);
  }

  async delete(withCooperations = false) {
    this.confirming = false;
    this.cascade = null;
    try {
      const [deleted, cooperations] = await this.remove(withCooperations);
      this.show(deleted);
      app.deletedThisSession.push(this.id);
      app.deletedWith[this.id] = cooperations;
    } catch (e) {
      const payload = e as ErrorPayload;
      if (hasCode(payload, 'has_cooperations')) this.cascade = payload;
      else this.error = payload;
    }
  }

  /** Restores the record and the cooperations deleted with it; returns whether it worked. */
  async undo(): Promise<boolean> {
    try {
      this.show(await this.restore());
      app.deletedThisSession = app.deletedThisSession.filter((d) => d !== this.id);
      for (const cooperation of app.deletedWith[this.id] ?? []) await api.restoreCooperation(cooperation);
      delete app.deletedWith[this.id];
      return true;
    } catch (e) {
      this.error = e as ErrorPayload;
      return false;
    }
  }
}

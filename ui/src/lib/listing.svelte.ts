// A list page's data: load the page for the current query, debounced while typing, keeping only
// the answer to the newest request.
import type { ErrorPayload } from './bindings/ErrorPayload';
import type { Page } from './bindings/Page';
import { debounce } from './text';

export class ListLoader<Q extends { offset: number }, T> {
  page = $state<Page<T> | null>(null);
  error = $state<ErrorPayload | null>(null);
  private requestNo = 0;

  constructor(
    private query: Q,
    private fetch: (query: Q) => Promise<Page<T>>,
  ) {}

  async load() {
    const mine = ++this.requestNo;
    try {
      const result = await this.fetch($state.snapshot(this.query) as Q);
      if (mine === this.requestNo) {
        this.page = result;
        this.error = null;
      }
    } catch (e) {
      if (mine === this.requestNo) this.error = e as ErrorPayload;
    }
  }

  /** For typing in the search box: back to the first page, load once typing pauses. */
  loadSoon = debounce(() => {
    this.load();
  }, 120);

  /** After a filter or sort change: back to the first page (unless paging) and load. */
  changed(resetPage = true) {
    if (resetPage) this.query.offset = 0;
    this.load();
  }

  /** Shows the page starting at `offset`. */
  goTo(offset: number) {
    this.query.offset = offset;
    this.load();
  }
}

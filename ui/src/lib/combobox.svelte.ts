import { tick } from 'svelte';

/** What a key pressed in a combobox's input does to its list of options (WAI-ARIA combobox). */
export type ComboboxMove =
  | { action: 'move'; active: number }
  | { action: 'choose'; active: number }
  | { action: 'close' };

/**
 * The keyboard of a combobox whose list shows `count` options, `active` the highlighted one (-1:
 * none). ArrowDown/ArrowUp move through the options (round), Home/End jump to the first/last,
 * Enter chooses the active one, Escape closes the list; null for every other key (it types),
 * and for every key while the list is empty.
 */
export function comboboxKey(key: string, active: number, count: number): ComboboxMove | null {
  if (count === 0) return null;
  switch (key) {
    case 'Escape':
      return { action: 'close' };
    case 'ArrowDown':
      return { action: 'move', active: active < 0 || active >= count - 1 ? 0 : active + 1 };
    case 'ArrowUp':
      return { action: 'move', active: active <= 0 ? count - 1 : active - 1 };
    case 'Home':
      return { action: 'move', active: 0 };
    case 'End':
      return { action: 'move', active: count - 1 };
    case 'Enter':
      return active >= 0 && active < count ? { action: 'choose', active } : null;
    default:
      return null;
  }
}

/**
 * The active option of a combobox: the focus stays in the input, which names the active option
 * with `aria-activedescendant`; the option is scrolled into view. `listId` names the listbox,
 * each option's id is `optionId(i)`.
 */
export class Combobox {
  active = $state(-1);

  constructor(readonly listId: string) {}

  optionId(index: number): string {
    return `${this.listId}-${index}`;
  }

  /** For the input's `aria-activedescendant`. */
  get activeId(): string | undefined {
    return this.active >= 0 ? this.optionId(this.active) : undefined;
  }

  /** No option active (new results, or the list closed). */
  reset() {
    this.active = -1;
  }

  /**
   * Handles a key in the input for a list of `count` options: `choose(i)` on Enter, `close()` on
   * Escape. The keys it handles do nothing else (no caret move, no form submit).
   */
  keydown(event: KeyboardEvent, count: number, on: { choose: (index: number) => void; close: () => void }) {
    const move = comboboxKey(event.key, this.active, count);
    if (!move) return;
    event.preventDefault();
    if (move.action === 'close') {
      event.stopPropagation();
      this.reset();
      on.close();
    } else if (move.action === 'choose') {
      this.reset();
      on.choose(move.active);
    } else {
      this.active = move.active;
      const id = this.optionId(move.active);
      if (typeof document !== 'undefined') tick().then(() => document.getElementById(id)?.scrollIntoView({ block: 'nearest' }));
    }
  }
}

import { describe, expect, it } from 'vitest';
import { Combobox, comboboxKey } from './combobox.svelte';

/** A key press as the input receives it; `prevented` tells whether the combobox took it. */
function press(key: string) {
  const event = {
    key,
    prevented: false,
    stopped: false,
    preventDefault() {
      this.prevented = true;
    },
    stopPropagation() {
      this.stopped = true;
    },
  };
  return event;
}

describe('the keys of a combobox', () => {
  it('move the active option down and up, round the ends', () => {
    expect(comboboxKey('ArrowDown', -1, 3)).toEqual({ action: 'move', active: 0 });
    expect(comboboxKey('ArrowDown', 0, 3)).toEqual({ action: 'move', active: 1 });
    expect(comboboxKey('ArrowDown', 2, 3)).toEqual({ action: 'move', active: 0 });
    expect(comboboxKey('ArrowUp', -1, 3)).toEqual({ action: 'move', active: 2 });
    expect(comboboxKey('ArrowUp', 1, 3)).toEqual({ action: 'move', active: 0 });
    expect(comboboxKey('ArrowUp', 0, 3)).toEqual({ action: 'move', active: 2 });
  });

  it('jump to the first and last option with Home and End', () => {
    expect(comboboxKey('Home', 2, 5)).toEqual({ action: 'move', active: 0 });
    expect(comboboxKey('End', -1, 5)).toEqual({ action: 'move', active: 4 });
  });

  it('choose the active option with Enter, and nothing when none is active', () => {
    expect(comboboxKey('Enter', 1, 3)).toEqual({ action: 'choose', active: 1 });
    expect(comboboxKey('Enter', -1, 3)).toBeNull();
    expect(comboboxKey('Enter', 3, 3)).toBeNull();
  });

  it('close the list with Escape; an empty list and typing are left alone', () => {
    expect(comboboxKey('Escape', 0, 3)).toEqual({ action: 'close' });
    for (const key of ['ArrowDown', 'Enter', 'Escape', 'Home']) expect(comboboxKey(key, -1, 0)).toBeNull();
    for (const key of ['a', 'Backspace', 'ArrowLeft', 'Tab']) expect(comboboxKey(key, 1, 3)).toBeNull();
  });
});

describe('a combobox', () => {
  it('names the active option for aria-activedescendant and chooses it with Enter', () => {
    const box = new Combobox('p1-results');
    const chosen: number[] = [];
    const on = { choose: (i: number) => chosen.push(i), close: () => chosen.push(-1) };
    expect(box.activeId).toBeUndefined();
    for (const key of ['ArrowDown', 'ArrowDown']) box.keydown(press(key) as unknown as KeyboardEvent, 4, on);
    expect(box.active).toBe(1);
    expect(box.activeId).toBe('p1-results-1');
    const enter = press('Enter');
    box.keydown(enter as unknown as KeyboardEvent, 4, on);
    expect(enter.prevented).toBe(true);
    expect(chosen).toEqual([1]);
    expect(box.active).toBe(-1);
  });

  it('closes on Escape without the key reaching a dialog, and lets typing through', () => {
    const box = new Combobox('p2');
    let closed = 0;
    const on = { choose: () => {}, close: () => closed++ };
    box.keydown(press('End') as unknown as KeyboardEvent, 3, on);
    expect(box.activeId).toBe('p2-2');
    const escape = press('Escape');
    box.keydown(escape as unknown as KeyboardEvent, 3, on);
    expect([closed, escape.prevented, escape.stopped, box.active]).toEqual([1, true, true, -1]);
    const letter = press('k');
    box.keydown(letter as unknown as KeyboardEvent, 3, on);
    expect(letter.prevented).toBe(false);
  });
});

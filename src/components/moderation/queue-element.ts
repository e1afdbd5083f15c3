/**
 * <moderation-queue>: keyboard shortcuts and "select all" over a queue that works without it.
 * j / k move between comments, a / r / s submit the current comment's approve / reject / spam
 * form (a plain POST, so the page reloads on the next comment), x ticks it for bulk actions.
 */
class ModerationQueue extends HTMLElement {
  #current = -1;

  connectedCallback() {
    document.addEventListener('keydown', this.#onKey);
    this.addEventListener('focusin', (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>('[data-comment-id]');
      const index = item ? this.#items().indexOf(item) : -1;
      if (index >= 0 && index !== this.#current) this.#move(index, false);
    });
    this.addEventListener('click', (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>('[data-comment-id]');
      if (item && !(event.target as HTMLElement).closest('a, button, input, textarea, select, summary')) item.focus();
    });
    this.querySelector<HTMLInputElement>('[data-select-all]')?.addEventListener('change', (event) => {
      const isChecked = (event.target as HTMLInputElement).checked;
      for (const box of this.querySelectorAll<HTMLInputElement>('[data-select]')) box.checked = isChecked;
    });
    if (this.#items().length > 0) this.#move(0, false);
  }

  disconnectedCallback() {
    document.removeEventListener('keydown', this.#onKey);
  }

  #items(): HTMLElement[] {
    return [...this.querySelectorAll<HTMLElement>('[data-comment-id]')];
  }

  #move(index: number, shouldFocus = true) {
    const items = this.#items();
    if (items.length === 0) return;
    this.#current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach((item, position) => item.toggleAttribute('data-current', position === this.#current));
    const item = items[this.#current];
    if (!shouldFocus || !item) return;
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: 'nearest' });
  }

  #onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable]')) return;
    const item = this.#items()[this.#current];
    const actions: Record<string, string> = { a: 'approve', r: 'reject', s: 'spam' };
    if (event.key === 'j') this.#move(this.#current + 1);
    else if (event.key === 'k') this.#move(this.#current - 1);
    else if (event.key === 'x' && item) {
      const box = item.querySelector<HTMLInputElement>('[data-select]');
      if (box) box.checked = !box.checked;
    } else if (actions[event.key] && item) {
      const button = item.querySelector<HTMLButtonElement>(`button[data-action="${actions[event.key]}"]`);
      if (!button) return;
      button.form?.requestSubmit(button);
    } else return;
    event.preventDefault();
  };
}

if (!customElements.get('moderation-queue')) customElements.define('moderation-queue', ModerationQueue);

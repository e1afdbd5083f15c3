/**
 * <copy-link>: copies the essay's address with one button. Without JavaScript the button stays
 * hidden and the reader sees the address in a read-only field instead; if the clipboard refuses,
 * the field comes back with the address selected.
 */
class CopyLink extends HTMLElement {
  connectedCallback() {
    this.querySelector('button')?.addEventListener('click', this.#copy);
  }

  disconnectedCallback() {
    this.querySelector('button')?.removeEventListener('click', this.#copy);
  }

  #copy = async () => {
    const field = this.querySelector('input');
    const status = this.querySelector('[data-copy-status]');
    if (!field || !status) return;
    try {
      await navigator.clipboard.writeText(field.value);
      this.dataset.state = 'copied';
      status.textContent = this.dataset.copied ?? '';
    } catch {
      this.dataset.state = 'failed';
      status.textContent = this.dataset.failed ?? '';
      field.focus();
      field.select();
    }
  };
}

customElements.define('copy-link', CopyLink);

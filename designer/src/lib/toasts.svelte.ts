/** A short message confirming what just happened, shown for a few seconds on any page. */
export interface Toast {
  id: number
  text: string
  tone: 'ok' | 'danger' | 'info'
}

class Toasts {
  items = $state<Toast[]>([])
  #next = 1

  /** Shows `text`; it disappears after `ms` (or when dismissed). */
  show(text: string, tone: Toast['tone'] = 'ok', ms = 5000): void {
    const id = this.#next++
    // A burst of actions keeps only the latest few on screen.
    this.items = [...this.items.slice(-2), { id, text, tone }]
    setTimeout(() => this.dismiss(id), ms)
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id)
  }
}

/** The one toast queue. */
export const toasts = new Toasts()

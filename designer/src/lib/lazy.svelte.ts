import type { Component } from 'svelte'

/**
 * A page or panel loaded on first use (a dynamic import: its own chunk), so that the first load ships only
 * what the first page needs. Reading `current` starts the load; it stays loaded.
 *
 * @example
 * const DesignerPage = lazy(() => import('../pages/designer/DesignerPage.svelte'))
 * // <Lazy page={DesignerPage} />
 */
export class LazyComponent {
  #component = $state<Component<any> | undefined>()
  #error = $state('')
  #started = false
  readonly #load: () => Promise<{ default: Component<any> }>

  constructor(load: () => Promise<{ default: Component<any> }>) {
    this.#load = load
  }

  /** The component once loaded; reading it starts the load. */
  get current(): Component<any> | undefined {
    this.preload()
    return this.#component
  }

  /** Why it could not be loaded (a new version deployed, the network gone), or empty. */
  get error(): string {
    return this.#error
  }

  /** Starts loading without showing anything. */
  preload(): void {
    if (this.#started) return
    this.#started = true
    this.#load().then(
      (module) => void (this.#component = module.default),
      (error: unknown) => void (this.#error = error instanceof Error ? error.message : String(error)),
    )
  }
}

/** See {@link LazyComponent}. */
export const lazy = (load: () => Promise<{ default: Component<any> }>): LazyComponent => new LazyComponent(load)

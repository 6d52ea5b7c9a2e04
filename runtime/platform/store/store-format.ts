/**
 * The version of the store file layout this code writes. Bump it only together with an entry in
 * {@link storeMigrations}; a file with a higher number is refused rather than misread.
 *
 * @example
 * const empty: StoreFile = { format: CURRENT_STORE_FORMAT, collections: {} }
 */
export const CURRENT_STORE_FORMAT = 1

/**
 * Upgrades from one format to the next: the entry for `n` turns a parsed format-`n` file into format `n + 1`.
 * Empty while only format 1 exists; this is where a future layout change hooks in, and loading applies the
 * chain before validating the result.
 *
 * @example
 * // when format 2 renames a collection:
 * // storeMigrations[1] = (file) => ({ format: 2, collections: { ...rename(file.collections) } })
 */
export const storeMigrations: Readonly<Record<number, (file: { format: number; collections: unknown }) => unknown>> = {}

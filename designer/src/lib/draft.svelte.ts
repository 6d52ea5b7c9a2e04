/**
 * The connector being designed: one JSON document that the form edits in place and the JSON view
 * shows as text, validated live with the runtime's own validator. Saved custom connectors are
 * re-loaded by id; test values never live here.
 */

import type { ValidationProblem } from '../../../schemas/validate/types.ts'
import { ApiError, call } from './api.ts'
import { blankDraft, duplicateOf, exportText, fromTemplate, TEMPLATES } from './draft-doc.ts'
import { placeProblems } from './draft-places.ts'
import { canonical, type Doc, editJson, isPlainObject, jsonView, parseJson, pointerRange, type SyncState } from './draft-sync.ts'
import { validateConnector } from './validate-connector.ts'

/** What the page was opened for: a saved id, a copy, a template, a blank or an imported draft. */
export type DraftSource = `id:${string}` | `from:${string}` | `template:${string}` | 'blank' | 'import' | ''

type Notice = { tone: 'ok' | 'danger' | 'warn' | ''; text: string }

class Draft {
  sync = $state<SyncState>({ doc: blankDraft() })
  /** The document as last loaded or saved, to tell unsaved changes. */
  baseline = $state(canonical(blankDraft()))
  /** The id it is saved under; undefined until the first save. */
  savedId = $state<string | undefined>()
  /** The id follows the name until the person edits the id. */
  idTouched = $state(false)
  source = $state<DraftSource>('')
  loading = $state(false)
  #opening = 0
  busy = $state(false)
  notice = $state<Notice | undefined>()
  /** Which side panel is open. */
  panel = $state<'preview' | 'test' | 'json'>('preview')
  /**
   * What a template left that describes the template, not the new connector: its letter icon follows the name
   * until the person picks another, and its methods' labels and help go on the first edit of each method.
   */
  leftovers = $state<{ icon?: unknown; methods: string[] }>({ methods: [] })
  /** A range for the JSON view to select (set by "show in JSON"). */
  jsonSelection = $state<{ start: number; end: number } | undefined>()

  validation = $derived(validateConnector($state.snapshot(this.sync.doc)))
  placed = $derived(placeProblems(this.validation, this.sync.doc))
  dirty = $derived(canonical(this.sync.doc) !== this.baseline)
  json = $derived(jsonView(this.sync))

  get doc(): Doc {
    return this.sync.doc
  }

  errorsAt(pointer: string): ValidationProblem[] {
    return this.placed.errors.get(pointer) ?? []
  }

  warningsAt(pointer: string): ValidationProblem[] {
    return this.placed.warnings.get(pointer) ?? []
  }

  /** Replaces the draft; what is loaded counts as having no unsaved changes. */
  load(doc: Doc, options: { source: DraftSource; savedId?: string | undefined; idTouched?: boolean }): void {
    this.sync = { doc }
    this.baseline = canonical(doc)
    this.savedId = options.savedId
    this.idTouched = options.idTouched ?? false
    this.source = options.source
    this.notice = undefined
    this.leftovers = { methods: [] }
  }

  /** Opens what a route asks for (see {@link DraftSource}); a later call wins over one still loading. */
  async open(source: DraftSource): Promise<void> {
    const run = ++this.#opening
    this.source = source
    this.loading = true
    this.notice = undefined
    // A draft is edited as a loose document: the definition may be invalid while someone works on it.
    const get = async (id: string) => {
      const entry = await call('GET /api/connectors/:id', { params: { id } })
      return { connector: entry.connector as unknown as Doc, builtIn: entry.builtIn }
    }
    try {
      let next: Parameters<Draft['load']> = [blankDraft(), { source }]
      let notice: Notice | undefined
      if (source.startsWith('id:')) {
        const id = source.slice(3)
        const entry = await get(id)
        if (entry.builtIn) {
          next = [duplicateOf(entry.connector, await this.takenIds()), { source }]
          notice = {
            tone: 'warn',
            text: `"${String(entry.connector.name)}" is built in and cannot be changed; this is a copy you can save as your own.`,
          }
        } else next = [entry.connector, { source, savedId: id, idTouched: true }]
      } else if (source.startsWith('from:')) {
        const entry = await get(source.slice(5))
        next = [duplicateOf(entry.connector, await this.takenIds()), { source }]
      } else if (source.startsWith('template:') && (TEMPLATES as readonly string[]).includes(source.slice(9))) {
        next = [fromTemplate((await get(source.slice(9))).connector), { source }]
      }
      if (run !== this.#opening) return
      this.load(...next)
      this.notice = notice
      if (source.startsWith('template:')) {
        const [doc] = next
        const methods = Array.isArray(doc.auth) ? doc.auth.map((m) => String((m as { id?: unknown }).id)) : []
        this.leftovers = { icon: doc.icon, methods }
      }
    } catch (error) {
      if (run !== this.#opening) return
      this.load(blankDraft(), { source })
      this.notice = { tone: 'danger', text: error instanceof Error ? error.message : String(error) }
    } finally {
      if (run === this.#opening) this.loading = false
    }
  }

  async takenIds(): Promise<Set<string>> {
    const { connectors } = await call('GET /api/connectors')
    return new Set(connectors.map((c) => c.id))
  }

  editJson(text: string): void {
    editJson(this.sync, text)
  }

  /** Selects the part of the JSON view a pointer names. */
  showInJson(pointer: string): void {
    if (!this.json.error) this.sync.edit = undefined
    this.jsonSelection = this.json.error
      ? { start: this.json.error.offset, end: this.json.error.offset + 1 }
      : pointerRange(this.sync.doc, pointer)
    this.panel = 'json'
  }

  /** Creates the connector, or updates it once it exists. Answers the saved id, or undefined. */
  async save(): Promise<string | undefined> {
    const doc = $state.snapshot(this.sync.doc) as Doc
    const errors = this.validation.errors.length
    if (errors > 0) {
      this.notice = { tone: 'danger', text: `Fix the ${errors} problem${errors === 1 ? '' : 's'} marked below before saving.` }
      return undefined
    }
    this.busy = true
    try {
      const id = String(doc.id)
      if (this.savedId) await call('PUT /api/connectors/:id', { params: { id: this.savedId }, body: doc })
      else await call('POST /api/connectors', { body: doc })
      this.baseline = canonical(doc)
      this.savedId = id
      this.source = `id:${id}`
      this.notice = { tone: 'ok', text: `Saved "${String(doc.name)}".` }
      return id
    } catch (error) {
      this.notice = { tone: 'danger', text: error instanceof ApiError ? error.message : String(error) }
      return undefined
    } finally {
      this.busy = false
    }
  }

  /** Deletes the saved connector; true when it is gone. */
  async remove(): Promise<boolean> {
    if (!this.savedId) return false
    this.busy = true
    try {
      await call('DELETE /api/connectors/:id', { params: { id: this.savedId } })
      this.load(blankDraft(), { source: '' })
      return true
    } catch (error) {
      this.notice = { tone: 'danger', text: error instanceof Error ? error.message : String(error) }
      return false
    } finally {
      this.busy = false
    }
  }

  /** The file an export downloads: name and text. Test values are not part of the draft. */
  exportFile(): { name: string; text: string } {
    const doc = $state.snapshot(this.sync.doc) as Doc
    return { name: `${typeof doc.id === 'string' && doc.id ? doc.id : 'connector'}.json`, text: exportText(doc) }
  }

  /** Loads a file's text: not JSON → a message with line and column; any object → the draft, problems shown. */
  importText(text: string, fileName: string): boolean {
    const parsed = parseJson(text)
    if (!parsed.ok || !isPlainObject(parsed.value)) {
      const why = parsed.ok ? 'it is not a JSON object' : parsed.error.message
      this.notice = { tone: 'danger', text: `"${fileName}" could not be imported: ${why}.` }
      return false
    }
    const doc = parsed.value
    this.#adopt(doc)
    const errors = validateConnector(doc).errors.length
    this.notice =
      errors === 0
        ? { tone: 'ok', text: `Imported "${fileName}". Save to add it to the catalogue.` }
        : { tone: 'warn', text: `Imported "${fileName}" with ${errors} problem${errors === 1 ? '' : 's'}, marked at their places.` }
    return true
  }

  /**
   * Converts an OpenAPI or Swagger file on the runtime (`POST /api/connectors/import/openapi`) and loads the
   * connector it makes; the notice says how many operations became actions and what could not be mapped.
   */
  async importOpenApi(text: string, fileName: string): Promise<boolean> {
    this.busy = true
    try {
      const { connector, report } = await call('POST /api/connectors/import/openapi', { body: { spec: text, fileName } })
      this.#adopt(connector as Doc)
      const schemes = report.schemes.filter((s) => s.methods.length === 0).length
      const left = [
        report.notMappedCount > 0 ? `${report.notMappedCount} operation${report.notMappedCount === 1 ? '' : 's'}` : '',
        schemes > 0 ? `${schemes} security scheme${schemes === 1 ? '' : 's'}` : '',
      ].filter(Boolean)
      const made = `${report.actions} of ${report.operations} operations became actions`
      this.notice = {
        tone: left.length > 0 ? 'warn' : 'ok',
        text:
          `Imported "${fileName}" (${report.format}): ${made}` +
          (left.length > 0 ? `; not mapped: ${left.join(' and ')}` : '') +
          `. Test request: ${report.test.path ? `GET ${report.test.path}` : 'none'}. Save to add it to the catalogue.`,
      }
      return true
    } catch (error) {
      this.notice = {
        tone: 'danger',
        text: `"${fileName}" could not be imported: ${error instanceof Error ? error.message : String(error)}`,
      }
      return false
    } finally {
      this.busy = false
    }
  }

  /** An imported document becomes the draft; it stays the saved connector only when its id is that one's. */
  #adopt(doc: Doc): void {
    const keep = this.savedId !== undefined && doc.id === this.savedId
    this.sync = { doc }
    this.savedId = keep ? this.savedId : undefined
    this.idTouched = true
    if (!keep) this.source = 'import'
  }
}

/** The one draft. */
export const draft = new Draft()

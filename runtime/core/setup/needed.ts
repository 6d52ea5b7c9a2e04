import type { AppRecord } from '../../types.ts'

/** A connector an app needs: the keys of its actions on it, and whether the app lists it itself. */
export interface NeededTool {
  connectorId: string
  actions: string[]
  declared: boolean
}

/**
 * The connectors an app needs: those it lists itself (`connectors`, in their order), then those of its
 * declared actions (`<connectorId>.<actionKey>`, in theirs), each once.
 *
 * @example
 * neededTools({ actions: ['github.createIssue'], connectors: ['slack'] })
 * // [{ connectorId: 'slack', actions: [], declared: true }, { connectorId: 'github', actions: ['createIssue'], declared: false }]
 */
export function neededTools(app: Pick<AppRecord, 'actions' | 'connectors'>): NeededTool[] {
  const tools = new Map<string, NeededTool>()
  for (const connectorId of app.connectors ?? []) tools.set(connectorId, { connectorId, actions: [], declared: true })
  for (const ref of app.actions ?? []) {
    const dot = ref.indexOf('.')
    const connectorId = ref.slice(0, dot)
    const tool = tools.get(connectorId) ?? { connectorId, actions: [], declared: false }
    tool.actions.push(ref.slice(dot + 1))
    tools.set(connectorId, tool)
  }
  return [...tools.values()]
}

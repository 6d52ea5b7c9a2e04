/** Types the designer shares with the runtime, all generated from the schemas. */
export type { Connection, TestResult, FieldValues, FieldValue, Sharing } from '../../../schemas/types/api.ts'
export type { Connector, Field, AuthMethod, Action, TestRequest } from '../../../schemas/types/connector.ts'

/** A connector as the catalogue list shows it. */
export interface ConnectorSummary {
  id: string
  name: string
  description?: string
  icon?: string
  categories: string[]
  authTypes: string[]
  actions: number
  builtIn: boolean
}

import type { Connector } from '../../../../schemas/types/connector.ts'
import type { ValidationResult } from '../../../../schemas/validate/index.ts'

/**
 * The parts of a Nango provider entry (`providers.yaml`) the importer reads. Everything is optional and
 * loosely typed: the file is third-party input, and each reader checks the shape it needs.
 */
export interface NangoProvider {
  display_name?: unknown
  auth_mode?: unknown
  alias?: unknown
  categories?: unknown
  docs?: unknown
  proxy?: unknown
  connection_config?: unknown
  credentials?: unknown
  authorization_url?: unknown
  token_url?: unknown
  refresh_url?: unknown
  authorization_params?: unknown
  token_params?: unknown
  refresh_params?: unknown
  scope_separator?: unknown
  default_scopes?: unknown
  authorization_method?: unknown
  token_request_auth_method?: unknown
  disable_pkce?: unknown
  body_format?: unknown
  token_headers?: unknown
  token_response?: unknown
  [key: string]: unknown
}

/** One entry of `connection_config` or `credentials`. */
export interface NangoInput {
  type?: unknown
  title?: unknown
  description?: unknown
  pattern?: unknown
  example?: unknown
  enum?: unknown
  optional?: unknown
  prefix?: unknown
  suffix?: unknown
  format?: unknown
  secret?: unknown
  hidden?: unknown
  automated?: unknown
  default_value?: unknown
  order?: unknown
}

/** Why a provider was not converted: a stable phrase to group by, and the particular case. */
export interface SkipReason {
  reason: string
  detail?: string
}

/** The converter's answer for one provider: a connector, or why there is none. */
export interface NangoConversion {
  connector?: Connector
  skipped?: SkipReason
  /** What the connector does differently from Nango (a test left out, a value entered by hand). */
  notes?: string[]
}

/** One catalogue entry after import: what it was, what it became, and whether that passes our validator. */
export interface NangoImportEntry {
  /** The provider's key in the catalogue. */
  name: string
  /** Its auth mode after following its alias (`unknown` when it has none). */
  authMode: string
  alias?: string
  result: NangoConversion
  /** The validator's answer for a conversion. */
  validation?: ValidationResult
}

/**
 * The auth modes the importer converts: the key and password modes, OAuth2 (MCP servers with a client
 * registered beforehand included), two-step logins as sessions, signed JWTs, OAuth 1.0a and GitHub Apps,
 * and NONE.
 */
export const IMPORTED_MODES = ['API_KEY', 'BASIC', 'OAUTH2', 'OAUTH2_CC', 'TWO_STEP', 'JWT', 'OAUTH1', 'MCP_OAUTH2', 'APP', 'NONE'] as const

/** One of {@link IMPORTED_MODES}. */
export type ImportedMode = (typeof IMPORTED_MODES)[number]

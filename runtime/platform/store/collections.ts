/**
 * The collections the runtime keeps and the indexes each one is read by: the one declaration both engines
 * follow (the embedded engine keeps these indexes in memory; PostgreSQL has a table per collection with a
 * real column per indexed field and a database index). A field path may name each element of an array:
 * `members[].userId` indexes an app under every member's user id.
 *
 * Adding an index: declare it here, and add a migration for PostgreSQL (`store/postgres/migrations/`).
 */
export interface IndexSpec {
  /** Record fields, in order. A query gives values for a prefix of them, then may range over the next one. */
  readonly fields: readonly string[]
  /** No two records may share a value (records without a value for a field are not indexed). */
  readonly unique?: boolean
}

/** A collection's declaration. */
export interface CollectionSpec {
  readonly indexes: Readonly<Record<string, IndexSpec>>
}

/**
 * Every collection, with its indexes.
 *
 * @example
 * COLLECTIONS.connections.indexes.byApp.fields // ['appId', 'createdAt']
 */
export const COLLECTIONS = {
  /** Custom connector definitions (built-ins live in `connectors/`). */
  connectors: { indexes: {} },
  connections: {
    indexes: {
      byApp: { fields: ['appId', 'createdAt'] },
      byConnector: { fields: ['connectorId'] },
      /** A name is unique per app and connector, whatever its case (`nameKey` is the lower-cased name). */
      byName: { fields: ['appId', 'connectorId', 'nameKey'], unique: true },
    },
  },
  /** Sealed credentials: of a connection (shared) or of one user of it (personal), and OAuth client secrets. */
  credentials: { indexes: { byConnection: { fields: ['connectionId'] } } },
  users: {
    indexes: {
      byEmail: { fields: ['email'], unique: true },
      byCreated: { fields: ['createdAt'] },
    },
  },
  /** API and session tokens, kept under the SHA-256 of the token. */
  tokens: { indexes: { byUser: { fields: ['userId'] } } },
  apps: { indexes: { byMember: { fields: ['members[].userId'] } } },
  /** Which connection an app uses for a connector: the app's binding, and members' own (core/setup/). */
  bindings: { indexes: { byApp: { fields: ['appId'] } } },
  /** Started OAuth2 flows, under the SHA-256 of their state. */
  oauthStates: { indexes: { byExpiry: { fields: ['expiresAt'] } } },
  oauthApps: { indexes: {} },
  /** One record per audit entry; `seq` increases within the store. */
  audit: {
    indexes: {
      byApp: { fields: ['appId', 'seq'] },
      byConnection: { fields: ['appId', 'connectionId', 'seq'] },
    },
  },
  /** Action runs and proxied calls: status, duration, attempts; never bodies or secrets. */
  runs: {
    indexes: {
      byConnection: { fields: ['appId', 'connectionId', 'seq'] },
      byTime: { fields: ['at'] },
      /** The history pages, newest first: `sortKey` is the time, then the sequence number. */
      byAppTime: { fields: ['appId', 'sortKey'] },
      byConnectionTime: { fields: ['appId', 'connectionId', 'sortKey'] },
    },
  },
  /** When each connection is next checked in the background, and which replica holds the lease to check it now. */
  healthChecks: { indexes: { byDue: { fields: ['dueAt'] } } },
  /** An app's webhook endpoints; each one's signing secret is sealed in `credentials` (`webhook:<id>`). */
  webhooks: { indexes: { byApp: { fields: ['appId', 'createdAt'] } } },
  /** Events sent to webhooks: status, attempts, last error. `pendingAt` (while attempts remain) is when the next is due. */
  webhookDeliveries: {
    indexes: {
      byWebhook: { fields: ['webhookId', 'seq'] },
      byPending: { fields: ['pendingAt'] },
    },
  },
  /** A credential's recent token endpoint failures, so every replica backs off alike. */
  tokenFailures: { indexes: {} },
  /** Counters and the store's own bookkeeping. */
  meta: { indexes: {} },
} as const satisfies Record<string, CollectionSpec>

import type { Migration } from './migration.ts'

/**
 * The collections of background health checks and event webhooks (`collections.ts`): a table each, with the
 * generated index columns and change trigger every collection has (see 0001).
 */
export const healthChecksAndWebhooks: Migration = {
  version: 4,
  name: 'health checks and webhooks',
  sql: /* sql */ `
CREATE TABLE switchboard.health_checks (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  due_at jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'dueAt')) STORED
);
CREATE INDEX health_checks_by_due ON switchboard.health_checks (due_at, id);

CREATE TABLE switchboard.webhooks (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  app_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'appId')) STORED,
  created_at jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'createdAt')) STORED
);
CREATE INDEX webhooks_by_app ON switchboard.webhooks (app_id, created_at, id);

CREATE TABLE switchboard.webhook_deliveries (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  webhook_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'webhookId')) STORED,
  seq jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'seq')) STORED,
  pending_at jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'pendingAt')) STORED
);
CREATE INDEX webhook_deliveries_by_webhook ON switchboard.webhook_deliveries (webhook_id, seq, id);
CREATE INDEX webhook_deliveries_by_pending ON switchboard.webhook_deliveries (pending_at, id);

CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.health_checks
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('healthChecks');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.webhooks
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('webhooks');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.webhook_deliveries
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('webhookDeliveries');
`,
}

import type { Migration } from './migration.ts'

/**
 * App bindings (`collections.ts`: `bindings`): which connection an app uses for a connector, the app's and each
 * member's own, read by app.
 */
export const bindings: Migration = {
  version: 3,
  name: 'app bindings',
  sql: /* sql */ `
CREATE TABLE switchboard.bindings (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  app_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'appId')) STORED
);
CREATE INDEX bindings_by_app ON switchboard.bindings (app_id, id);
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.bindings
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('bindings');
`,
}

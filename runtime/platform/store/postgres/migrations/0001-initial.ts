import type { Migration } from './migration.ts'

/**
 * The first schema: a table per collection of `collections.ts` (id, the record as jsonb, a version) with a
 * generated column per indexed field and its index, and a trigger that logs every change.
 *
 * Index columns are jsonb, so a number stays a number and a string a string (a field holds what the record
 * holds); `switchboard.index_value` keeps only strings, numbers and booleans, so a missing, null or object
 * value is SQL NULL: sorted last, never equal, never unique-clashing, as the contract wants. Ids use the "C"
 * collation so they order by code point, whatever the database's locale. Strings inside jsonb order by the
 * database's collation (https://www.postgresql.org/docs/current/datatype-json.html#JSON-INDEXING); ISO
 * timestamps and ids order alike in any of them, and a database created with C or C.UTF-8 matches the embedded
 * engine exactly.
 */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
CREATE FUNCTION switchboard.index_value(value jsonb) RETURNS jsonb
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN jsonb_typeof(value) IN ('string', 'number', 'boolean') THEN value END $$;

-- Every committed change, for other processes to read (change-feed.ts): a row per change, under the id of the
-- transaction that made it, in the same transaction, so a change is there exactly when it committed. NOTIFY in
-- the writing transaction would do the same, but it serialises every such commit, WAL flush included
-- (https://www.postgresql.org/docs/current/sql-notify.html); here NOTIFY is only a wake-up sent after commit.
CREATE TABLE switchboard.changes (
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  collection text NOT NULL,
  id text NOT NULL
);
CREATE INDEX changes_by_xid ON switchboard.changes (xid);

CREATE FUNCTION switchboard.record_change() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO switchboard.changes (collection, id) VALUES (TG_ARGV[0], CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
  RETURN NULL;
END
$$;

CREATE TABLE switchboard.connectors (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1
);

CREATE TABLE switchboard.connections (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  app_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'appId')) STORED,
  created_at jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'createdAt')) STORED,
  connector_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'connectorId')) STORED,
  name_key jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'nameKey')) STORED
);
CREATE INDEX connections_by_app ON switchboard.connections (app_id, created_at, id);
CREATE INDEX connections_by_connector ON switchboard.connections (connector_id, id);
CREATE UNIQUE INDEX connections_by_name ON switchboard.connections (app_id, connector_id, name_key);

CREATE TABLE switchboard.credentials (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  connection_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'connectionId')) STORED
);
CREATE INDEX credentials_by_connection ON switchboard.credentials (connection_id, id);

CREATE TABLE switchboard.users (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  email jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'email')) STORED,
  created_at jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'createdAt')) STORED
);
CREATE UNIQUE INDEX users_by_email ON switchboard.users (email);
CREATE INDEX users_by_created ON switchboard.users (created_at, id);

CREATE TABLE switchboard.tokens (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  user_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'userId')) STORED
);
CREATE INDEX tokens_by_user ON switchboard.tokens (user_id, id);

-- members[].userId: every member's user id (strings, numbers, booleans only), as one jsonb array, NULL when
-- there is none; "which apps is this user a member of" is a containment test the GIN index answers
-- (https://www.postgresql.org/docs/current/gin-builtin-opclasses.html).
CREATE TABLE switchboard.apps (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  members_user_id jsonb GENERATED ALWAYS AS (NULLIF(jsonb_path_query_array(data,
    '$.members[*].userId ? (@.type() == "string" || @.type() == "number" || @.type() == "boolean")'), '[]')) STORED
);
CREATE INDEX apps_by_member ON switchboard.apps USING gin (members_user_id jsonb_path_ops);

CREATE TABLE switchboard.oauth_states (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  expires_at jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'expiresAt')) STORED
);
CREATE INDEX oauth_states_by_expiry ON switchboard.oauth_states (expires_at, id);

CREATE TABLE switchboard.oauth_apps (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1
);

CREATE TABLE switchboard.audit (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  app_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'appId')) STORED,
  seq jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'seq')) STORED,
  connection_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'connectionId')) STORED
);
CREATE INDEX audit_by_app ON switchboard.audit (app_id, seq, id);
CREATE INDEX audit_by_connection ON switchboard.audit (app_id, connection_id, seq, id);

CREATE TABLE switchboard.runs (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1,
  app_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'appId')) STORED,
  connection_id jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'connectionId')) STORED,
  seq jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'seq')) STORED,
  at jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'at')) STORED
);
CREATE INDEX runs_by_connection ON switchboard.runs (app_id, connection_id, seq, id);
CREATE INDEX runs_by_time ON switchboard.runs (at, id);

CREATE TABLE switchboard.token_failures (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1
);

CREATE TABLE switchboard.meta (
  id text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  version bigint NOT NULL DEFAULT 1
);

CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.connectors
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('connectors');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.connections
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('connections');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.credentials
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('credentials');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.users
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('users');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.tokens
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('tokens');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.apps
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('apps');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.oauth_states
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('oauthStates');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.oauth_apps
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('oauthApps');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.audit
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('audit');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.runs
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('runs');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.token_failures
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('tokenFailures');
CREATE TRIGGER record_change AFTER INSERT OR UPDATE OR DELETE ON switchboard.meta
  FOR EACH ROW EXECUTE FUNCTION switchboard.record_change('meta');
`,
}

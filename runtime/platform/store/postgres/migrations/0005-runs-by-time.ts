import type { Migration } from './migration.ts'

/**
 * The run history is read by time per app and per connection, a page at a time: a `sort_key` column (the run's
 * time, then its sequence number, so a page ends between two runs of the same millisecond) and two indexes.
 * Runs written before get their key from their own `at` and `seq`.
 */
export const runsByTime: Migration = {
  version: 5,
  name: 'runs by time, per app and per connection',
  sql: `
UPDATE switchboard.runs
  SET data = data || jsonb_build_object('sortKey', (data ->> 'at') || '#' || lpad(data ->> 'seq', 15, '0'))
  WHERE NOT data ? 'sortKey' AND data ? 'at' AND data ? 'seq';
ALTER TABLE switchboard.runs
  ADD COLUMN sort_key jsonb GENERATED ALWAYS AS (switchboard.index_value(data -> 'sortKey')) STORED;
CREATE INDEX runs_by_app_time ON switchboard.runs (app_id, sort_key, id);
CREATE INDEX runs_by_connection_time ON switchboard.runs (app_id, connection_id, sort_key, id);
`,
}

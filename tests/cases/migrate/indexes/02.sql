-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET lock_timeout = '5s';
-- Create index "events_created_at_idx" on "events"
CREATE INDEX "events_created_at_idx" ON "events" ("created_at");
-- Create index "events_kind_id_uniq" on "events"
CREATE UNIQUE INDEX "events_kind_id_uniq" ON "events" ("kind", "id");
-- Create index "events_kind_idx" on "events"
CREATE INDEX "events_kind_idx" ON "events" ("kind") WHERE (deleted_at IS NULL);
-- Create index "events_payload_idx" on "events"
CREATE INDEX "events_payload_idx" ON "events" USING gin ("payload");
-- migrate:down
SET lock_timeout = '5s';
-- Drop index "events_payload_idx" on "events"
DROP INDEX "events_payload_idx";
-- Drop index "events_kind_idx" on "events"
DROP INDEX "events_kind_idx";
-- Drop index "events_kind_id_uniq" on "events"
DROP INDEX "events_kind_id_uniq";
-- Drop index "events_created_at_idx" on "events"
DROP INDEX "events_created_at_idx";

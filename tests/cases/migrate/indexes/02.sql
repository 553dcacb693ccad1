-- file: 20260102_120001_core_step_02_concurrent.sql
-- schemac: owner=core description="step 02 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create index "events_created_at_idx" on "events" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"events_created_at_idx"') AND NOT indisvalid) THEN
    DROP INDEX "events_created_at_idx";
  END IF;
END $schemac$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "events_created_at_idx" ON "events" ("created_at");
-- Create index "events_kind_id_uniq" on "events" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"events_kind_id_uniq"') AND NOT indisvalid) THEN
    DROP INDEX "events_kind_id_uniq";
  END IF;
END $schemac$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "events_kind_id_uniq" ON "events" ("kind", "id");
-- Create index "events_kind_idx" on "events" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"events_kind_idx"') AND NOT indisvalid) THEN
    DROP INDEX "events_kind_idx";
  END IF;
END $schemac$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "events_kind_idx" ON "events" ("kind") WHERE (deleted_at IS NULL);
-- Create index "events_payload_idx" on "events" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"events_payload_idx"') AND NOT indisvalid) THEN
    DROP INDEX "events_payload_idx";
  END IF;
END $schemac$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "events_payload_idx" ON "events" USING gin ("payload");
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop index "events_payload_idx" on "events" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "events_payload_idx";
-- Drop index "events_kind_idx" on "events" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "events_kind_idx";
-- Drop index "events_kind_id_uniq" on "events" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "events_kind_id_uniq";
-- Drop index "events_created_at_idx" on "events" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "events_created_at_idx";

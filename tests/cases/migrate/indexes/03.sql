-- file: 20260103_120000_core_step_03.sql
-- schemac: owner=core description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop index "events_kind_created_at_idx" on "events"
DROP INDEX "events_kind_created_at_idx";
-- Drop index "events_kind_id_uniq" on "events"
DROP INDEX "events_kind_id_uniq";
-- Drop index "events_kind_idx" on "events"
DROP INDEX "events_kind_idx";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create index "events_kind_idx" on "events"
CREATE INDEX "events_kind_idx" ON "events" ("kind") WHERE (deleted_at IS NULL);
-- Create index "events_kind_id_uniq" on "events"
CREATE UNIQUE INDEX "events_kind_id_uniq" ON "events" ("kind", "id");
-- Create index "events_kind_created_at_idx" on "events"
CREATE INDEX "events_kind_created_at_idx" ON "events" ("kind", "created_at");

-- file: 20260103_120001_core_step_03_concurrent.sql
-- schemac: owner=core description="step 03 (concurrent part)"
-- schemac:no-transaction
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Create index "events_kind_idx" on "events" concurrently (a rerun first drops an invalid leftover of an interrupted build)
DO $schemac$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('"events_kind_idx"') AND NOT indisvalid) THEN
    DROP INDEX "events_kind_idx";
  END IF;
END $schemac$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "events_kind_idx" ON "events" ("kind") WHERE (deleted_at IS NULL AND kind <> 'noise');
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Drop index "events_kind_idx" on "events" concurrently
DROP INDEX CONCURRENTLY IF EXISTS "events_kind_idx";

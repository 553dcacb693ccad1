-- file: 20260103_120000_custom_globex_step_03.sql
-- schemac: owner=globex description="step 03"
-- migrate:up
-- Remove extension "pg_trgm"
DROP EXTENSION IF EXISTS "pg_trgm";
-- migrate:down
-- Install extension "pg_trgm"
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

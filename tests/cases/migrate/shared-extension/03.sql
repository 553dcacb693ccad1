-- file: 20260103_120000_custom_globex_step_03.sql
-- schemac: owner=globex description="step 03"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Remove extension "pg_trgm"
DROP EXTENSION IF EXISTS "pg_trgm";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Install extension "pg_trgm"
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

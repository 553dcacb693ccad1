-- file: 20260102_120000_custom_acme_step_02.sql
-- schemac: owner=acme description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Keep extension "pg_trgm" (the workspace's: globex declares it too)
-- nothing to run: globex declares it too
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Install extension "pg_trgm"
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

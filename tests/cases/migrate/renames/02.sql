-- file: 20260102_120000_core_step_02.sql
-- schemac: owner=core description="step 02"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename enum "color" to "hue"
ALTER TYPE "color" RENAME TO "hue";
-- Rename table "paints" to "pigments"
ALTER TABLE "paints" RENAME TO "pigments";
-- Rename column "colour" of "pigments" to "shade"
ALTER TABLE "pigments" RENAME COLUMN "colour" TO "shade";
-- Rename column "name" of "pigments" to "label"
ALTER TABLE "pigments" RENAME COLUMN "name" TO "label";
-- Rename constraint "paints_pkey" of "pigments" to "pigments_pkey"
ALTER TABLE "pigments" RENAME CONSTRAINT "paints_pkey" TO "pigments_pkey";
-- Rename constraint "paints_name_key" of "pigments" to "pigments_label_key"
ALTER TABLE "pigments" RENAME CONSTRAINT "paints_name_key" TO "pigments_label_key";
-- Rename constraint "paints_hex_check" of "pigments" to "pigments_hex_check"
ALTER TABLE "pigments" RENAME CONSTRAINT "paints_hex_check" TO "pigments_hex_check";
-- Rename index "paints_hex_idx" to "pigments_hex_idx"
ALTER INDEX "paints_hex_idx" RENAME TO "pigments_hex_idx";
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
SET lock_timeout = '5s';
-- Rename index "pigments_hex_idx" to "paints_hex_idx"
ALTER INDEX "pigments_hex_idx" RENAME TO "paints_hex_idx";
-- Rename constraint "pigments_hex_check" of "pigments" to "paints_hex_check"
ALTER TABLE "pigments" RENAME CONSTRAINT "pigments_hex_check" TO "paints_hex_check";
-- Rename constraint "pigments_label_key" of "pigments" to "paints_name_key"
ALTER TABLE "pigments" RENAME CONSTRAINT "pigments_label_key" TO "paints_name_key";
-- Rename constraint "pigments_pkey" of "pigments" to "paints_pkey"
ALTER TABLE "pigments" RENAME CONSTRAINT "pigments_pkey" TO "paints_pkey";
-- Rename column "label" of "pigments" to "name"
ALTER TABLE "pigments" RENAME COLUMN "label" TO "name";
-- Rename column "shade" of "pigments" to "colour"
ALTER TABLE "pigments" RENAME COLUMN "shade" TO "colour";
-- Rename table "pigments" to "paints"
ALTER TABLE "pigments" RENAME TO "paints";
-- Rename enum "hue" to "color"
ALTER TYPE "hue" RENAME TO "color";

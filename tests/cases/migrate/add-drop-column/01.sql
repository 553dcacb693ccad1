-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
-- Create table "notes"
CREATE TABLE "notes" (
  "id" serial NOT NULL,
  "body" text NOT NULL,
  CONSTRAINT "notes_pkey" PRIMARY KEY ("id")
);
-- migrate:down
-- Drop table "notes"
DROP TABLE "notes";

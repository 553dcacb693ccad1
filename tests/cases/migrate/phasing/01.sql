-- file: 20260101_120000_core_step_01.sql
-- schemac: owner=core description="step 01"
-- migrate:up
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Create table "customers"
CREATE TABLE "customers" (
  "id" serial NOT NULL,
  "email" text,
  CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);
-- Create table "orders"
CREATE TABLE "orders" (
  "id" serial NOT NULL,
  "customer_id" integer,
  "code" varchar(20),
  "total" integer,
  CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);
-- Create table "tags"
CREATE TABLE "tags" (
  "name" text,
  "color" text
);
-- migrate:down
SET standard_conforming_strings = 'on'; SET client_encoding = 'UTF8'; SET check_function_bodies = 'on'; SET search_path = public, pg_temp;
-- Drop table "tags"
DROP TABLE "tags";
-- Drop table "orders"
DROP TABLE "orders";
-- Drop table "customers"
DROP TABLE "customers";

-- schemac: owner=globex description="enable row-level security on every tenant table"
-- migrate:up
SET lock_timeout = '5s';
-- Enable row-level security on "globex_shipment_events"
ALTER TABLE "globex_shipment_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "globex_shipment_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY "globex_shipment_events_tenant_isolation" ON "globex_shipment_events" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET lock_timeout = '5s';
-- Disable row-level security on "globex_shipment_events"
DROP POLICY "globex_shipment_events_tenant_isolation" ON "globex_shipment_events";
ALTER TABLE "globex_shipment_events" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "globex_shipment_events" DISABLE ROW LEVEL SECURITY;

-- schemac: owner=acme description="enable row-level security on every tenant table"
-- migrate:up
SET lock_timeout = '5s';
-- Enable row-level security on "acme_invoice_audit_log"
ALTER TABLE "acme_invoice_audit_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoice_audit_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_invoice_audit_log_tenant_isolation" ON "acme_invoice_audit_log" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- Enable row-level security on "acme_invoice_config"
ALTER TABLE "acme_invoice_config" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoice_config" FORCE ROW LEVEL SECURITY;
CREATE POLICY "acme_invoice_config_tenant_isolation" ON "acme_invoice_config" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET lock_timeout = '5s';
-- Disable row-level security on "acme_invoice_config"
DROP POLICY "acme_invoice_config_tenant_isolation" ON "acme_invoice_config";
ALTER TABLE "acme_invoice_config" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoice_config" DISABLE ROW LEVEL SECURITY;
-- Disable row-level security on "acme_invoice_audit_log"
DROP POLICY "acme_invoice_audit_log_tenant_isolation" ON "acme_invoice_audit_log";
ALTER TABLE "acme_invoice_audit_log" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "acme_invoice_audit_log" DISABLE ROW LEVEL SECURITY;

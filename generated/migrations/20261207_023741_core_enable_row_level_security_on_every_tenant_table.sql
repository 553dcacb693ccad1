-- schemac: owner=core description="enable row-level security on every tenant table"
-- migrate:up
SET lock_timeout = '5s';
-- Enable row-level security on "tool_calls"
ALTER TABLE "tool_calls" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tool_calls" FORCE ROW LEVEL SECURITY;
CREATE POLICY "tool_calls_tenant_isolation" ON "tool_calls" USING ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid) WITH CHECK ("client_id" = NULLIF(current_setting('app.client_id', true), '')::uuid);
-- migrate:down
SET lock_timeout = '5s';
-- Disable row-level security on "tool_calls"
DROP POLICY "tool_calls_tenant_isolation" ON "tool_calls";
ALTER TABLE "tool_calls" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "tool_calls" DISABLE ROW LEVEL SECURITY;

DO $$
BEGIN
  SET LOCAL row_security = off;
  IF (SELECT count(*) FROM acme_invoices WHERE status = 'paid' AND amount_cents = 1200) <> 1 THEN RAISE EXCEPTION 'the restored invoices lost rows'; END IF;
  IF (SELECT count(*) FROM acme_invoice_lines) <> 1 THEN RAISE EXCEPTION 'the restored lines lost rows'; END IF;
  IF EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'archive_acme') THEN RAISE EXCEPTION 'something is left in archive_acme'; END IF;
END $$;
INSERT INTO acme_invoices (client_id, amount_cents) VALUES ('00000000-0000-0000-0000-000000000001', 5);
DELETE FROM acme_invoices WHERE amount_cents = 5;

DO $$
BEGIN
  IF to_regclass('public.acme_invoices') IS NOT NULL THEN RAISE EXCEPTION 'acme_invoices is still in public'; END IF;
  SET LOCAL row_security = off;
  IF (SELECT count(*) FROM archive_acme.acme_invoices) <> 2 THEN RAISE EXCEPTION 'the archived invoices lost rows'; END IF;
  IF (SELECT count(*) FROM archive_acme.acme_invoice_lines) <> 1 THEN RAISE EXCEPTION 'the archived lines lost rows'; END IF;
END $$;

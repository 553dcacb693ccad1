DO $$
BEGIN
  IF (SELECT count(*) FROM invoices WHERE code = 'INV-001') <> 1 THEN RAISE EXCEPTION 'the invoice did not survive the renames'; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'uq_invoices_code') THEN RAISE EXCEPTION 'uq_invoices_code is missing'; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'ix_invoices_total' AND relkind = 'i') THEN RAISE EXCEPTION 'ix_invoices_total is missing'; END IF;
END $$;

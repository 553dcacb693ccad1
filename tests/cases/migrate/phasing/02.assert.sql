DO $$
BEGIN
  IF (SELECT count(*) FROM orders) <> 2500 THEN RAISE EXCEPTION 'orders lost rows'; END IF;
  IF (SELECT count(DISTINCT public_id) FROM orders) <> 2500 THEN RAISE EXCEPTION 'public_id was not backfilled per row'; END IF;
  IF (SELECT count(*) FROM orders WHERE trace_id IS NULL) <> 0 THEN RAISE EXCEPTION 'trace_id was not backfilled'; END IF;
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE NOT convalidated AND conrelid IN ('orders'::regclass, 'customers'::regclass, 'shipments'::regclass))
    THEN RAISE EXCEPTION 'a constraint was left NOT VALID'; END IF;
  IF EXISTS (SELECT 1 FROM pg_index WHERE NOT indisvalid) THEN RAISE EXCEPTION 'an index was left invalid'; END IF;
END $$;

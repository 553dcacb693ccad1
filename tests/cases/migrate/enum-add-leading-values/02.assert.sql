DO $$
BEGIN
  IF (SELECT array_agg(enumlabel::text ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'status'::regtype)
     <> ARRAY['void', 'paid', 'draft', 'pending', 'open', 'archived'] THEN
    RAISE EXCEPTION 'enum values out of order';
  END IF;
  IF (SELECT count(*) FROM "clients" WHERE "status" IN ('draft', 'open')) <> 2 THEN
    RAISE EXCEPTION 'rows lost';
  END IF;
END $$;

-- globex still declares pg_trgm: acme removing it from its models must not drop it.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    RAISE EXCEPTION 'pg_trgm was dropped although globex still declares it';
  END IF;
END $$;

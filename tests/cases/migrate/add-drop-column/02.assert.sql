DO $$ BEGIN
  IF (SELECT count(*) FROM notes WHERE body = 'hello' AND priority = 0 AND NOT archived AND title IS NULL) <> 1 THEN
    RAISE EXCEPTION 'the row did not survive adding columns';
  END IF;
END $$;

DO $$ BEGIN
  IF (SELECT count(*) FROM notes WHERE body = 'hello' AND priority = 0) <> 1 THEN
    RAISE EXCEPTION 'the row did not survive dropping columns';
  END IF;
END $$;

DO $$ BEGIN
  IF (SELECT count(*) FROM measurements WHERE value = 42 AND label = 'abc' AND note = 'n' AND unit = 'kg' AND ratio = 0.5) <> 1 THEN
    RAISE EXCEPTION 'the row did not survive widening';
  END IF;
END $$;

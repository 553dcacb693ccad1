DO $$ BEGIN
  IF (SELECT count(*) FROM measurements WHERE value = 42 AND label = 'abc' AND note = 'n') <> 1 THEN
    RAISE EXCEPTION 'the row did not survive step 03';
  END IF;
END $$;

DO $$ BEGIN
  IF (SELECT count(*) FROM pigments WHERE shade = 'red' AND hex = '#ff0000' AND label = 'Rosso') <> 1 THEN
    RAISE EXCEPTION 'the row did not survive the renames';
  END IF;
END $$;

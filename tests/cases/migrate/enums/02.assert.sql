DO $$ BEGIN
  IF (SELECT count(*) FROM tickets WHERE status = 'closed' AND history = '{open,closed}' AND priority = 'high') <> 1 THEN
    RAISE EXCEPTION 'the row did not survive adding enum values';
  END IF;
END $$;

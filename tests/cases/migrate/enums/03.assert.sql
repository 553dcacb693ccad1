DO $$ BEGIN
  IF (SELECT count(*) FROM tickets WHERE status = 'closed' AND history::text[] = '{open,closed}') <> 1 THEN
    RAISE EXCEPTION 'the row did not survive dropping an enum value';
  END IF;
END $$;

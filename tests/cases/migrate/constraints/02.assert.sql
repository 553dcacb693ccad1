DO $$ BEGIN
  IF (SELECT count(*) FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE a.email = 'a@example.com') <> 1 THEN
    RAISE EXCEPTION 'the rows did not survive the constraint changes';
  END IF;
END $$;

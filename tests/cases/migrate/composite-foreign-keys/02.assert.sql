DO $$
BEGIN
  IF (SELECT count(*) FROM acme_orders) <> 1 THEN RAISE EXCEPTION 'the order did not survive'; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'acme_fk_orders_customer' AND array_length(conkey, 1) = 2) THEN
    RAISE EXCEPTION 'acme_fk_orders_customer is missing or not composite';
  END IF;
  BEGIN
    INSERT INTO acme_orders (client_id, customer_id) VALUES ('00000000-0000-0000-0000-000000000001', 99);
    RAISE EXCEPTION 'an order of an unknown customer was accepted';
  EXCEPTION WHEN foreign_key_violation THEN NULL;
  END;
END $$;

DO $$
BEGIN
  IF (SELECT count(*) FROM orders) <> 2500 THEN RAISE EXCEPTION 'orders lost rows'; END IF;
  IF (SELECT count(*) FROM orders WHERE settled IS DISTINCT FROM 'void') <> 0 THEN RAISE EXCEPTION 'settled was not backfilled with its default'; END IF;
  IF (SELECT count(*) FROM orders WHERE history IS DISTINCT FROM ARRAY['paid']::order_status[]) <> 0 THEN RAISE EXCEPTION 'history was not backfilled with its default'; END IF;
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE NOT convalidated) THEN RAISE EXCEPTION 'a constraint was left NOT VALID'; END IF;
  IF EXISTS (SELECT 1 FROM pg_index WHERE NOT indisvalid) THEN RAISE EXCEPTION 'an index was left invalid'; END IF;
END $$;
INSERT INTO refunds (order_id) VALUES (1);
INSERT INTO orders (code) VALUES ('new');
DO $$
BEGIN
  IF (SELECT state::text FROM refunds) <> 'void' THEN RAISE EXCEPTION 'the default of refunds.state is not void'; END IF;
  IF (SELECT status::text FROM orders WHERE code = 'new') <> 'paid' THEN RAISE EXCEPTION 'the default of orders.status is not paid'; END IF;
END $$;
DELETE FROM refunds;
DELETE FROM orders WHERE code = 'new';

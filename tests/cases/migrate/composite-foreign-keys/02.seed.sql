INSERT INTO clients (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'one');
INSERT INTO acme_customers (client_id, id, name) VALUES ('00000000-0000-0000-0000-000000000001', 1, 'first');
INSERT INTO acme_orders (client_id, customer_id) VALUES ('00000000-0000-0000-0000-000000000001', 1);

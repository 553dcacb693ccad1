INSERT INTO clients (id, email, amount) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com', 5);
INSERT INTO invoices (client_id, id, code, total) VALUES ('00000000-0000-0000-0000-000000000001', 1, 'INV-001', 10);

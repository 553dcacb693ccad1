INSERT INTO clients (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'Acme');
SET app.client_id = '00000000-0000-0000-0000-000000000001';
INSERT INTO acme_invoices (client_id, status, amount_cents) VALUES ('00000000-0000-0000-0000-000000000001', 'paid', 1200), ('00000000-0000-0000-0000-000000000001', 'draft', 300);
INSERT INTO acme_invoice_lines (client_id, invoice_id, label) SELECT client_id, id, 'consulting' FROM acme_invoices WHERE status = 'paid';
RESET app.client_id;

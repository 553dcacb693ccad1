INSERT INTO accounts (id, email, region, code) VALUES ('00000000-0000-0000-0000-000000000001', 'a@example.com', 'eu', 'x1');
INSERT INTO memberships (account_id, team, role) VALUES ('00000000-0000-0000-0000-000000000001', 'core', 'admin');

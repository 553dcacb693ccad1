INSERT INTO tickets (status, history, priority) VALUES ('closed', '{open,closed}', 'high');

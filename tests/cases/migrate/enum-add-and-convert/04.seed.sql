INSERT INTO feedback (mood) VALUES ('ok'), ('great');

INSERT INTO notes (body) VALUES ('hello');

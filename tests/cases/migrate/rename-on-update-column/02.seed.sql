INSERT INTO notes (body) VALUES ('x');

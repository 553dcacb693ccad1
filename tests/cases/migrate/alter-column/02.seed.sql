INSERT INTO measurements (value, label, note, ratio) VALUES (42, 'abc', 'n', 0.5);

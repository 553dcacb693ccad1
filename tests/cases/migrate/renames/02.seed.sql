INSERT INTO paints (colour, hex, name) VALUES ('red', '#ff0000', 'Rosso');

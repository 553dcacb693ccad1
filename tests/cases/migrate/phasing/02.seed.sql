INSERT INTO customers (email) SELECT 'c' || g || '@example.com' FROM generate_series(1, 50) g;
INSERT INTO orders (customer_id, code, total) SELECT 1 + g % 50, 'o' || g, g FROM generate_series(1, 2500) g;
INSERT INTO tags (name, color) VALUES ('red', 'r'), ('blue', 'b');

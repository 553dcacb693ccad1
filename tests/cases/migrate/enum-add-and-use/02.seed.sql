INSERT INTO orders (status, code) SELECT (ARRAY['draft', 'open'])[1 + g % 2]::order_status, 'o' || g FROM generate_series(1, 2500) g;

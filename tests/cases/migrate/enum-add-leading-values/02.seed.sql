INSERT INTO "clients" ("name", "status") VALUES ('a', 'draft'), ('b', 'open');

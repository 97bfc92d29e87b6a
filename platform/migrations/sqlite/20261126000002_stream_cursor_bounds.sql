-- Bounds for at-least-once cursors: a stream never serves events from before it was created
-- (start_position), and a cursor cannot commit past the last one the stream handed out
-- (issued_cursor), so a forged or foreign cursor can neither replay nor skip events.
ALTER TABLE streams ADD COLUMN start_position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE streams ADD COLUMN issued_cursor INTEGER NOT NULL DEFAULT 0;
UPDATE streams SET start_position = position, issued_cursor = position;

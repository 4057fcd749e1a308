-- The bytes of photos not (yet) attached to a case, summed on every upload to bound them.
CREATE INDEX uploads_pending ON uploads(created_at_ms, bytes) WHERE case_id IS NULL;

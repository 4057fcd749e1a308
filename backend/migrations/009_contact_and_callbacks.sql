-- Issue 11. A walk-in or letter may come without a mobile: a landline is kept in
-- `mobile` (the case's phone), or no phone at all with a postal address for the
-- written notices. A 不满意 rating may say why; its callback task shows it.
ALTER TABLE cases ADD COLUMN postal_address TEXT NOT NULL DEFAULT '';
ALTER TABLE callback_tasks ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- Issue 11. The pre-check's urgent flag (the limitation period or application deadline
-- ends within 7 days, 《法律援助法》第四十四条) travels with the booking, so the staff's
-- day view can show it and aid can start before the decision.
ALTER TABLE bookings ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0;

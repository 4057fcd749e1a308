-- One booking per mobile per day is no longer enforced for residents: without a verified
-- mobile, the rule let anyone block a stranger's day, and its refusal told anyone whether
-- a mobile had a legal-aid appointment. Per-mobile and per-address rate limits bound
-- hoarding instead, and staff can cancel a booking (with a reason, as an event).
DROP INDEX bookings_one_per_mobile_per_day;
CREATE INDEX bookings_by_mobile_day ON bookings(mobile, day);

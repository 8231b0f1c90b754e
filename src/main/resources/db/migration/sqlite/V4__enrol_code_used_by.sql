-- The device that used a code. Using a code and logging the device's enrolment are two commits: a crash (or a lost
-- answer) between them must not burn the code, so the same device may present it again.
ALTER TABLE enrol_code ADD COLUMN used_by TEXT;

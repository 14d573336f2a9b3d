-- Placeholder on the other-rights branch only: version 10 belongs to another branch. Delete this file when merging,
-- so that branch's 0010 and this branch's 0011_other_rights.sql run in order.
SELECT 1;

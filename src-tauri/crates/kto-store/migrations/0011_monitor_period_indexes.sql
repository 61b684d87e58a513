-- 0011: indexes for reading the monitor facts of one reporting period
-- (Store::monitor_period_facts) instead of every record: grants and scouting outcomes by
-- date, and priority filings by their family as the figures compare it (trimmed of the
-- characters Rust's `str::trim` removes, so that the lookup finds exactly the filings the
-- computation puts in one family), with the filing date so that finding the families
-- with a filing in a period reads this small index alone. Indexes only: no table or row
-- changes.

CREATE INDEX patents_by_grant_date ON patents(grant_date, id);
CREATE INDEX scouting_leads_by_outcome_date ON scouting_leads(outcome_date, id);
CREATE INDEX patents_priority_by_family ON patents(
    trim(family, char(9, 10, 11, 12, 13, 32, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196,
                      8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288)),
    filing_date)
    WHERE is_priority <> 0;

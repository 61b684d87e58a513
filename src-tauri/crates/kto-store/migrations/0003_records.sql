-- 0003: the office's other record kinds (kto_core::record::KINDS describes their fields),
-- saved table views, attachments and notes. Links are foreign keys, so no record can point
-- to one that is gone; every link column is indexed so "what points here" is a lookup.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE scouting_leads (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    topic TEXT NOT NULL,
    research_group TEXT NOT NULL,
    faculty TEXT,
    contact_id TEXT REFERENCES people(id),
    visit_date TEXT,
    potential TEXT,
    outcome TEXT,
    outcome_date TEXT,
    disclosure_id TEXT REFERENCES disclosures(id),
    consortium_id TEXT REFERENCES consortia(id),
    agreement_id TEXT REFERENCES agreements(id),
    description TEXT
) STRICT;
CREATE INDEX scouting_leads_by_topic ON scouting_leads(topic, id);
CREATE INDEX scouting_leads_by_visit_date ON scouting_leads(visit_date, id);
CREATE INDEX scouting_leads_by_outcome ON scouting_leads(outcome, id);
CREATE INDEX scouting_leads_by_contact_id ON scouting_leads(contact_id, id);
CREATE INDEX scouting_leads_by_disclosure_id ON scouting_leads(disclosure_id, id);
CREATE INDEX scouting_leads_by_consortium_id ON scouting_leads(consortium_id, id);
CREATE INDEX scouting_leads_by_agreement_id ON scouting_leads(agreement_id, id);

CREATE TABLE patents (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    title TEXT NOT NULL,
    family TEXT NOT NULL,
    disclosure_id TEXT REFERENCES disclosures(id),
    jurisdiction TEXT NOT NULL,
    application_number TEXT,
    filing_date TEXT,
    is_priority INTEGER,
    priority_date TEXT,
    grant_date TEXT,
    status TEXT NOT NULL,
    description TEXT
) STRICT;
CREATE INDEX patents_by_title ON patents(title, id);
CREATE INDEX patents_by_family ON patents(family, id);
CREATE INDEX patents_by_filing_date ON patents(filing_date, id);
CREATE INDEX patents_by_disclosure_id ON patents(disclosure_id, id);

CREATE TABLE agreements (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    counterparty_id TEXT REFERENCES organisations(id),
    signed_date TEXT,
    start_date TEXT,
    end_date TEXT,
    value_cents INTEGER,
    exclusive INTEGER,
    patent_id TEXT REFERENCES patents(id),
    deal_id TEXT REFERENCES deals(id),
    consortium_id TEXT REFERENCES consortia(id),
    spin_off_id TEXT REFERENCES spin_offs(id),
    description TEXT
) STRICT;
CREATE INDEX agreements_by_title ON agreements(title, id);
CREATE INDEX agreements_by_signed_date ON agreements(signed_date, id);
CREATE INDEX agreements_by_end_date ON agreements(end_date, id);
CREATE INDEX agreements_by_kind ON agreements(kind, id);
CREATE INDEX agreements_by_counterparty_id ON agreements(counterparty_id, id);
CREATE INDEX agreements_by_patent_id ON agreements(patent_id, id);
CREATE INDEX agreements_by_deal_id ON agreements(deal_id, id);
CREATE INDEX agreements_by_consortium_id ON agreements(consortium_id, id);
CREATE INDEX agreements_by_spin_off_id ON agreements(spin_off_id, id);

CREATE TABLE consortia (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL,
    programme TEXT,
    start_year INTEGER,
    end_year INTEGER,
    total_budget_cents INTEGER,
    deal_id TEXT REFERENCES deals(id),
    description TEXT
) STRICT;
CREATE INDEX consortia_by_name ON consortia(name, id);
CREATE INDEX consortia_by_deal_id ON consortia(deal_id, id);

CREATE TABLE contributions (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    consortium_id TEXT NOT NULL REFERENCES consortia(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    partner_kind TEXT NOT NULL,
    role TEXT NOT NULL,
    year INTEGER NOT NULL,
    cash_cents INTEGER,
    in_kind_cents INTEGER,
    in_kind_hours INTEGER
) STRICT;
CREATE INDEX contributions_by_role ON contributions(role, id);
CREATE INDEX contributions_by_consortium_id ON contributions(consortium_id, id);
CREATE INDEX contributions_by_organisation_id ON contributions(organisation_id, id);
CREATE INDEX contributions_by_year ON contributions(year, id);

CREATE TABLE spin_offs (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    name TEXT NOT NULL,
    kvk_number TEXT,
    disclosure_id TEXT REFERENCES disclosures(id),
    patent_id TEXT REFERENCES patents(id),
    incorporation_date TEXT,
    deal_form TEXT,
    formal_ip_agreement INTEGER,
    status TEXT NOT NULL,
    status_date TEXT,
    deal_id TEXT REFERENCES deals(id),
    description TEXT
) STRICT;
CREATE INDEX spin_offs_by_name ON spin_offs(name, id);
CREATE INDEX spin_offs_by_incorporation_date ON spin_offs(incorporation_date, id);
CREATE INDEX spin_offs_by_disclosure_id ON spin_offs(disclosure_id, id);
CREATE INDEX spin_offs_by_patent_id ON spin_offs(patent_id, id);
CREATE INDEX spin_offs_by_deal_id ON spin_offs(deal_id, id);

CREATE TABLE founders (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    spin_off_id TEXT NOT NULL REFERENCES spin_offs(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    role TEXT NOT NULL
) STRICT;
CREATE INDEX founders_by_role ON founders(role, id);
CREATE INDEX founders_by_spin_off_id ON founders(spin_off_id, id);
CREATE INDEX founders_by_person_id ON founders(person_id, id);

CREATE TABLE funding_rounds (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    spin_off_id TEXT NOT NULL REFERENCES spin_offs(id),
    name TEXT NOT NULL,
    closed_date TEXT,
    amount_cents INTEGER NOT NULL,
    pre_money_cents INTEGER,
    investors TEXT,
    external INTEGER
) STRICT;
CREATE INDEX funding_rounds_by_name ON funding_rounds(name, id);
CREATE INDEX funding_rounds_by_spin_off_id ON funding_rounds(spin_off_id, id);
CREATE INDEX funding_rounds_by_closed_date ON funding_rounds(closed_date, id);

CREATE TABLE income (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL,
    received_date TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    agreement_id TEXT REFERENCES agreements(id)
) STRICT;
CREATE INDEX income_by_description ON income(description, id);
CREATE INDEX income_by_received_date ON income(received_date, id);
CREATE INDEX income_by_agreement_id ON income(agreement_id, id);

CREATE TABLE costs (
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    paid_date TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    patent_id TEXT REFERENCES patents(id),
    agreement_id TEXT REFERENCES agreements(id)
) STRICT;
CREATE INDEX costs_by_description ON costs(description, id);
CREATE INDEX costs_by_paid_date ON costs(paid_date, id);
CREATE INDEX costs_by_patent_id ON costs(patent_id, id);
CREATE INDEX costs_by_agreement_id ON costs(agreement_id, id);

-- Table views a user saved: a name and the query (JSON of kto_core::record::RecordQuery).
CREATE TABLE saved_views (
    kind  TEXT NOT NULL,
    name  TEXT NOT NULL,
    query TEXT NOT NULL,
    PRIMARY KEY (kind, name)
) STRICT;

-- Files kept with a record: copied into the data folder's attachments/ under stored_name.
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    record_kind TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    stored_name TEXT NOT NULL UNIQUE,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL
) STRICT;
CREATE INDEX attachments_by_record ON attachments(record_id, added_at);

-- Notes are kept in the history (action 'noted') so that the timeline is one list; this
-- index makes a record's notes cheap to gather for its search entry.
CREATE INDEX activities_notes ON activities(record_id) WHERE action = 'noted';

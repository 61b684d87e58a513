-- 0002: deal pipelines. Stages are rows, so an office can rename, add and reorder them;
-- deals point to a stage by its stable id, so history survives any renaming.
-- Released: never edit; add a new numbered file instead.

CREATE TABLE stages (
    id       TEXT PRIMARY KEY,
    pipeline TEXT NOT NULL,
    code     TEXT,
    name     TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    outcome  TEXT NOT NULL CHECK (outcome IN ('open', 'won', 'lost')),
    UNIQUE (pipeline, code)
) STRICT;
CREATE INDEX stages_by_pipeline ON stages(pipeline, position);

INSERT INTO stages (id, pipeline, code, name, position, outcome) VALUES
    ('scouting:identified', 'scouting', 'identified', '', 0, 'open'),
    ('scouting:contacted', 'scouting', 'contacted', '', 1, 'open'),
    ('scouting:visited', 'scouting', 'visited', '', 2, 'open'),
    ('scouting:assessed', 'scouting', 'assessed', '', 3, 'open'),
    ('scouting:converted', 'scouting', 'converted', '', 4, 'won'),
    ('scouting:parked', 'scouting', 'parked', '', 5, 'lost'),
    ('licensing:marketing', 'licensing', 'marketing', '', 0, 'open'),
    ('licensing:interest', 'licensing', 'interest', '', 1, 'open'),
    ('licensing:negotiation', 'licensing', 'negotiation', '', 2, 'open'),
    ('licensing:term_sheet', 'licensing', 'term_sheet', '', 3, 'open'),
    ('licensing:signed', 'licensing', 'signed', '', 4, 'won'),
    ('licensing:lost', 'licensing', 'lost', '', 5, 'lost'),
    ('pps:idea', 'pps', 'idea', '', 0, 'open'),
    ('pps:partner_search', 'pps', 'partner_search', '', 1, 'open'),
    ('pps:proposal', 'pps', 'proposal', '', 2, 'open'),
    ('pps:submitted', 'pps', 'submitted', '', 3, 'open'),
    ('pps:awarded', 'pps', 'awarded', '', 4, 'won'),
    ('pps:rejected', 'pps', 'rejected', '', 5, 'lost'),
    ('pps:running', 'pps', 'running', '', 6, 'won'),
    ('pps:closed', 'pps', 'closed', '', 7, 'won'),
    ('contract_research:request', 'contract_research', 'request', '', 0, 'open'),
    ('contract_research:quote', 'contract_research', 'quote', '', 1, 'open'),
    ('contract_research:negotiation', 'contract_research', 'negotiation', '', 2, 'open'),
    ('contract_research:signed', 'contract_research', 'signed', '', 3, 'won'),
    ('contract_research:running', 'contract_research', 'running', '', 4, 'won'),
    ('contract_research:closed', 'contract_research', 'closed', '', 5, 'won'),
    ('contract_research:lost', 'contract_research', 'lost', '', 6, 'lost'),
    ('spin_offs:intake', 'spin_offs', 'intake', '', 0, 'open'),
    ('spin_offs:business_case', 'spin_offs', 'business_case', '', 1, 'open'),
    ('spin_offs:term_sheet', 'spin_offs', 'term_sheet', '', 2, 'open'),
    ('spin_offs:negotiation', 'spin_offs', 'negotiation', '', 3, 'open'),
    ('spin_offs:incorporated', 'spin_offs', 'incorporated', '', 4, 'won'),
    ('spin_offs:active', 'spin_offs', 'active', '', 5, 'won'),
    ('spin_offs:exited', 'spin_offs', 'exited', '', 6, 'won'),
    ('spin_offs:dissolved', 'spin_offs', 'dissolved', '', 7, 'lost');

CREATE TABLE deals (
    id              TEXT PRIMARY KEY,
    pipeline        TEXT NOT NULL,
    title           TEXT NOT NULL,
    stage_id        TEXT NOT NULL REFERENCES stages(id) ON DELETE RESTRICT,
    organisation_id TEXT REFERENCES organisations(id) ON DELETE RESTRICT,
    value_cents     INTEGER CHECK (value_cents >= 0),
    owner           TEXT NOT NULL DEFAULT '',
    next_action     TEXT NOT NULL DEFAULT '',
    next_action_due TEXT,
    lost_reason     TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    -- Order of the card within its column: lower first.
    rank            INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX deals_by_stage ON deals(stage_id, rank, id);
CREATE INDEX deals_by_organisation ON deals(organisation_id) WHERE organisation_id IS NOT NULL;
CREATE INDEX deals_by_due ON deals(next_action_due) WHERE next_action_due IS NOT NULL;

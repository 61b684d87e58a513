-- 0010: the deal table (Store::list_deals, its saved views).
--
-- Indexes for its sort orders, so that a page of a pipeline sorted by title, value or
-- next-action due date is read in order from an index instead of sorting the whole
-- pipeline. Each repeats the ORDER BY of list_deals: missing values last in either
-- direction (`… IS NULL` first), then the column, then the id as tie-breaker. Title
-- (COLLATE NOCASE) serves both directions by scanning backwards; value and due date keep
-- missing values last when descending, which a backward scan cannot, so they have an index
-- per direction.
--
-- Saved views of the deal table were kept under the kind `deal` alone, so one name in two
-- pipelines was one view; each is now kept under its pipeline (`deal:licensing`), taken
-- from the `pipeline` filter the view was saved with (the UI's camelCase name).
-- Released: never edit; add a new numbered file instead.

CREATE INDEX deals_by_pipeline_title ON deals(pipeline, title COLLATE NOCASE, id);
CREATE INDEX deals_by_pipeline_value ON deals(pipeline, value_cents IS NULL, value_cents, id);
CREATE INDEX deals_by_pipeline_value_desc
    ON deals(pipeline, value_cents IS NULL, value_cents DESC, id DESC);
CREATE INDEX deals_by_pipeline_due ON deals(pipeline, next_action_due IS NULL, next_action_due, id);
CREATE INDEX deals_by_pipeline_due_desc
    ON deals(pipeline, next_action_due IS NULL, next_action_due DESC, id DESC);

UPDATE saved_views
   SET kind = 'deal:' || CASE json_extract(query, '$.filters.pipeline')
                            WHEN 'contractResearch' THEN 'contract_research'
                            WHEN 'spinOffs' THEN 'spin_offs'
                            ELSE json_extract(query, '$.filters.pipeline')
                        END
 WHERE kind = 'deal'
   AND json_extract(query, '$.filters.pipeline') IN
       ('scouting', 'licensing', 'pps', 'contractResearch', 'spinOffs');

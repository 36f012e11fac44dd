-- bench/export-floor.sql for PostgreSQL: one row per forecast in the export/import layout, with
-- each question's current resolution and the forecast's Brier and log score where it resolved yes or no.
WITH current AS (
  SELECT r.question_id, r.outcome, r.resolved_on, r.note, r.evidence
  FROM resolution r
  JOIN (SELECT question_id, max(id) AS id FROM resolution GROUP BY question_id) latest ON latest.id = r.id
),
tags AS (
  SELECT question_id, string_agg(tag, '; ' ORDER BY id) AS tags
  FROM question_tag
  GROUP BY question_id
)
SELECT question.id AS question_id, question.statement, question.criteria, question.resolve_by,
  tags.tags, scenario.name AS scenario, forecast.id AS forecast_id, forecaster.name AS forecaster,
  forecast.probability, forecast.cue, forecast.scale, forecast.range_low, forecast.range_high,
  forecast.stated_on, source.title AS source, source.url AS source_url,
  source.published_on AS source_published_on, forecast.quote,
  current.outcome, current.resolved_on, current.note, current.evidence,
  CASE WHEN current.outcome IN ('yes', 'no')
    THEN (forecast.probability - (current.outcome = 'yes')::int) * (forecast.probability - (current.outcome = 'yes')::int) END AS brier,
  CASE current.outcome WHEN 'yes' THEN ln(greatest(forecast.probability, 1e-15))
    WHEN 'no' THEN ln(greatest(1 - forecast.probability, 1e-15)) END AS log_score
FROM forecast
JOIN question ON question.id = forecast.question_id
JOIN forecaster ON forecaster.id = forecast.forecaster_id
LEFT JOIN source ON source.id = forecast.source_id
LEFT JOIN scenario ON scenario.id = question.scenario_id
LEFT JOIN tags ON tags.question_id = question.id
LEFT JOIN current ON current.question_id = question.id
ORDER BY question.id, forecast.id;

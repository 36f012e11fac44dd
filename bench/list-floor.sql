-- The floor for `ledger list --format csv --limit 0`: every question with its resolve-by date,
-- status on the generator's today (2026-11-23), current outcome and forecasters (each name
-- once, in the order of their first forecast), in question order: the list's columns and rows.
WITH current AS (
  SELECT r.question_id, r.outcome
  FROM resolution r
  JOIN (SELECT question_id, max(id) AS id FROM resolution GROUP BY question_id) latest ON latest.id = r.id
),
names AS (
  SELECT question_id, group_concat(name, '; ') AS forecasters
  FROM (
    SELECT forecast.question_id, forecaster.name, min(forecast.id) AS first
    FROM forecast JOIN forecaster ON forecaster.id = forecast.forecaster_id
    GROUP BY forecast.question_id, forecaster.name
    ORDER BY forecast.question_id, first
  )
  GROUP BY question_id
)
SELECT question.id AS question_id, question.resolve_by,
  CASE WHEN current.outcome IS NOT NULL THEN 'resolved' WHEN question.resolve_by < '2026-11-23' THEN 'due' ELSE 'open' END AS status,
  current.outcome, names.forecasters, question.statement
FROM question
LEFT JOIN current ON current.question_id = question.id
LEFT JOIN names ON names.question_id = question.id
ORDER BY question.id;

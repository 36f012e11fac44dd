-- bench/report-floor.sql for PostgreSQL: the mean Brier of each forecaster's last counting
-- forecast on every question currently resolved yes or no (the report's last_brier), by forecaster.
WITH current AS (
  SELECT r.question_id, r.outcome, r.resolved_on
  FROM resolution r
  JOIN (SELECT question_id, max(id) AS id FROM resolution GROUP BY question_id) latest ON latest.id = r.id
  WHERE r.outcome IN ('yes', 'no')
),
counting AS (
  SELECT forecast.forecaster_id, forecast.probability, current.outcome,
    row_number() OVER (PARTITION BY forecast.question_id, forecast.forecaster_id ORDER BY forecast.stated_on DESC, forecast.id DESC) AS newest
  FROM forecast
  JOIN current ON current.question_id = forecast.question_id
  JOIN question ON question.id = forecast.question_id
  WHERE forecast.stated_on < CASE
    WHEN current.outcome = 'no' AND current.resolved_on >= question.resolve_by THEN question.resolve_by + 1
    ELSE least(current.resolved_on, question.resolve_by + 1) END
)
SELECT forecaster.name AS "group", count(*) AS n,
  avg((probability - (outcome = 'yes')::int) * (probability - (outcome = 'yes')::int)) AS last_brier
FROM counting
JOIN forecaster ON forecaster.id = counting.forecaster_id
WHERE newest = 1
GROUP BY forecaster.id
ORDER BY last_brier;

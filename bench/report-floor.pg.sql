-- bench/report-floor.sql for PostgreSQL: mean Brier per forecaster over every forecast on a
-- question whose current (latest) resolution is yes or no.
WITH current AS (
  SELECT r.question_id, r.outcome
  FROM resolution r
  JOIN (SELECT question_id, max(id) AS id FROM resolution GROUP BY question_id) latest ON latest.id = r.id
)
SELECT forecaster.name AS "group", count(*) AS n,
  avg((forecast.probability - (current.outcome = 'yes')::int) * (forecast.probability - (current.outcome = 'yes')::int)) AS brier
FROM forecast
JOIN current ON current.question_id = forecast.question_id AND current.outcome IN ('yes', 'no')
JOIN forecaster ON forecaster.id = forecast.forecaster_id
GROUP BY forecaster.id
ORDER BY brier;

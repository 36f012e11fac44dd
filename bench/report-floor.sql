-- The floor for `ledger report --by forecaster`: the mean Brier of each forecaster's last
-- counting forecast on every question whose current (latest) resolution is yes or no (the
-- report's last_brier), grouped by forecaster. A forecast counts when stated before the event's
-- date, capped at the day after the resolve-by date (through that day for a "no" dated on or after it).
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
    WHEN current.outcome = 'no' AND current.resolved_on >= question.resolve_by THEN date(question.resolve_by, '+1 day')
    ELSE min(current.resolved_on, date(question.resolve_by, '+1 day')) END
)
SELECT forecaster.name AS "group", count(*) AS n,
  avg((probability - (outcome = 'yes')) * (probability - (outcome = 'yes'))) AS last_brier
FROM counting
JOIN forecaster ON forecaster.id = counting.forecaster_id
WHERE newest = 1
GROUP BY forecaster.id
ORDER BY last_brier;

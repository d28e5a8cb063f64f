-- Away as a window (issue 24): the desk sets "away from … until …" for a
-- person; `since` is the window's start (it may lie ahead) and `away_until` its
-- end (NULL: until they are marked back, as chat's /away does).
ALTER TABLE staff_away ADD COLUMN away_until BIGINT;

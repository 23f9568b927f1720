-- The outbox's statistics follow its queue, not its size.
--
-- The claim (daemon/shell/outbox.c) walks outbox_pending in id order and
-- stops after a few rows, but only while PostgreSQL knows that many rows
-- are pending.  With statistics from before a backlog (a long SMTP outage,
-- a burst of digests) it plans a bitmap scan and a sort of every pending
-- row instead: about 1 000 pages read per claim with 3 000 pending, 18
-- once analysed (EXPLAIN (ANALYZE, BUFFERS), 2026-11-26).  By default
-- autovacuum analyses after 10 % of the table changes, and the table keeps
-- every sent message, so the larger its history the later the statistics
-- catch up with a queue.  Here: after 200 changed rows, whatever the
-- table's size; and vacuumed after 1 000 dead rows, so that the pending
-- index does not fill with entries for messages long sent.  Both passes
-- are cheap on this table (the visibility map skips pages of old mail).
ALTER TABLE outbox SET (
	autovacuum_analyze_scale_factor = 0,
	autovacuum_analyze_threshold = 200,
	autovacuum_vacuum_scale_factor = 0,
	autovacuum_vacuum_threshold = 1000
);

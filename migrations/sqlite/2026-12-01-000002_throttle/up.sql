-- How often something was done per key (a client, an address, a booking) in the current
-- window: rate limits every app instance shares. Keys are keyed hashes, never addresses.
CREATE TABLE rate_windows (
    scope TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (scope, key_hash)
);
-- Proof-of-work answers already used: one answer, one attempt.
CREATE TABLE pow_solved (
    challenge TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX pow_solved_by_expiry ON pow_solved (expires_at);

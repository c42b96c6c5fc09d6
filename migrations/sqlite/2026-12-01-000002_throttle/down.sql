DROP TABLE pow_solved;
DROP TABLE rate_windows;

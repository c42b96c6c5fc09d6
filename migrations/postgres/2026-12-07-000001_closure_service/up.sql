-- A closure of every counter of one service: NULL (as before) closes every counter and
-- venue of the municipality; 'card_pickup' every card-pickup counter; 'vaccination' every
-- vaccination venue. Only a closure without a counter has one.
ALTER TABLE closures ADD COLUMN service_kind TEXT
    CHECK (service_kind IS NULL OR (counter_id IS NULL AND service_kind IN ('card_pickup', 'vaccination')));

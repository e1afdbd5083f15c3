-- Views counted per network, essay and UTC day, so that one network cannot inflate an essay's
-- views by changing its browser string. network_hash is HMAC(day's salt, network + essay), like
-- view_visitors, and is deleted with that day's salt.
CREATE TABLE view_networks (
  day TEXT NOT NULL,
  network_hash TEXT NOT NULL,
  views INTEGER NOT NULL,
  PRIMARY KEY (day, network_hash)
) WITHOUT ROWID;

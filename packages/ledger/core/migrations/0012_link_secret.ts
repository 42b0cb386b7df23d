/** Version 12: the key that signs short-lived links (the usage report in a browser). */
export const name = 'link secret';

export const sql = String.raw`
-- Secrets the ledger generates for itself, never a provider's. gen_random_uuid() draws from the
-- server's strong random source: two of them hashed give a 256-bit signing key.
CREATE TABLE keypilot_secrets (
	name        text        PRIMARY KEY,
	value       text        NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO keypilot_secrets (name, value)
VALUES ('link_signing', encode(sha256((gen_random_uuid()::text || gen_random_uuid()::text)::bytea), 'hex'));
`;

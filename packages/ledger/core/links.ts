/**
 * Short-lived signed links: a token's holder gets a link that lets a browser open one thing (the
 * usage report) for some minutes, so the token itself never goes into a URL, where browser
 * history, proxies and n8n's stored requests would keep it. The link names the token by its hash
 * and the scope it was signed for; an HMAC-SHA256 with the ledger's own key (migration 12) makes
 * it unforgeable, and the token must still be active when the link is used. Pure: no n8n import.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import type { Queryable } from './db';
import type { TokenScope } from './tokens';

/** What a link may open: reading reports. A link that spent quota or made keys would be a credential in a URL. */
export const LINK_SCOPE = 'reports:read' satisfies TokenScope;

const PREFIX = 'kpl_';

async function signingKey(db: Queryable): Promise<string> {
	const { rows } = await db.query<{ value: string }>(
		`SELECT value FROM keypilot_secrets WHERE name = 'link_signing'`,
	);
	if (!rows[0]) throw new Error('The ledger has no link signing key: run Database → Set Up');
	return rows[0].value;
}

const signature = (key: string, payload: string) =>
	createHmac('sha256', key).update(payload).digest('base64url');

export async function signLink(
	db: Queryable,
	request: { tokenHash: string; scope: typeof LINK_SCOPE; seconds: number; now?: Date },
): Promise<{ link: string; expires_at: string }> {
	const expires = Math.floor((request.now ?? new Date()).getTime() / 1000) + request.seconds;
	const payload = Buffer.from(
		JSON.stringify({ h: request.tokenHash, s: request.scope, e: expires }),
	).toString('base64url');
	const key = await signingKey(db);
	return {
		link: `${PREFIX}${payload}.${signature(key, payload)}`,
		expires_at: new Date(expires * 1000).toISOString(),
	};
}

/** The token hash and scope a link was signed for, or why it is not a valid link now. */
export async function readLink(
	db: Queryable,
	link: string,
	now = new Date(),
): Promise<{ tokenHash: string; scope: typeof LINK_SCOPE } | { problem: string }> {
	const match = /^kpl_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(link.trim());
	if (!match) return { problem: 'not a signed link' };
	const [, payload, given] = match;
	const expected = Buffer.from(signature(await signingKey(db), payload));
	const received = Buffer.from(given);
	if (expected.length !== received.length || !timingSafeEqual(expected, received))
		return { problem: 'the signature does not match' };
	let claims: { h?: unknown; s?: unknown; e?: unknown };
	try {
		claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
	} catch {
		return { problem: 'not a signed link' };
	}
	if (typeof claims.e !== 'number' || claims.e * 1000 <= now.getTime())
		return { problem: 'the link has expired' };
	if (typeof claims.h !== 'string' || claims.s !== LINK_SCOPE)
		return { problem: 'not a signed link' };
	return { tokenHash: claims.h, scope: LINK_SCOPE };
}

import { createHash } from 'node:crypto';

/**
 * The SHA-256 (hex) by which a key is known without being kept: the same for the Usage Logger,
 * Quota Check and the key inventory. A leading "Bearer " (as in an Authorization header) and
 * surrounding spaces are not part of the key.
 */
export function keyHash(key: string): string {
	const bare = key
		.trim()
		.replace(/^bearer\s+/i, '')
		.trim();
	return createHash('sha256').update(bare, 'utf8').digest('hex');
}

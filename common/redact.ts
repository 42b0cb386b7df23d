/** Keeps secrets out of anything shown to a user: messages, errors, output. */

const MIN_SECRET_LENGTH = 6;

export function redactSecrets(text: string, secrets: Array<string | undefined>): string {
	let result = text;
	for (const secret of secrets) {
		if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
		result = result.split(secret).join('[redacted]');
	}
	// Provider error messages sometimes echo a partly masked key ("sk-admin-abc*****wxyz").
	return result.replace(/\b(sk-[A-Za-z0-9_-]{0,12})[A-Za-z0-9_*-]{8,}/g, '$1…[redacted]');
}

import { encode } from 'gpt-tokenizer/model/gpt-4o';

/** What a stand-in bills for one image, PDF or file part, and counts for it when asked. */
export const PART_TOKENS = 1_600;

/** Input tokens model "over-report" adds to every answer: far beyond any request's bound. */
export const OVER_REPORT = 50_000;

/** Tokens a provider adds to the prompt when tools are offered (Anthropic's tool system prompt). */
export const TOOL_PROMPT_TOKENS = 346;

const NOT_TEXT = new Set(['type', 'role', 'id', 'tool_use_id', 'cache_control', 'media_type']);
const PART_TYPES = new Set([
	'image',
	'document',
	'image_url',
	'input_image',
	'input_file',
	'file',
	'input_audio',
]);

/**
 * A stand-in's count of a prompt: the o200k tokens of every text in it, plus PART_TOKENS per
 * image, document or file part (never their bytes), as a provider bills them.
 */
export function promptTokens(...values: unknown[]): number {
	let tokens = 0;
	const walk = (value: unknown, key?: string): void => {
		if (typeof value === 'string') {
			if (!key || !NOT_TEXT.has(key)) tokens += encode(value).length;
		} else if (Array.isArray(value)) value.forEach((entry) => walk(entry));
		else if (value && typeof value === 'object') {
			const type = (value as { type?: unknown }).type;
			if (typeof type === 'string' && PART_TYPES.has(type)) {
				tokens += PART_TOKENS;
				return;
			}
			for (const [k, v] of Object.entries(value)) walk(v, k);
		}
	};
	values.forEach((value) => walk(value));
	return tokens;
}

/** Writes Server-Sent Events, all at once or `paceMs` apart; `sentAt` gets each write's time. */
export function writeEvents(
	res: import('node:http').ServerResponse,
	events: string[],
	paceMs: number | undefined,
	sentAt: number[],
): void {
	res.writeHead(200, { 'content-type': 'text/event-stream' });
	if (!paceMs) {
		res.end(events.join(''));
		return;
	}
	sentAt.length = 0;
	const next = () => {
		sentAt.push(performance.now());
		res.write(events.shift());
		if (events.length) setTimeout(next, paceMs);
		else res.end();
	};
	next();
}

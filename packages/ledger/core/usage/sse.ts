import { createParser, type EventSourceMessage } from 'eventsource-parser';

const FEED_SIZE = 64 * 1024;

/**
 * Calls `onEvent` for every event of a Server-Sent-Events text, read by eventsource-parser:
 * `data:` with or without a space, CR, LF or CRLF line ends, multi-line data, comments. A last
 * event without its closing blank line is still read; a line cut off in the middle is not.
 */
export function forEachSseEvent(text: string, onEvent: (event: EventSourceMessage) => void): void {
	const parser = createParser({ onEvent });
	// Fed as a network stream would arrive: the parser rescans what it holds on every feed, so a
	// whole 50 MB stream in one piece would take quadratic time.
	for (let start = 0; start < text.length; start += FEED_SIZE)
		parser.feed(text.slice(start, start + FEED_SIZE));
	if (!/(\r\n|\r|\n)$/.test(text)) parser.feed('\n');
	parser.feed('\n');
}

/** Whether a text looks like an SSE stream rather than a JSON document. */
export function looksLikeSse(text: string): boolean {
	const start = text.trimStart();
	return /^(data|event|id|retry)\s*:/.test(start) || start.startsWith(':');
}

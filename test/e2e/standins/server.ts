import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	/** The query string as it arrived, without "?". */
	rawQuery: string;
	headers: IncomingMessage['headers'];
	body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void;

/** A provider stand-in on 127.0.0.1 that records every request it answers. */
export class StandIn {
	readonly requests: RecordedRequest[] = [];
	private server?: Server;
	url = '';
	/** When set, every request is answered with this status, as a provider outage would be. */
	failWith?: number;
	/** Requests arrived and not yet answered, and the most there were at once since reset. */
	inFlight = 0;
	mostInFlight = 0;

	constructor(private readonly handler: Handler) {}

	async start(): Promise<void> {
		this.server = createServer((req, res) => {
			this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
			res.on('close', () => this.inFlight--);
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				const url = new URL(req.url ?? '/', 'http://127.0.0.1');
				const recorded = {
					method: req.method ?? 'GET',
					path: url.pathname,
					query: url.searchParams,
					rawQuery: url.search.slice(1),
					headers: req.headers,
					body,
				};
				this.requests.push(recorded);
				if (this.failWith) {
					json(
						res,
						this.failWith,
						{ error: { message: 'Service unavailable (stand-in outage)' } },
						{ 'retry-after': '0' },
					);
					return;
				}
				try {
					this.handler(recorded, res);
				} catch (error) {
					json(res, 500, { error: { message: String(error) } });
				}
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const address = this.server.address();
		if (typeof address !== 'object' || !address) throw new Error('stand-in did not bind');
		this.url = `http://127.0.0.1:${address.port}`;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => {
			if (!this.server) return resolve();
			this.server.close(() => resolve());
			// Requests left hanging on purpose would otherwise keep the server open.
			this.server.closeAllConnections();
		});
	}
}

export function json(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(text);
}

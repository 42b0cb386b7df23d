import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { Client } from 'pg';

import { byOutput, claimEvents, EVENTS_CHANNEL, type EventTarget } from '../../core/gateway/events';
import { poolConfig } from '../postgres/pool';

/** How long to wait before listening again after the connection to Postgres was lost. */
const RECONNECT_MS = 5_000;

/**
 * The trigger's side of gateway events, in the process that runs the workflow's triggers: one
 * connection that LISTENs, and on each notice for this workflow (and on every (re)connect, for
 * what was written while nobody listened) takes the pending events and emits them, sorted onto
 * the outputs, as one execution. A burst of notices becomes one take at a time, so a flood of
 * refusals starts a handful of executions, not one each.
 */
export class EventListener {
	private client: Client | undefined;
	private closed = false;
	private taking = false;
	private again = false;
	private retry: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly credentials: ICredentialDataDecryptedObject,
		private readonly target: EventTarget,
		private readonly emit: (data: INodeExecutionData[][]) => void,
		private readonly warn: (message: string) => void,
	) {}

	async start(): Promise<void> {
		const config = poolConfig(this.credentials);
		const client = new Client({ ...config, application_name: 'n8n-nodes-keypilot events' });
		client.on('error', (error) => this.lost(client, error));
		client.on('end', () => this.lost(client));
		client.on('notification', (notice) => {
			if (notice.payload === this.target.workflowId) void this.take();
		});
		this.client = client;
		await client.connect();
		await client.query(`LISTEN ${EVENTS_CHANNEL}`);
		await this.take();
	}

	async close(): Promise<void> {
		this.closed = true;
		if (this.retry) clearTimeout(this.retry);
		await this.client?.end().catch(() => undefined);
	}

	private lost(client: Client, error?: Error): void {
		if (this.closed || client !== this.client) return;
		this.client = undefined;
		client.end().catch(() => undefined);
		this.warn(
			`KeyPilot Gateway: lost its Postgres listener${error ? ` (${error.message})` : ''}; listening again in ${RECONNECT_MS / 1000} s`,
		);
		this.reconnect();
	}

	private reconnect(): void {
		this.retry = setTimeout(() => {
			if (this.closed) return;
			this.start().catch((error: Error) => {
				if (this.client) this.lost(this.client, error);
			});
		}, RECONNECT_MS);
	}

	/** Takes and emits until nothing is pending; a notice during a take asks for one more. */
	private async take(): Promise<void> {
		if (this.taking) {
			this.again = true;
			return;
		}
		this.taking = true;
		try {
			do {
				this.again = false;
				const client = this.client;
				if (!client || this.closed) return;
				const events = await claimEvents(client, this.target);
				if (events.length) {
					this.emit(
						byOutput(events).map((items) => items.map((json) => ({ json: json as IDataObject }))),
					);
					this.again = true;
				}
			} while (this.again);
		} catch (error) {
			this.warn(`KeyPilot Gateway: could not read its events (${(error as Error).message})`);
		} finally {
			this.taking = false;
		}
	}
}

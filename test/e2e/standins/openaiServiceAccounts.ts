/**
 * OpenAI's project service accounts as a stateful stand-in: created (with their one API key),
 * listed and deleted as the definition says, an unknown one 404. A hook may run between changing
 * the state and answering: the moment a crash is injected.
 */
import { randomBytes } from 'node:crypto';

import { OPENAI_ADMIN_KEY } from './openai';
import { json, type RecordedRequest, StandIn } from './server';

export interface ServiceAccount {
	projectId: string;
	id: string;
	name: string;
	keyId: string;
	secret: string;
	createdAt: number;
}

const listed = (account: ServiceAccount) => ({
	object: 'organization.project.service_account',
	id: account.id,
	name: account.name,
	role: 'member',
	created_at: account.createdAt,
});

export class OpenAiServiceAccounts {
	readonly accounts = new Map<string, ServiceAccount>();
	/** Runs after an account was created and before the answer; returning false sends none. */
	afterCreate?: (account: ServiceAccount) => boolean;
	/** Runs after an account was deleted and before the answer; returning false sends none. */
	afterDelete?: (account: ServiceAccount) => boolean;
	readonly standIn = new StandIn((req, res) => {
		if (req.headers.authorization !== `Bearer ${OPENAI_ADMIN_KEY}`) {
			json(res, 401, {
				error: {
					message: 'Incorrect API key provided.',
					type: 'invalid_request_error',
					code: 'invalid_api_key',
				},
			});
			return;
		}
		const answer = this.answer(req);
		if (answer) json(res, answer.status, answer.body);
	});

	add(projectId: string, name: string, createdAt = Math.floor(Date.now() / 1000)): ServiceAccount {
		const id = `svc_acct_${randomBytes(8).toString('hex')}`;
		const account = {
			projectId,
			id,
			name,
			keyId: `key_${randomBytes(8).toString('hex')}`,
			secret: `sk-svcacct-${randomBytes(24).toString('hex')}`,
			createdAt,
		};
		this.accounts.set(id, account);
		return account;
	}

	private answer(req: RecordedRequest): { status: number; body: unknown } | undefined {
		const collection = /^\/v1\/organization\/projects\/([^/]+)\/service_accounts$/.exec(req.path);
		const one = /^\/v1\/organization\/projects\/([^/]+)\/service_accounts\/([^/]+)$/.exec(req.path);
		if (collection && req.method === 'POST') {
			const body = JSON.parse(req.body || '{}') as Record<string, unknown>;
			const unknown = Object.keys(body).find((field) => field !== 'name');
			if (unknown || typeof body.name !== 'string') {
				return {
					status: 400,
					body: {
						error: {
							message: unknown
								? `Unrecognized request argument supplied: ${unknown}`
								: "Missing required parameter: 'name'.",
							type: 'invalid_request_error',
							param: unknown ?? 'name',
							code: unknown ? 'unknown_parameter' : 'missing_required_parameter',
						},
					},
				};
			}
			const account = this.add(decodeURIComponent(collection[1]), body.name);
			if (this.afterCreate && !this.afterCreate(account)) return undefined;
			return {
				status: 200,
				body: {
					...listed(account),
					api_key: {
						object: 'organization.project.service_account.api_key',
						value: account.secret,
						name: 'Secret Key',
						created_at: account.createdAt,
						id: account.keyId,
					},
				},
			};
		}
		if (collection && req.method === 'GET') {
			const data = [...this.accounts.values()]
				.filter((account) => account.projectId === decodeURIComponent(collection[1]))
				.map(listed);
			return {
				status: 200,
				body: {
					object: 'list',
					data,
					first_id: data[0]?.id ?? null,
					last_id: data.at(-1)?.id ?? null,
					has_more: false,
				},
			};
		}
		const account = one ? this.accounts.get(decodeURIComponent(one[2])) : undefined;
		if (one && req.method === 'DELETE') {
			if (!account || account.projectId !== decodeURIComponent(one[1])) {
				return {
					status: 404,
					body: {
						error: {
							message: `No such service account: ${one[2]}`,
							type: 'invalid_request_error',
							param: null,
							code: null,
						},
					},
				};
			}
			this.accounts.delete(account.id);
			if (this.afterDelete && !this.afterDelete(account)) return undefined;
			return {
				status: 200,
				body: {
					object: 'organization.project.service_account.deleted',
					id: account.id,
					deleted: true,
				},
			};
		}
		return {
			status: 404,
			body: { error: { message: `Unknown path ${req.path}`, type: 'invalid_request_error' } },
		};
	}
}

import { json, StandIn } from './server';

export const OPENAI_ADMIN_KEY = 'sk-admin-e2eSecretAdminKey0123456789ABCDEFGHIJ';

export interface CostFixture {
	dayOffset: number;
	project_id: string | null;
	line_item: string | null;
	/** Written into the JSON body literally, so it can carry more digits than a double. */
	value: string;
}

/** Costs per day of the requested period, in the documented `/organization/costs` shape. */
export const COST_FIXTURES: CostFixture[] = [
	{ dayOffset: 0, project_id: 'proj_alpha', line_item: 'gpt-4o, input', value: '0.1' },
	{ dayOffset: 0, project_id: 'proj_alpha', line_item: 'gpt-4o, output', value: '0.2' },
	{ dayOffset: 0, project_id: null, line_item: 'Web search tool calls', value: '0.000001' },
	{ dayOffset: 1, project_id: 'proj_beta', line_item: 'o3, input', value: '1234.5678901234' },
	{
		dayOffset: 2,
		project_id: 'proj_alpha',
		line_item: 'gpt-4o, input',
		value: '0.30000000000000004',
	},
];

/**
 * Costs grouped by API key (`group_by=api_key_id`), by day of the requested period: what the
 * reconciliation test knows OpenAI billed. `api_key_id` null is spend no key is attributed to.
 */
export const KEY_COST_FIXTURES: Array<{
	dayOffset: number;
	api_key_id: string | null;
	value: string;
}> = [
	{ dayOffset: 3, api_key_id: 'key_A', value: '1.52' },
	{ dayOffset: 3, api_key_id: 'key_B', value: '2.5' },
	{ dayOffset: 3, api_key_id: 'key_Z', value: '0.3' },
	{ dayOffset: 3, api_key_id: null, value: '0.2' },
	{ dayOffset: 4, api_key_id: 'key_A', value: '0.05' },
	{ dayOffset: 7, api_key_id: 'key_A', value: '0.07' },
];

function keyCostBucket(start: number, offset: number): string {
	const results = KEY_COST_FIXTURES.filter((f) => f.dayOffset === offset)
		.map(
			(r) =>
				`{"object":"organization.costs.result","amount":{"value":${r.value},"currency":"usd"},"line_item":null,"project_id":null,"api_key_id":${JSON.stringify(r.api_key_id)}}`,
		)
		.join(',');
	return `{"object":"bucket","start_time":${start},"end_time":${start + 86400},"results":[${results}]}`;
}

function costBucket(start: number, results: CostFixture[]): string {
	const resultText = results
		.map(
			(r) =>
				`{"object":"organization.costs.result","amount":{"value":${r.value},"currency":"usd"},"line_item":${JSON.stringify(r.line_item)},"project_id":${JSON.stringify(r.project_id)}}`,
		)
		.join(',');
	return `{"object":"bucket","start_time":${start},"end_time":${start + 86400},"results":[${resultText}]}`;
}

/**
 * Impersonates OpenAI's Administration API for cost sync: checks the Bearer key, answers the
 * first cost request with 429 and Retry-After, and serves the costs over two pages.
 */
export function openAiStandIn(): StandIn {
	let costCalls = 0;
	return new StandIn((req, res) => {
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
		if (req.method === 'GET' && req.path === '/v1/organization/costs') {
			costCalls++;
			if (costCalls === 1) {
				json(
					res,
					429,
					{ error: { message: 'Rate limit reached for requests', type: 'requests' } },
					{ 'retry-after': '1' },
				);
				return;
			}
			const dayStart = Math.floor(Number(req.query.get('start_time')) / 86400) * 86400;
			if (req.query.getAll('group_by').includes('api_key_id')) {
				const buckets = [0, 1, 2, 3, 4, 5, 6, 7].map((offset) =>
					keyCostBucket(dayStart + offset * 86400, offset),
				);
				json(
					res,
					200,
					`{"object":"page","data":[${buckets.join(',')}],"has_more":false,"next_page":null}`,
				);
				return;
			}
			const days = [0, 1, 2].map((offset) =>
				costBucket(
					dayStart + offset * 86400,
					COST_FIXTURES.filter((f) => f.dayOffset === offset),
				),
			);
			if (req.query.get('page') === 'page_2') {
				json(res, 200, `{"object":"page","data":[${days[2]}],"has_more":false,"next_page":null}`);
			} else {
				json(
					res,
					200,
					`{"object":"page","data":[${days[0]},${days[1]}],"has_more":true,"next_page":"page_2"}`,
				);
			}
			return;
		}
		const serviceAccounts = /^\/v1\/organization\/projects\/([^/]+)\/service_accounts$/.exec(
			req.path,
		);
		if (req.method === 'POST' && serviceAccounts) {
			const body = JSON.parse(req.body || '{}') as Record<string, unknown>;
			// The real API refuses a body field the definition does not have.
			const unknown = Object.keys(body).find((field) => field !== 'name');
			if (unknown || typeof body.name !== 'string') {
				json(res, 400, {
					error: {
						message: unknown
							? `Unrecognized request argument supplied: ${unknown}`
							: "Missing required parameter: 'name'.",
						type: 'invalid_request_error',
						param: unknown ?? 'name',
						code: unknown ? 'unknown_parameter' : 'missing_required_parameter',
					},
				});
				return;
			}
			const name = body.name;
			const n = req.path.length + Date.now();
			json(res, 200, {
				object: 'organization.project.service_account',
				id: `svc_acct_${n}`,
				name,
				role: 'member',
				created_at: Math.floor(Date.now() / 1000),
				api_key: {
					object: 'organization.project.service_account.api_key',
					value: `sk-svcacct-e2eCreatedSecret${n}xyzABCDEF`,
					name: 'Secret Key',
					created_at: Math.floor(Date.now() / 1000),
					id: `key_svc_${n}`,
				},
			});
			return;
		}
		if (req.method === 'GET' && req.path === '/v1/organization/projects') {
			json(res, 200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
			return;
		}
		json(res, 404, {
			error: { message: `Unknown path ${req.path}`, type: 'invalid_request_error' },
		});
	});
}

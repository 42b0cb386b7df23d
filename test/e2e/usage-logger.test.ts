import * as fixtures from '../fixtures/usage';
import { workflowCredentials } from './harness/credentials';
import { startEnvironment, type Environment } from './harness/environment';
import { stage } from './harness/timing';

jest.setTimeout(30 * 60 * 1000);

const POSTGRES = { postgres: { id: 'kpPostgres000001', name: 'KeyPilot Postgres' } };
const KEY = 'sk-proj-E2eUsageLoggerKey0123456789';

/** The batch a Code node hands the logger: JSON bodies and raw streams, as a gateway would. */
const BATCH = [
	{ response: fixtures.openAiChat, route: '/v1/chat/completions', status: 200, ms: 120 },
	{ response: fixtures.anthropicStream, route: '/v1/messages', status: 200, ms: 900 },
	{ response: fixtures.geminiStream, route: '/v1beta/models', status: 200, ms: 450 },
	{ response: fixtures.openRouterChat, route: '/v1/chat/completions', status: 502, ms: 30 },
];

const workflow = {
	id: 'kpTestUsageLog01',
	name: 'Usage Logger batch',
	active: false,
	settings: { executionOrder: 'v1' },
	nodes: [
		{
			id: 'u1',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'u2',
			name: 'Requests',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: {
				jsCode: `return ${JSON.stringify(BATCH.map((json) => ({ json: { ...json, key: KEY } })))};`,
			},
		},
		{
			id: 'u3',
			name: 'Log Usage',
			type: 'n8n-nodes-keypilot-ledger.usageLogger',
			typeVersion: 1,
			position: [400, 0],
			credentials: POSTGRES,
			parameters: {
				operation: 'log',
				inputMode: 'response',
				response: '={{ $json.response }}',
				details: {
					apiKey: '={{ $json.key }}',
					route: '={{ $json.route }}',
					statusCode: '={{ $json.status }}',
					responseMs: '={{ $json.ms }}',
					httpMethod: 'POST',
				},
			},
		},
		{
			id: 'u4',
			name: 'Stats',
			type: 'n8n-nodes-keypilot-ledger.usageLogger',
			typeVersion: 1,
			position: [600, 0],
			executeOnce: true,
			credentials: POSTGRES,
			parameters: {
				operation: 'getStats',
				statistic: 'overview',
				startTime: '={{ $now.minus({ hours: 1 }).toISO() }}',
				endTime: '={{ $now.plus({ hours: 1 }).toISO() }}',
			},
		},
	],
	connections: {
		Start: { main: [[{ node: 'Requests', type: 'main', index: 0 }]] },
		Requests: { main: [[{ node: 'Log Usage', type: 'main', index: 0 }]] },
		'Log Usage': { main: [[{ node: 'Stats', type: 'main', index: 0 }]] },
	},
};

let environment: Environment;

beforeAll(async () => {
	environment = await startEnvironment({
		credentials: (postgres) => workflowCredentials({ postgres, database: 'keypilot' }),
		workflows: [workflow],
	});
});

afterAll(async () => {
	await environment?.stop();
});

describe('Usage Logger in a real n8n', () => {
	it('logs a batch of responses and streams in one go and reads its stats back', async () => {
		const result = await stage('n8n execute (usage logger)', () =>
			environment.n8n.execute(workflow.id),
		);
		expect({ code: result.code, stderr: result.stderr.slice(-2000) }).toEqual({
			code: 0,
			stderr: expect.any(String),
		});

		const rows = await environment.postgres.query<Record<string, string | null>>(
			'keypilot',
			`SELECT provider, route, status_code::text, total_tokens::text, cost_usd::text, usage_complete::text FROM llm_usage_log ORDER BY id`,
		);
		expect(rows).toEqual([
			{
				provider: 'openai',
				route: '/v1/chat/completions',
				status_code: '200',
				total_tokens: '2463',
				cost_usd: '0.007472500000000000',
				usage_complete: 'true',
			},
			{
				provider: 'anthropic',
				route: '/v1/messages',
				status_code: '200',
				total_tokens: '4040',
				cost_usd: '0.001500000000000000',
				usage_complete: 'true',
			},
			{
				provider: 'google',
				route: '/v1beta/models',
				status_code: '200',
				total_tokens: '2140',
				cost_usd: expect.stringMatching(/^0\.\d+$/),
				usage_complete: 'true',
			},
			{
				provider: 'openrouter',
				route: '/v1/chat/completions',
				status_code: '502',
				total_tokens: '196',
				cost_usd: '0.000505000000000000',
				usage_complete: 'true',
			},
		]);

		const stored = await environment.postgres.query('keypilot', 'SELECT * FROM llm_usage_log');
		expect(JSON.stringify(stored)).not.toContain(KEY);

		const [execution] = await environment.postgres.query<{ data: string }>(
			'n8n',
			'SELECT data FROM execution_data ORDER BY "executionId" DESC LIMIT 1',
		);
		expect(execution.data).toContain('"success_rate_percent"');
		expect(execution.data).toContain('"75.00"');
	});
});

/**
 * The provider package as a user meets it in n8n's editor: every credential's "Test" button
 * (n8n's own credential test endpoint, signed in as the owner) against the stand-ins, with a good
 * secret and a wrong one; and a provider node used as an AI Agent's tool.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

import { workflowCredentials } from './harness/credentials';
import { readWorkflow, startEnvironment, type Environment } from './harness/environment';
import { n8nBin, waitForWebhook, type RunningN8n } from './harness/n8n';
import { stage } from './harness/timing';
import { AGENT_OPENAI_KEY, agentOpenAiStandIn } from './standins/agentModels';
import { ANTHROPIC_ADMIN_KEY, anthropicStandIn } from './standins/anthropic';
import { OPENAI_ADMIN_KEY, openAiStandIn } from './standins/openai';
import {
	OPENROUTER_KEYS,
	OPENROUTER_MANAGEMENT_KEY,
	openRouterStandIn,
} from './standins/openrouter';
import { VOLCENGINE_AK, VOLCENGINE_SK, volcengineStandIn } from './standins/volcengine';

jest.setTimeout(10 * 60 * 1000);

const standIns = {
	openai: openAiStandIn(),
	anthropic: anthropicStandIn(),
	openrouter: openRouterStandIn(),
	volcengine: volcengineStandIn(),
	model: agentOpenAiStandIn(),
};

interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	webhookId?: string;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}
type Workflow = {
	id: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, Record<string, unknown>>;
};

/** The shipped agent workflow with its Calculator swapped for OpenRouter → Key → Get Many. */
function agentWithOpenRouterTool(): Workflow {
	const flow = JSON.parse(JSON.stringify(readWorkflow('agent-chat.json'))) as Workflow;
	flow.id = 'kpAgentTools0001';
	flow.name = 'Agent with an OpenRouter tool';
	flow.nodes.find((node) => node.webhookId)!.webhookId = '5d0e3c2b-1a4f-4e6d-9b8c-7a6f5e4d3c2b';
	const model = flow.nodes.find((node) => node.name === 'KeyPilot Chat Model')!;
	model.parameters = { ...model.parameters, whenNoQuota: 'allow' };
	const calculator = flow.nodes.find((node) => node.name === 'Calculator')!;
	flow.nodes.splice(flow.nodes.indexOf(calculator), 1, {
		name: 'List OpenRouter Keys',
		type: 'n8n-nodes-keypilot.openRouterTool',
		typeVersion: 1,
		position: calculator.position,
		parameters: {
			descriptionType: 'manual',
			toolDescription: "Lists the organization's OpenRouter API keys",
			resource: 'key',
			operation: 'getAll',
			returnAll: false,
			limit: 3,
		},
		credentials: {
			openRouterManagementApi: { id: 'kpOpenRouterMg01', name: 'OpenRouter Management account' },
		},
	});
	delete flow.connections.Calculator;
	flow.connections['List OpenRouter Keys'] = {
		ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]],
	};
	return flow;
}
const agent = agentWithOpenRouterTool();

/** The instance owner, set through n8n's own settings, to sign in to the editor's REST API. */
const owner = (() => {
	const password = `Owner-${randomUUID()}`;
	const bcrypt = createRequire(n8nBin)('bcryptjs') as {
		hashSync(text: string, rounds: number): string;
	};
	return {
		email: 'owner@keypilot.test',
		password,
		env: {
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: 'owner@keypilot.test',
			N8N_INSTANCE_OWNER_FIRST_NAME: 'Test',
			N8N_INSTANCE_OWNER_LAST_NAME: 'Owner',
			N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(password, 10),
		},
	};
})();

let environment: Environment;
let n8n: RunningN8n;
let credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>;
const browser = { 'browser-id': randomUUID() };
let cookie = '';

async function rest(path: string, body: unknown) {
	const response = await fetch(`${n8n.url}/rest${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie, ...browser },
		body: JSON.stringify(body),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
	for (const standIn of Object.values(standIns)) await standIn.start();
	const made = (postgres: Parameters<typeof workflowCredentials>[0]['postgres']) =>
		workflowCredentials({
			postgres,
			database: 'keypilot',
			openAi: { apiKey: OPENAI_ADMIN_KEY, baseUrl: `${standIns.openai.url}/v1` },
			anthropic: { apiKey: ANTHROPIC_ADMIN_KEY, baseUrl: standIns.anthropic.url },
			openRouter: {
				apiKey: OPENROUTER_MANAGEMENT_KEY,
				baseUrl: `${standIns.openrouter.url}/api/v1`,
			},
			volcengine: {
				accessKeyId: VOLCENGINE_AK,
				secretAccessKey: VOLCENGINE_SK,
				endpoint: standIns.volcengine.url,
			},
			chatModels: {
				openAiKey: AGENT_OPENAI_KEY,
				openAiUrl: `${standIns.model.url}/v1`,
				anthropicKey: 'unused',
				anthropicUrl: standIns.model.url,
			},
		}) as typeof credentials;
	environment = await startEnvironment({
		credentials: (postgres) => (credentials = made(postgres)),
		workflows: [agent],
	});
	await environment.n8n.publish(agent.id);
	n8n = await stage('n8n start', () =>
		environment.n8n.start({ env: owner.env, log: !!process.env.KEYPILOT_E2E_LOG }),
	);
	// n8n answers /healthz before its REST routes are mounted: sign in once they are.
	const signIn = () =>
		fetch(`${n8n.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...browser },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
	let login = await signIn();
	for (let wait = 0; login.status === 404 && wait < 120; wait++) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		login = await signIn();
	}
	expect(login.status).toBe(200);
	cookie = (
		login.headers.getSetCookie().find((entry) => entry.startsWith('n8n-auth=')) ?? ''
	).split(';')[0];
	expect(cookie).toMatch(/^n8n-auth=./);
});

afterAll(async () => {
	await n8n?.stop();
	for (const standIn of Object.values(standIns)) await standIn.stop();
	await environment?.stop();
});

/** Each provider credential with the field whose wrong value the provider must refuse. */
const PROVIDER_CREDENTIALS = [
	{ type: 'openAiAdminApi', secret: 'apiKey', standIn: 'openai' },
	{ type: 'anthropicAdminApi', secret: 'apiKey', standIn: 'anthropic' },
	{ type: 'openRouterManagementApi', secret: 'apiKey', standIn: 'openrouter' },
	{ type: 'volcengineApi', secret: 'secretAccessKey', standIn: 'volcengine' },
] as const;

describe("the provider credentials' Test button, through n8n's own credential test", () => {
	it.each(PROVIDER_CREDENTIALS)(
		'$type: a good secret passes, a wrong one fails with the provider refusing it',
		async ({ type, secret, standIn }) => {
			const stored = credentials.find((credential) => credential.type === type)!;
			const before = standIns[standIn].requests.length;
			const good = await rest('/credentials/test', { credentials: stored });
			expect(good).toEqual({
				status: 200,
				body: { data: { status: 'OK', message: expect.any(String) } },
			});
			const wrong = await rest('/credentials/test', {
				credentials: {
					...stored,
					data: { ...stored.data, [secret]: `${String(stored.data[secret])}x` },
				},
			});
			expect(wrong.status).toBe(200);
			expect(wrong.body.data).toEqual({ status: 'Error', message: expect.any(String) });
			// Both reached the provider: the wrong secret was refused there, not guessed here (n8n
			// may ask once more after a 401).
			expect(standIns[standIn].requests.length - before).toBeGreaterThanOrEqual(2);
			// n8n's message never repeats the secret.
			expect(JSON.stringify(wrong.body)).not.toContain(String(stored.data[secret]));
		},
	);
});

describe('a provider node as an AI Agent tool', () => {
	it("answers with OpenRouter's key list when the model calls the tool", async () => {
		const url = `${n8n.url}/webhook/${agent.nodes.find((node) => node.webhookId)!.webhookId}/chat`;
		await waitForWebhook(url, { method: 'POST' });
		const before = standIns.openrouter.requests.length;
		const response = await stage('agent run with the OpenRouter tool', () =>
			fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					action: 'sendMessage',
					sessionId: randomUUID(),
					chatInput: 'Which keys do we have?',
				}),
			}),
		);
		const text = await response.text();
		expect(response.status).toBe(200);
		const listed = standIns.openrouter.requests
			.slice(before)
			.filter((request) => request.method === 'GET' && request.path === '/api/v1/keys');
		expect(listed).toHaveLength(1);
		expect(listed[0].headers.authorization).toBe(`Bearer ${OPENROUTER_MANAGEMENT_KEY}`);
		// The model's answer carries the tool's result: the first keys of the default workspace.
		const first = OPENROUTER_KEYS.find(
			(key) => key.workspace_id === OPENROUTER_KEYS[0].workspace_id,
		)!;
		expect(text).toContain(first.hash);
		expect(text).not.toContain(OPENROUTER_MANAGEMENT_KEY);
	});
});

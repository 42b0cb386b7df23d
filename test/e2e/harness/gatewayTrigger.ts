/**
 * A workflow of one KeyPilot Gateway trigger, on the credentials the e2e harness imports (the
 * Anthropic one when `anthropic`).
 */
export function gatewayTriggerWorkflow(basePath = 'v1', options: { anthropic?: boolean } = {}) {
	return {
		id: `kpGwTrigger${basePath.replace(/\W/g, '').slice(0, 5).padEnd(5, '0')}`,
		name: `KeyPilot Gateway (${basePath})`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: '5d0c6a55-2d4e-4a43-9a41-3b1f3f8b5a01',
				name: 'KeyPilot Gateway',
				type: 'n8n-nodes-keypilot-ledger.keypilotGateway',
				typeVersion: 2,
				position: [0, 0],
				// n8n serves a trigger's full path only when the node carries a webhook ID.
				webhookId: `8f6c2f7e-5b7a-4f0e-9d8c-${Buffer.from(basePath).toString('hex').padEnd(12, '0').slice(0, 12)}`,
				parameters: { basePath },
				credentials: {
					postgres: { id: 'kpPostgres000001', name: 'KeyPilot Postgres' },
					openAiApi: { id: 'kpOpenAiApi00001', name: 'OpenAI account (gateway upstream)' },
					...(options.anthropic
						? {
								anthropicApi: {
									id: 'kpAnthropicGw001',
									name: 'Anthropic account (gateway upstream)',
								},
							}
						: {}),
				},
			},
		],
	};
}

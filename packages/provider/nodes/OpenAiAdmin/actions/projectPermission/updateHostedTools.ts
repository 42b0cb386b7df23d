import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectPermission', 'updateHostedTools', {
	method: 'POST',
	path: '/organization/projects/{projectId}/hosted_tool_permissions',
	fields: [
		{
			type: 'toggle',
			name: 'codeInterpreter',
			label: 'Code Interpreter',
			to: 'body.code_interpreter.enabled',
		},
		{
			type: 'toggle',
			name: 'fileSearch',
			label: 'File Search',
			to: 'body.file_search.enabled',
		},
		{
			type: 'toggle',
			name: 'imageGeneration',
			label: 'Image Generation',
			to: 'body.image_generation.enabled',
		},
		{
			type: 'toggle',
			name: 'mcp',
			label: 'MCP',
			to: 'body.mcp.enabled',
		},
		{
			type: 'toggle',
			name: 'webSearch',
			label: 'Web Search',
			to: 'body.web_search.enabled',
		},
	],
});

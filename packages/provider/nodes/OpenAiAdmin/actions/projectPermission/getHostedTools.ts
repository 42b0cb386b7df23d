import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectPermission', 'getHostedTools', {
	method: 'GET',
	path: '/organization/projects/{projectId}/hosted_tool_permissions',
});

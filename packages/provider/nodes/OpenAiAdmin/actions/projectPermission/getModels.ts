import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectPermission', 'getModels', {
	method: 'GET',
	path: '/organization/projects/{projectId}/model_permissions',
});

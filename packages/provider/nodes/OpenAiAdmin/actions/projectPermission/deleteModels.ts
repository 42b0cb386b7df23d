import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectPermission', 'deleteModels', {
	method: 'DELETE',
	path: '/organization/projects/{projectId}/model_permissions',
});

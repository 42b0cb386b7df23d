import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectPermission', 'updateModels', {
	method: 'POST',
	path: '/organization/projects/{projectId}/model_permissions',
	fields: [
		{
			type: 'options',
			name: 'mode',
			label: 'Mode',
			to: 'body.mode',
			values: [
				['allow_list', 'Allow List'],
				['deny_list', 'Deny List'],
			],
			default: 'allow_list',
		},
		{
			type: 'list',
			name: 'modelIds',
			label: 'Model IDs',
			to: 'body.model_ids',
			required: true,
			description: 'Comma-separated model IDs',
			placeholder: 'gpt-4o, gpt-4o-mini',
		},
	],
});

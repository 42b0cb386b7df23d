import { endpoint } from '../endpoint';

export const { description, execute } = endpoint('projectGroup', 'get', {
	method: 'GET',
	path: '/organization/projects/{projectId}/groups/{groupId}',
	fields: [
		{
			type: 'options',
			name: 'groupType',
			label: 'Group Type',
			to: 'query.group_type',
			values: [
				['', 'Any'],
				['group', 'Group'],
				['tenant_group', 'Tenant Group'],
			],
			default: '',
		},
	],
});

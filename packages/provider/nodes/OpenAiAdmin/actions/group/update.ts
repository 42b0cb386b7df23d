import { endpoint } from '../endpoint';
import { groupName } from './fields';

export const { description, execute } = endpoint('group', 'update', {
	method: 'POST',
	path: '/organization/groups/{groupId}',
	fields: [groupName],
});

import { endpoint } from '../endpoint';
import { groupName } from './fields';

export const { description, execute } = endpoint('group', 'create', {
	method: 'POST',
	path: '/organization/groups',
	fields: [groupName],
});

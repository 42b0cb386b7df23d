import { perItem, type Resource } from '../../../../common/operation';
import * as getAll from './getAll';

export const resource: Resource = {
	option: { name: 'Audit Log', value: 'auditLog' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many audit log events' }, getAll),
	],
};

import { perItem, type Resource } from '../../../../common/operation';
import * as getAll from './getAll';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Project Rate Limit', value: 'projectRateLimit' },
	default: 'getAll',
	operations: [
		perItem({ name: 'Get Many', value: 'getAll', action: 'Get many project rate limits' }, getAll),
		perItem({ name: 'Update', value: 'update', action: 'Update a project rate limit' }, update),
	],
};

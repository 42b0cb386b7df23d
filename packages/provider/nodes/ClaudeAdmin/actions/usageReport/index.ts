import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';

export const resource: Resource = {
	option: { name: 'Usage Report (Legacy)', value: 'usageReport' },
	default: 'get',
	operations: [
		perItem({ name: 'Get', value: 'get', action: 'Get the messages usage report' }, get),
	],
};

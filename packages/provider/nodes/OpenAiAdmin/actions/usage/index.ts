import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';

export const resource: Resource = {
	option: { name: 'Usage', value: 'usage' },
	default: 'get',
	operations: [
		perItem(
			{ name: 'Get', value: 'get', action: 'Get usage', description: 'One item per bucket result' },
			get,
		),
	],
};

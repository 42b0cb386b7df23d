import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';
import * as update from './update';

export const resource: Resource = {
	option: { name: 'Data Retention', value: 'dataRetention' },
	default: 'get',
	operations: [
		perItem({ name: 'Get', value: 'get', action: 'Get data retention controls' }, get),
		perItem({ name: 'Update', value: 'update', action: 'Update data retention controls' }, update),
	],
};

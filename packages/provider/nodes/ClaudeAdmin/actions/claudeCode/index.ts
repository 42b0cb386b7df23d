import { perItem, type Resource } from '../../../../common/operation';
import * as get from './get';

export const resource: Resource = {
	option: { name: 'Claude Code Usage', value: 'claudeCode' },
	default: 'get',
	operations: [
		perItem({ name: 'Get', value: 'get', action: 'Get the claude code usage report' }, get),
	],
};

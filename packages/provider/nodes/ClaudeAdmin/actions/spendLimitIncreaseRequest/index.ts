import { perItem, type Resource } from '../../../../common/operation';
import * as approve from './approve';
import * as deny from './deny';
import * as get from './get';
import * as getAll from './getAll';

export const resource: Resource = {
	option: { name: 'Spend Limit Increase Request', value: 'spendLimitIncreaseRequest' },
	default: 'getAll',
	notice:
		'Members ask for more in claude.ai (Claude Enterprise); requests are not created through the API',
	operations: [
		perItem(
			{
				name: 'Approve',
				value: 'approve',
				action: 'Approve a spend limit increase request',
				description: 'Set the member’s new limit and resolve the request',
			},
			approve,
		),
		perItem({ name: 'Deny', value: 'deny', action: 'Deny a spend limit increase request' }, deny),
		perItem({ name: 'Get', value: 'get', action: 'Get a spend limit increase request' }, get),
		perItem(
			{ name: 'Get Many', value: 'getAll', action: 'Get many spend limit increase requests' },
			getAll,
		),
	],
};

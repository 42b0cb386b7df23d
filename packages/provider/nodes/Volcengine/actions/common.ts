import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { show } from '../../../common/fields';

/** IAM calls act on the account's own keys unless a user name is given. */
export function userNameField(resource: string, operation: string | string[]): INodeProperties {
	return {
		displayName: 'User Name',
		name: 'userName',
		type: 'string',
		default: '',
		placeholder: 'ops-bot',
		description:
			'The IAM user whose keys to manage. Leave empty for the keys of the identity this credential belongs to.',
		displayOptions: show(resource, operation),
	};
}

export function optionalUserName(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const value = this.getNodeParameter('userName', itemIndex, '') as string;
	return value.trim() || undefined;
}

export function statusField(
	resource: string,
	operation: string,
	required: boolean,
): INodeProperties {
	return {
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Active', value: 'active' },
			{ name: 'Inactive', value: 'inactive' },
		],
		default: 'active',
		required,
		displayOptions: show(resource, operation),
	};
}

export function readStatus(this: IExecuteFunctions, itemIndex: number): 'active' | 'inactive' {
	const status = this.getNodeParameter('status', itemIndex) as string;
	if (status !== 'active' && status !== 'inactive') {
		throw new NodeOperationError(
			this.getNode(),
			`"Status" must be active or inactive, got "${status}" (item ${itemIndex})`,
			{ itemIndex },
		);
	}
	return status;
}

/** Bill periods are calendar months in China Standard Time, which is how Volcengine bills. */
export function billPeriodField(operation: string): INodeProperties {
	return {
		displayName: 'Bill Period',
		name: 'billPeriod',
		type: 'string',
		required: true,
		default: "={{ $now.setZone('Asia/Shanghai').toFormat('yyyy-MM') }}",
		placeholder: '2026-11',
		description: 'The month to read, as YYYY-MM',
		displayOptions: show('billing', operation),
	};
}

export function readBillPeriod(this: IExecuteFunctions, itemIndex: number): string {
	const value = String(this.getNodeParameter('billPeriod', itemIndex, '')).trim();
	if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Bill Period" must be a month written YYYY-MM, got "${value}" (item ${itemIndex})`,
			{ itemIndex, description: 'For example 2026-11' },
		);
	}
	return value;
}

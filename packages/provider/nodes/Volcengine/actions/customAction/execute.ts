import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import type { Query } from '../../../../transport/provider';
import { volcengine } from '../../api';

export const description: INodeProperties[] = [
	{
		displayName: 'Service',
		name: 'service',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ecs',
		description:
			'The service code Volcengine signs for, as in its API docs (iam, billing, ecs, ark, ...)',
	},
	{
		displayName: 'Version',
		name: 'version',
		type: 'string',
		required: true,
		default: '',
		placeholder: '2020-04-01',
	},
	{
		displayName: 'Action',
		name: 'action',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'DescribeInstances',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'GET', value: 'GET' },
			{ name: 'POST', value: 'POST' },
		],
		default: 'GET',
	},
	{
		displayName: 'Query Parameters (JSON)',
		name: 'queryJson',
		type: 'json',
		default: '{}',
		description: 'Parameters sent in the query string, besides Action and Version',
	},
	{
		displayName: 'Body (JSON)',
		name: 'bodyJson',
		type: 'json',
		default: '{}',
		displayOptions: {
			show: { resource: ['customAction'], operation: ['execute'], method: ['POST'] },
		},
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'cn-beijing',
		description: "Region to sign for; leave empty for the credential's region",
	},
];

function checked(
	this: IExecuteFunctions,
	value: string,
	pattern: RegExp,
	label: string,
	expected: string,
	itemIndex: number,
): string {
	if (!pattern.test(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`"${label}" must be ${expected}, got "${value}" (item ${itemIndex})`,
			{ itemIndex },
		);
	}
	return value;
}

function jsonObject(this: IExecuteFunctions, name: string, label: string, i: number): IDataObject {
	const raw = this.getNodeParameter(name, i, '{}') as unknown;
	let value: unknown = raw;
	if (typeof raw === 'string') {
		if (!raw.trim()) return {};
		try {
			value = JSON.parse(raw);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `"${label}" is not valid JSON (item ${i})`, {
				itemIndex: i,
				description: (error as Error).message,
			});
		}
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new NodeOperationError(this.getNode(), `"${label}" must be a JSON object (item ${i})`, {
			itemIndex: i,
			description: 'For example {"Limit": 10}',
		});
	}
	return value as IDataObject;
}

function queryValues(this: IExecuteFunctions, object: IDataObject, i: number): Query {
	const query: Query = {};
	for (const [key, value] of Object.entries(object)) {
		if (value === null || value === undefined) continue;
		if (Array.isArray(value)) query[key] = value.map(String);
		else if (typeof value === 'object') {
			throw new NodeOperationError(
				this.getNode(),
				`"Query Parameters" field "${key}" is an object; query parameters hold text, numbers or lists (item ${i})`,
				{ itemIndex: i },
			);
		} else query[key] = value as string | number | boolean;
	}
	return query;
}

/** Read-only actions are safe to repeat after a server error; anything else is sent once. */
const READ_ONLY_ACTION = /^(List|Get|Describe|Query)[A-Z]/;

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const service = checked.call(
		this,
		requiredString.call(this, 'service', 'Service', i),
		/^[a-z][a-z0-9_-]*$/i,
		'Service',
		'a service code such as iam or ecs',
		i,
	);
	const version = checked.call(
		this,
		requiredString.call(this, 'version', 'Version', i),
		/^\d{4}-\d{2}-\d{2}$/,
		'Version',
		'an API version written YYYY-MM-DD, such as 2018-01-01',
		i,
	);
	const action = checked.call(
		this,
		requiredString.call(this, 'action', 'Action', i),
		/^[A-Z][A-Za-z0-9]*$/,
		'Action',
		'an action name such as ListAccessKeys',
		i,
	);
	const method = this.getNodeParameter('method', i) as 'GET' | 'POST';
	const query = queryValues.call(
		this,
		jsonObject.call(this, 'queryJson', 'Query Parameters', i),
		i,
	);
	const region = (this.getNodeParameter('region', i, '') as string).trim();
	return await volcengine.call(this, {
		service: service.toLowerCase(),
		version,
		action,
		method,
		query,
		body: method === 'POST' ? jsonObject.call(this, 'bodyJson', 'Body', i) : undefined,
		region: region || undefined,
		idempotent: READ_ONLY_ACTION.test(action),
		itemIndex: i,
	});
}

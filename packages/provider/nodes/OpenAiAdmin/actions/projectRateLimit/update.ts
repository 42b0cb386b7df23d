import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { requiredString } from '../../../../common/fields';
import { segment } from '../../../../transport/provider';
import { idField, openAi } from '../common';

const LIMITS: Array<[string, string]> = [
	['max_requests_per_1_minute', 'Max Requests per Minute'],
	['max_tokens_per_1_minute', 'Max Tokens per Minute'],
	['max_images_per_1_minute', 'Max Images per Minute'],
	['max_audio_megabytes_per_1_minute', 'Max Audio Megabytes per Minute'],
	['max_requests_per_1_day', 'Max Requests per Day'],
	['batch_1_day_max_input_tokens', 'Batch Max Input Tokens per Day'],
];

export const description: INodeProperties[] = [
	idField('projectId', 'Project ID', 'projectRateLimit', 'update', 'proj_abc123', 'searchProjects'),
	idField('rateLimitId', 'Rate Limit ID', 'projectRateLimit', 'update', 'rl-gpt-4o'),
	{
		displayName: 'Limits',
		name: 'limits',
		type: 'collection',
		placeholder: 'Add Limit',
		default: {},
		options: LIMITS.map(([name, displayName]) => ({
			displayName,
			name,
			type: 'number' as const,
			typeOptions: { minValue: 0 },
			default: 0,
		})),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const projectId = requiredString.call(this, 'projectId', 'Project ID', i);
	const rateLimitId = requiredString.call(this, 'rateLimitId', 'Rate Limit ID', i);
	const limits = this.getNodeParameter('limits', i, {}) as IDataObject;
	const body: IDataObject = {};
	for (const [name, label] of LIMITS) {
		if (limits[name] === undefined) continue;
		const value = Number(limits[name]);
		if (!Number.isInteger(value) || value < 0) {
			throw new NodeOperationError(
				this.getNode(),
				`"${label}" must be a whole number of 0 or more (item ${i})`,
				{
					itemIndex: i,
				},
			);
		}
		body[name] = value;
	}
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), `Add at least one limit to change (item ${i})`, {
			itemIndex: i,
		});
	}
	return await openAi.call(this, {
		method: 'POST',
		path: `/organization/projects/${segment(projectId)}/rate_limits/${segment(rateLimitId)}`,
		body,
		itemIndex: i,
	});
}
